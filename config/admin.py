"""Tribune's admin site: Django's own, titled for the newsroom, with the moderation queues'
counts on its index for people who may see comments (``templates/admin/index.html`` shows
them). It is the default site through ``config.apps.AdminConfig``, so ``admin.site`` and
every ``@admin.register`` use it."""

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from comments.selectors.moderation import moderation_queue_counts


class TribuneAdminSite(admin.AdminSite):
    site_header = _("Tribune administration")
    site_title = _("Tribune admin")
    index_title = _("Newsroom and moderation")

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        if request.user.has_perm("comments.view_comment"):
            # Two queries, for moderators only; the template runs none.
            counts = moderation_queue_counts()
            extra_context = {"moderation_counts": counts, **(extra_context or {})}
        return super().index(request, extra_context)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """Every admin page, as Django guards it, refusing an empty ``?_to_field=``."""
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def refusing_an_empty_to_field(request: HttpRequest, *args, **kwargs):
            # Django's change and delete pages look up a field named "" and fail with a 500
            # (ModelAdmin.get_object); answer as Django does for a field it does not allow.
            if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
                raise DisallowedModelAdminToField("An empty _to_field names no field.")
            return guarded(request, *args, **kwargs)

        return refusing_an_empty_to_field
