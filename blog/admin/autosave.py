"""Autosave and presence on the post editor.

The editor's page (static/js/post_autosave.js) sends what the editor typed every few
seconds to their autosave slot (``blog.models.PostAutosave``), or only that it is still
open; each answer names the other editors who have the post open and warns when someone
saved it since the page was opened. Reopening the editor offers the autosaved version
back. Nothing here writes the post itself.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from blog.forms import AutosaveForm
from blog.models import AUTOSAVE_SECONDS, HEARTBEAT_SECONDS, Post, PostAutosave
from blog.selectors import post_autosave_list_open
from blog.services import (
    AutosaveRefused,
    local_clock,
    post_autosave_discard,
    post_autosave_store,
    post_saved_since_message,
)


def editors_message(others: list[PostAutosave]) -> str:
    """Who else has the post open: "Ana Ruiz is also editing this post (since 10:40).";
    "" when nobody does."""
    if not others:
        return ""
    if len(others) == 1:
        return _("%(name)s is also editing this post (since %(when)s).") % {
            "name": others[0].user.public_name,
            "when": local_clock(others[0].opened_at),
        }
    names = [
        _("%(name)s (since %(when)s)")
        % {"name": slot.user.public_name, "when": local_clock(slot.opened_at)}
        for slot in others
    ]
    return _("%(names)s and %(last)s are also editing this post.") % {
        "names": ", ".join(names[:-1]),
        "last": names[-1],
    }


def saved_since_warning(post: Post, opened_version: int | None, viewer: User) -> str:
    """A warning that ``post`` was saved after the editor's page opened it at
    ``opened_version``, so saving the page's form would be refused; "" when it was not."""
    if opened_version is None or post.edit_version == opened_version:
        return ""
    saved = post_saved_since_message(
        saved_by=post.edited_by, saved_at=post.updated_at, viewer=viewer
    )
    then = _("Saving this form would be refused: copy your changes, reload, and apply them again.")
    return f"{saved} {then}"


def _refusal(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class AutosaveAdmin:
    """For PostAdmin: the autosave endpoints, and the banners of the add and change forms
    (``autosave`` in their context: templates/admin/blog/post/_autosave.html)."""

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        autosave = [
            path("autosave/", view(self.autosave_view), name="blog_post_autosave_new"),
            path(
                "autosave/discard/",
                view(self.autosave_discard_view),
                name="blog_post_autosave_discard_new",
            ),
            path("<int:pk>/autosave/", view(self.autosave_view), name="blog_post_autosave"),
            path(
                "<int:pk>/autosave/discard/",
                view(self.autosave_discard_view),
                name="blog_post_autosave_discard",
            ),
        ]
        return [*autosave, *super().get_urls()]

    def _autosave_target(self, request: HttpRequest, pk: int | None) -> Post | JsonResponse | None:
        """The post ``pk`` (None: a new post) if this editor may write it; a JsonResponse
        to send back otherwise."""
        if request.method != "POST":
            refused = _refusal(405, _("Autosaves are sent with POST."))
            refused["Allow"] = "POST"
            return refused
        if pk is None:
            allowed = self.has_add_permission(request)
            post = None
        else:
            allowed = self.has_change_permission(request)
            post = self.get_queryset(request).select_related("edited_by").filter(pk=pk).first()
            if allowed and post is None:
                return _refusal(404, _("There is no post with this number."))
        if not allowed or (post is not None and not self.has_change_permission(request, post)):
            return _refusal(403, _("You may not edit this post."))
        return post

    def autosave_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        """Keep what the editor typed in their slot, or note that their page is open (POST):
        answers the status line, the other editors present and any saved-since warning."""
        post = self._autosave_target(request, pk)
        if isinstance(post, HttpResponse):
            return post
        form = AutosaveForm(request.POST)
        if not form.is_valid():
            return _refusal(400, _("Draft not saved. %(why)s") % {"why": form.refusal()})
        draft = form.draft()
        try:
            slot = post_autosave_store(post=post, user=request.user, draft=draft)
        except AutosaveRefused as refused:
            return _refusal(429, " ".join(refused.messages))
        answer = {"status": "", "editors": "", "warning": ""}
        if draft is not None:
            answer["status"] = _("Draft saved at %(when)s") % {"when": local_clock(slot.saved_at)}
        if post is not None:
            _mine, others = post_autosave_list_open(
                post_id=post.pk, user=request.user, now=timezone.now()
            )
            answer["editors"] = editors_message(others)
            answer["warning"] = saved_since_warning(post, form.opened_at_version(), request.user)
        return JsonResponse(answer)

    def autosave_discard_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        """Empty the editor's autosave slot for the post (POST), when they decline it."""
        post = self._autosave_target(request, pk)
        if isinstance(post, HttpResponse):
            return post
        post_autosave_discard(post=post, user=request.user)
        return JsonResponse({"status": _("The autosaved version was discarded.")})

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Post | None = None,
    ) -> HttpResponse:
        if obj is None:
            may_write = self.has_add_permission(request)
        else:
            may_write = self.has_change_permission(request, obj)
        if may_write:  # not for those who may only view posts
            context["autosave"] = self._autosave_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _autosave_context(self, request: HttpRequest, post: Post | None) -> dict:
        mine, others = post_autosave_list_open(
            post_id=post.pk if post else None, user=request.user, now=timezone.now()
        )
        if post is None:
            urls = ("admin:blog_post_autosave_new", "admin:blog_post_autosave_discard_new", [])
        else:
            urls = ("admin:blog_post_autosave", "admin:blog_post_autosave_discard", [post.pk])
        context = {
            "url": reverse(urls[0], args=urls[2]),
            "discard_url": reverse(urls[1], args=urls[2]),
            "autosave_seconds": AUTOSAVE_SECONDS,
            "heartbeat_seconds": HEARTBEAT_SECONDS,
            "editors": editors_message(others),
            "offer": None,
        }
        if mine is not None and mine.offers_restore(post):
            context["offer"] = {
                "question": _("Restore the autosaved version from %(when)s?")
                % {"when": local_clock(mine.saved_at)},
                "note": _("The post was saved after it, at %(when)s.")
                % {"when": local_clock(post.updated_at)}
                if post is not None and post.updated_at > mine.saved_at
                else "",
                "draft": {"title": mine.title, "excerpt": mine.excerpt, "body": mine.body},
            }
        return context
