"""What the post and page admins share: the body editor's Content-Security-Policy and
a preview page drawn as readers will see it."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from blog.models import Page, Post
from core.admin import ChosenRowsOnlyAdmin

# The body editor (django-prose-editor 0.28) needs two inline pieces the site's
# policy refuses: its <script type="importmap">, allowed here by the response's
# nonce, and the base stylesheet Tiptap injects, allowed by the hash of exactly
# that text (tests/blog/test_admin.py recomputes it from the installed editor).
# Only the post and page add and change pages get them.
TIPTAP_BASE_CSS_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def post_form_csp() -> dict[str, list[str]]:
    """The site's Content-Security-Policy plus what the body editor needs."""
    policy = dict(settings.SECURE_CSP)
    policy["script-src"] = [*policy.get("script-src", [CSP.SELF]), CSP.NONCE]
    policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), TIPTAP_BASE_CSS_HASH]
    return policy


class RichTextAdmin(ChosenRowsOnlyAdmin):
    """What posts and pages share in the admin: the body editor's Content-Security-Policy,
    their status as readers see it, and a preview page at ``<pk>/preview/`` drawn with
    ``preview_template`` from what ``preview_context`` finds."""

    preview_template: str

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        # {% csp_nonce_attr %} in the admin templates reads the nonce from here.
        extra_context = {**(extra_context or {}), "csp_nonce": get_nonce(request)}
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response._csp_config = post_form_csp()
        return response

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: Post | Page) -> str:
        """Draft, scheduled, published or expired, as readers would see it right now."""
        return obj.visibility.label

    def preview_context(self, pk: int) -> dict:
        """The template's context for the object ``pk``; Http404 when there is none."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        """The object as readers will see it, whatever its status; staff who may view it only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.preview_context(pk), "is_preview": True}
        response = TemplateResponse(request, self.preview_template, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
