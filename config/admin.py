"""Tribune's admin site: Django's own, titled for the newsroom, with the moderation queues'
counts on its index for people who may see comments (``templates/admin/index.html`` shows
them). It is the default site through ``config.apps.AdminConfig``, so ``admin.site`` and
every ``@admin.register`` use it."""

from django.contrib import admin
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
