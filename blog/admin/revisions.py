"""A post's revisions in the admin: its history (replacing Django's own "History" page),
a comparison of any two revisions, and restoring one as a new revision.

Who may see the history and compare is who may see the post in the admin; who may
restore is who may change it (``has_view_or_change_permission`` and
``has_change_permission``, the admin's own rules). Reads are in ``blog.selectors``, the
restore in ``blog.services``.
"""

from django.contrib import messages
from django.contrib.admin.options import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from blog.models import Post, PostRevision
from blog.revisions import PRUNING_RULE, REVISION_FIELDS, revision_compare, revision_display
from blog.selectors import (
    post_revision_get,
    post_revision_list,
    post_revision_newest_number,
    post_revision_pair,
)
from blog.services import post_revision_record, post_revision_restore
from core.params import positive_int

REVISIONS_PER_PAGE = 50


class PostRevisionsAdmin(ModelAdmin):
    """Mixed into ``PostAdmin``: records a revision after each save in the admin (once
    the categories and tags are saved too) and adds the history pages."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        post_revision_record(post=form.instance, by=request.user)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        revisions = [
            path(
                "<int:pk>/history/compare/",
                wrap(self.revision_compare_view),
                name="blog_post_revision_compare",
            ),
            path(
                "<int:pk>/history/<int:number>/restore/",
                wrap(self.revision_restore_view),
                name="blog_post_revision_restore",
            ),
        ]
        return [*revisions, *super().get_urls()]

    def _post_for(self, request: HttpRequest, object_id: str, *, change: bool = False) -> Post:
        """The post if this person may see it (or change it, with ``change``)."""
        post = self.get_object(request, object_id) if positive_int(object_id) else None
        if post is None:
            raise Http404(_("There is no post with this number."))
        allowed = (
            self.has_change_permission(request, post)
            if change
            else self.has_view_or_change_permission(request, post)
        )
        if not allowed:
            raise PermissionDenied
        return post

    def _context(self, request: HttpRequest, post: Post, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": post,
            "title": title,
            "subtitle": post.title,
            "may_restore": self.has_change_permission(request, post),
        }

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """The post's revisions, newest first, 50 a page; choose two to compare."""
        post = self._post_for(request, object_id)
        paginator = Paginator(post_revision_list(post_id=post.pk), REVISIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        labels = {name: str(label).lower() for name, label in REVISION_FIELDS.items()}
        rows = [
            (revision, ", ".join(labels[name] for name in revision.changed if name in labels))
            for revision in page
        ]
        context = self._context(request, post, _("History of “%s”") % post.title)
        context |= {
            "subtitle": None,  # the title names the post already
            "page": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number),
            "pruning_rule": PRUNING_RULE,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/blog/post/revision_history.html", context)

    def revision_compare_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Two revisions side by side, field by field: ``?from=3&to=5``, or ``?to=5``
        alone for what revision 5 changed from the one kept before it."""
        post = self._post_for(request, str(pk))
        history = reverse("admin:blog_post_history", args=[post.pk])
        raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
        first, second = positive_int(raw_from), positive_int(raw_to)
        if second is None or (raw_from and first is None):
            self.message_user(request, _("Please choose two revisions to compare."), messages.ERROR)
            return HttpResponseRedirect(history)
        if first == second:
            self.message_user(
                request, _("Please choose two different revisions to compare."), messages.ERROR
            )
            return HttpResponseRedirect(history)
        if first is not None and first > second:
            first, second = second, first
        older, newer = post_revision_pair(post_id=post.pk, older=first, newer=second)
        missing = [n for n, r in ((first, older), (second, newer)) if n is not None and r is None]
        if missing or newer is None:
            self.message_user(
                request,
                _("Revision %(number)s is not kept (any more). Please choose another.")
                % {"number": missing[0] if missing else second},
                messages.ERROR,
            )
            return HttpResponseRedirect(history)
        context = self._context(
            request,
            post,
            _("Revision %(older)s compared with revision %(newer)s")
            % {"older": older.number, "newer": newer.number}
            if older
            else _("Revision %(number)s, the first kept") % {"number": newer.number},
        )
        new_display = revision_display(newer)
        context |= {
            "current": _("Comparison"),
            "older": older,
            "newer": newer,
            "changes": revision_compare(
                revision_display(older) if older else _empty_display(new_display), new_display
            ),
        }
        return TemplateResponse(request, "admin/blog/post/revision_compare.html", context)

    def revision_restore_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        """Ask, then copy revision ``number``'s content back onto the post as a new
        revision (POST); the post's status and times stay as they are."""
        post = self._post_for(request, str(pk), change=True)
        revision = post_revision_get(post_id=post.pk, number=number)
        if revision is None:
            self.message_user(
                request,
                _("Revision %(number)s is not kept (any more). Please choose another.")
                % {"number": number},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:blog_post_history", args=[post.pk]))
        if request.method == "POST":
            return self._restore(request, post, revision)
        context = self._context(
            request, post, _("Restore revision %(number)s?") % {"number": revision.number}
        )
        context |= {
            "revision": revision,
            "newest": post_revision_newest_number(post_id=post.pk),
            "current": context["title"].rstrip("?"),
        }
        return TemplateResponse(request, "admin/blog/post/revision_restore.html", context)

    def _restore(self, request: HttpRequest, post: Post, revision: PostRevision) -> HttpResponse:
        try:
            outcome = post_revision_restore(revision=revision, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:blog_post_history", args=[post.pk]))
        if outcome.revision is None:
            self.message_user(
                request,
                _("The post already holds what revision %(number)s recorded; nothing changed.")
                % {"number": revision.number},
                messages.INFO,
            )
        else:
            self.message_user(
                request,
                _(
                    "Revision %(old)s was restored as revision %(new)s. The post’s status and "
                    "publication time were not changed."
                )
                % {"old": revision.number, "new": outcome.revision.number},
                messages.SUCCESS,
            )
        if outcome.skipped:
            self.message_user(
                request,
                _("These categories and tags no longer exist and were left out: %(names)s.")
                % {"names": ", ".join(outcome.skipped)},
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:blog_post_history", args=[post.pk]))


def _empty_display(like: dict) -> dict:
    """A revision holding nothing, to compare the first kept revision with."""
    return {name: ("" if isinstance(value, str) else None) for name, value in like.items()} | {
        "categories": [],
        "tags": [],
    }
