"""Review before publishing in the post admin: the "Waiting for review" queue (a filter of
the post list, oldest first), the "Submit for review" button of a contributor's form, and
the review box of a post's page, with its log and the editors' Approve and Send back.

Every step goes through ``blog.review``; this module only reads the request and words the
answer.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from blog.forms import ReviewApproveForm
from blog.models import REVIEW_COMMENT_MAX_LENGTH, Post
from blog.review import review_approve, review_send_back, review_submit, review_withdraw
from blog.rules import post_may_edit, user_may_publish, user_writes_own_posts_only
from blog.selectors import review_event_list

SUBMIT_BUTTON = "_submit_for_review"
# The review steps the post's page sends, each to ``<pk>/review/<step>/``.
REVIEW_STEPS = ("approve", "send-back", "withdraw")


class ReviewFilter(admin.SimpleListFilter):
    """Posts waiting for review (the editors' queue, oldest first) or sent back."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            (Post.ReviewState.WAITING, _("Waiting for review")),
            (Post.ReviewState.SENT_BACK, _("Sent back")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in (Post.ReviewState.WAITING, Post.ReviewState.SENT_BACK):
            return queryset.filter(review_state=self.value())
        return queryset


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


class PostReviewAdmin(admin.ModelAdmin):
    """What the post admin adds for review; ``PostAdmin`` inherits it."""

    @admin.display(description=_("review"), ordering="submitted_at")
    def review(self, post: Post) -> str:
        """Waiting since when, or sent back; empty otherwise."""
        if post.review_state == Post.ReviewState.WAITING and post.submitted_at:
            return _("Waiting since %(when)s") % {"when": _when(post.submitted_at)}
        if post.review_state == Post.ReviewState.SENT_BACK:
            return _("Sent back")
        return ""

    def get_ordering(self, request: HttpRequest) -> list | tuple:
        # The queue: whoever has waited longest comes first.
        if request.GET.get(ReviewFilter.parameter_name) == Post.ReviewState.WAITING:
            return ("submitted_at", "pk")
        return super().get_ordering(request)

    # The contributor's "Submit for review", which saves the form first

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Post | None = None,
    ) -> TemplateResponse:
        user = request.user
        may_write = (
            post_may_edit(user, obj) if obj is not None else self.has_add_permission(request)
        )
        context["show_submit_for_review"] = may_write and user_writes_own_posts_only(user)
        if obj is not None:
            context["review"] = self._review_box(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _review_box(self, request: HttpRequest, post: Post) -> dict | None:
        """What the post page's review box shows: the log, and the steps this person may
        take now; None for a post that was never in review, unless a contributor's."""
        user = request.user
        events = review_event_list(post_id=post.pk)
        in_review = post.review_state != Post.ReviewState.NONE
        if not (events or in_review or user_writes_own_posts_only(user)):
            return None
        waiting = post.review_state == Post.ReviewState.WAITING
        return {
            "events": events,
            "waiting": waiting,
            "sent_back": post.review_state == Post.ReviewState.SENT_BACK,
            "may_decide": waiting and user_may_publish(user),
            "may_withdraw": waiting and post.author_id == user.pk,
            "comment_max_length": REVIEW_COMMENT_MAX_LENGTH,
            "submitted_at": post.submitted_at,
        }

    def response_add(
        self, request: HttpRequest, obj: Post, post_url_continue: str | None = None
    ) -> HttpResponse:
        if SUBMIT_BUTTON in request.POST:
            return self._submit_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Post) -> HttpResponse:
        if SUBMIT_BUTTON in request.POST:
            return self._submit_after_save(request, obj)
        return super().response_change(request, obj)

    def _submit_after_save(self, request: HttpRequest, post: Post) -> HttpResponse:
        try:
            review_submit(post=post, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("Your changes were saved, but the post was not submitted: %(reasons)s")
                % {"reasons": " ".join(error.messages)},
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                _(
                    "“%(title)s” was saved and submitted for review. The editors have been "
                    "told; you will hear from them by e-mail."
                )
                % {"title": post.title},
                messages.SUCCESS,
            )
        return _back_to_review(post)

    # The editors' Approve and Send back, and the author's Withdraw

    def get_urls(self) -> list[URLPattern]:
        steps = [
            path(
                "<int:pk>/review/<str:step>/",
                self.admin_site.admin_view(self.review_view),
                name="blog_post_review",
            )
        ]
        return [*steps, *super().get_urls()]

    def review_view(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Take one review step on post ``pk`` (POST only); back to the post's page with a
        message saying what happened or why nothing did."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if step not in REVIEW_STEPS:
            raise Http404(_("There is no such review step."))
        if step != "withdraw" and not user_may_publish(request.user):
            raise PermissionDenied
        post = self.get_object(request, str(pk))
        if post is None:
            raise Http404(_("There is no post with this number."))
        if step == "withdraw" and post.author_id != request.user.pk:
            raise PermissionDenied  # Editors send a post back instead.
        try:
            message = self._take_step(request, post, step)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return _back_to_review(post)

    def _take_step(self, request: HttpRequest, post: Post, step: str) -> str:
        by = request.user
        if step == "withdraw":
            review_withdraw(post=post, by=by)
            return _("“%(title)s” is no longer waiting for review; you can change it again.") % {
                "title": post.title
            }
        if step == "send-back":
            review_send_back(post=post, by=by, comment=request.POST.get("comment", ""))
            return _("“%(title)s” was sent back to %(author)s with your comment.") % {
                "title": post.title,
                "author": post.author,
            }
        form = ReviewApproveForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                _("Please give the publication time as a date and time, or leave it empty.")
            )
        event = review_approve(post=post, by=by, at=form.cleaned_data["at"])
        if event.step == event.Step.SCHEDULED:
            return _("“%(title)s” is approved and scheduled for %(when)s.") % {
                "title": post.title,
                "when": _when(post.published_at),
            }
        return _("“%(title)s” is approved and published.") % {"title": post.title}


def _back_to_review(post: Post) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:blog_post_change", args=[post.pk]) + "#review")
