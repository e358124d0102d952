"""Tribune's admin site: Django's own, titled for the newsroom, with the moderation queues'
counts on its index for people who may see comments (``templates/admin/index.html`` shows
them). It is the default site through ``config.apps.AdminConfig``, so ``admin.site`` and
every ``@admin.register`` use it."""

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import BadRequest, ValidationError
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
        """Every admin page, as Django guards it, refusing two inputs Django's own pages
        answer with a 500: an empty ``?_to_field=`` (the change and delete pages look up a
        field named "") and a selected row whose id is no id (the changelist's actions)."""
        guarded = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)

        @wraps(guarded)
        def refusing_malformed_input(request: HttpRequest, *args, **kwargs):
            if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
                # Answered as Django answers a field it does not allow.
                raise DisallowedModelAdminToField("An empty _to_field names no field.")
            if isinstance(model_admin, admin.ModelAdmin) and request.method == "POST":
                pk = model_admin.model._meta.pk
                try:
                    for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                        pk.run_validators(pk.to_python(value))  # the type, then the range
                except ValidationError:
                    raise BadRequest("A selected row's id is not an id.") from None
            return guarded(request, *args, **kwargs)

        return refusing_malformed_input
