"""Posts in the admin: the editor's form, publishing, corrections and shared previews;
review before publishing comes from ``blog.admin.review``. Contributors see only their own
posts and change only their own drafts (``blog.rules``).

Every write goes through ``blog.services``; the admin only lists, filters and shapes forms.
"""

from collections.abc import Callable
from datetime import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet
from django.forms import ModelForm
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
from django.utils.translation import ngettext

from accounts.models import User
from blog.admin.autosave import AutosaveAdmin
from blog.admin.coauthors import BylinesChangeList, PostCoauthorInline, coauthor_urls
from blog.admin.review import PostReviewAdmin, ReviewFilter
from blog.admin.revisions import PostRevisionsAdmin
from blog.admin.rich_text import RichTextAdmin
from blog.bylines import byline_text
from blog.forms import PostAdminForm, PostNoteForm
from blog.models import (
    PREVIEW_LINK_DAYS,
    PREVIEW_LINK_DEFAULT_DAYS,
    Post,
    PostNote,
)
from blog.review import review_approve
from blog.rules import post_may_edit, posts_visible_to, user_writes_own_posts_only
from blog.selectors import post_get_for_preview, preview_link_list_live
from blog.services import (
    post_autosave_discard,
    post_note_delete,
    post_note_save,
    post_publish,
    post_save,
    post_unpublish,
    preview_link_create,
    preview_links_revoke,
)
from core.params import positive_int


class PostStateFilter(admin.SimpleListFilter):
    """Draft, scheduled or published, as readers would see the post right now."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        published = Q(status=Post.Status.PUBLISHED)
        match self.value():
            case "draft":
                return queryset.filter(status=Post.Status.DRAFT)
            case "scheduled":
                return queryset.filter(published, published_at__gt=timezone.now())
            case "published":
                return queryset.published()
            case "expired":
                return queryset.expired()
        return queryset


# Inlines the apps built on blog add to a post's admin page (comments: its discussion
# schedule), each from its own admin module through ``post_inline_add``; blog never
# imports them (apps depend one way).
_POST_INLINES: list[type[admin.options.InlineModelAdmin]] = []


def post_inline_add(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Show ``inline`` on every post's admin page, after the post's own fields."""
    if inline not in _POST_INLINES:
        _POST_INLINES.append(inline)


class PostNoteInline(admin.StackedInline):
    """Corrections, clarifications and updates readers see at the foot of the article,
    each with its date; saved through ``post_note_save`` by ``PostAdmin.save_formset``."""

    model = PostNote
    form = PostNoteForm
    fields = ("kind", "text", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")
    extra = 1
    verbose_name = _("correction or update")
    verbose_name_plural = _("corrections and updates shown to readers")


@admin.register(Post)
class PostAdmin(PostReviewAdmin, AutosaveAdmin, PostRevisionsAdmin, RichTextAdmin):
    form = PostAdminForm
    preview_template = "blog/post_detail.html"
    list_display = (
        "title",
        "state",
        "review",
        "bylines",
        "published_at",
        "leaves_site",
        "is_sticky",
    )
    list_filter = (
        PostStateFilter,
        ReviewFilter,
        "categories",
        "tags",
        ("author", admin.RelatedOnlyFieldListFilter),
        "is_sticky",
    )
    list_select_related = ("author",)
    search_fields = ("title", "excerpt", "body")
    date_hierarchy = "published_at"
    # Drafts without a date first on every database, then the newest.
    ordering = (F("published_at").desc(nulls_first=True), "-pk")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "featured_image", "categories", "tags")
    actions = ("publish_selected", "unpublish_selected")

    def get_fieldsets(self, request: HttpRequest, obj: Post | None = None) -> list:
        main = ["title", "slug", "excerpt", "body"]
        if request.user.is_superuser:
            main.insert(2, "author")
        elif obj is not None:
            main.insert(2, "author_name")
        if obj is not None:
            main.append("opened_version")  # hidden: the version this form was opened at
        fieldsets = [
            (None, {"fields": main}),
            (
                _("Publishing"),
                {
                    "fields": (
                        "status",
                        ("published_at", "unpublish_at"),
                        "is_sticky",
                        "comments_enabled",
                    )
                },
            ),
            (_("Picture and topics"), {"fields": ("featured_image", "categories", "tags")}),
        ]
        if obj is not None:
            fieldsets.append(
                (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)})
            )
        return fieldsets

    def get_inlines(self, request: HttpRequest, obj: Post | None = None) -> list:
        inlines = [PostCoauthorInline, PostNoteInline, *_POST_INLINES]
        return [*super().get_inlines(request, obj), *inlines]

    def save_formset(self, request: HttpRequest, form: ModelForm, formset, change: bool) -> None:
        if formset.model is not PostNote:
            super().save_formset(request, form, formset, change)
            return
        # Through the services, so the post is marked as changed with each note.
        for note in formset.save(commit=False):
            post_note_save(note=note, by=request.user)
        for note in formset.deleted_objects:
            post_note_delete(note=note)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return posts_visible_to(request.user, super().get_queryset(request))

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and post_may_edit(request.user, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Post | None = None) -> list[str]:
        readonly = ["author_name", "created_at", "updated_at"]
        if not self.has_publish_permission(request):
            readonly += ["status", "published_at", "unpublish_at", "is_sticky"]
        elif obj is not None and obj.review_state == Post.ReviewState.WAITING:
            # Published through the review box's Approve, so the step is logged and told.
            readonly += ["status", "published_at"]
        return readonly

    @admin.display(description=_("leaves the site"), ordering="unpublish_at")
    def leaves_site(self, post: Post) -> str:
        """When a post leaves the site, or that it has; empty when it stays."""
        if post.unpublish_at is None:
            return ""
        if post.is_expired:
            return _("Expired")
        when = date_format(timezone.localtime(post.unpublish_at), "j M Y H:i")
        return _("Leaves the site %(when)s") % {"when": when}

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_form(
        self, request: HttpRequest, obj: Post | None = None, change: bool = False, **kwargs
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user  # named in a refusal to save over a newer version
        return form

    def save_model(self, request: HttpRequest, obj: Post, form: ModelForm, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        # The form checked the version it was opened at under the row's lock, held until
        # the admin's transaction ends; the service checks it again as every caller's rule.
        version = form.cleaned_data.get("opened_version")
        post_save(post=obj, by=request.user, edit_version=version)
        # What the editor typed is in the post now: their autosave slot is no longer needed
        # (for a new post, the slot of the new post they were writing).
        post_autosave_discard(post=obj if change else None, user=request.user)

    def view_on_site(self, obj: Post) -> str | None:
        """The public address, offered only while readers can see the post."""
        return obj.get_absolute_url() if obj.is_published else None

    def get_changelist(self, request: HttpRequest, **kwargs) -> type:
        return BylinesChangeList

    @admin.display(description=_("bylines"), ordering="author")
    def bylines(self, post: Post) -> str:
        """'By A and B' (``blog.bylines``), co-authors loaded with the page's posts."""
        return byline_text(post)

    @admin.display(description=_("author"))
    def author_name(self, post: Post) -> str:
        # Plain text: the admin would link a read-only author to a user page
        # that editors may not open.
        return str(post.author)

    # Publishing

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.publish_post")

    @admin.action(description=_("Publish selected posts"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        def publish(*, post: Post, by: User) -> Post:
            # A post waiting for review is approved, so the step is logged and told.
            if post.review_state == Post.ReviewState.WAITING:
                review_approve(post=post, by=by)
                return post
            return post_publish(post=post, by=by)

        self._apply(request, queryset, publish, _published_message)

    @admin.action(description=_("Unpublish selected posts"), permissions=["publish"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, post_unpublish, _unpublished_message)

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        service: Callable[..., Post],
        message: Callable[[int], str],
    ) -> None:
        # One post at a time through the service; a refused post is named and
        # the others still go through.
        done = 0
        for post in queryset:
            try:
                service(post=post, by=request.user)
            except ValidationError as error:
                refusal = _("“%(title)s”: %(reasons)s") % {
                    "title": post.title,
                    "reasons": " ".join(error.messages),
                }
                self.message_user(request, refusal, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, message(done), messages.SUCCESS)

    # Shared previews: links that show a draft to someone without an account

    def get_urls(self) -> list[URLPattern]:
        share = [
            path(
                "<int:pk>/share/",
                self.admin_site.admin_view(self.share_view),
                name="blog_post_share",
            ),
            path(
                "<int:pk>/share/stop/",
                self.admin_site.admin_view(self.stop_sharing_view),
                name="blog_post_share_stop",
            ),
        ]
        return [*share, *coauthor_urls(self), *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        pk = positive_int(object_id)
        if pk is not None and self.has_change_permission(request):
            extra_context["preview_sharing"] = {
                "links": [
                    (link, request.build_absolute_uri(link.get_absolute_url()))
                    for link in preview_link_list_live(post_id=pk)
                ],
                "days": PREVIEW_LINK_DAYS,
                "default_days": PREVIEW_LINK_DEFAULT_DAYS,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _post_to_share(self, request: HttpRequest, pk: int) -> Post:
        """The post ``pk`` if this editor may change it; Http404 or PermissionDenied."""
        post = self.get_object(request, str(pk))
        if post is None:
            raise Http404(_("There is no post with this number."))
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        return post

    def share_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Make a preview link for the post, lasting the days asked for (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = self._post_to_share(request, pk)
        days = positive_int(request.POST.get("days", "")) or 0
        try:
            link = preview_link_create(post=post, created_by=request.user, days=days)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Preview link made. Anyone with it can read the post until %(when)s.")
                % {"when": _local_time(link.expires_at)},
                messages.SUCCESS,
            )
        return _back_to_sharing(post)

    def stop_sharing_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Stop every live preview link of the post (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = self._post_to_share(request, pk)
        stopped = preview_links_revoke(post=post)
        if stopped:
            message = ngettext(
                "%(count)d preview link was stopped; it no longer opens the post.",
                "%(count)d preview links were stopped; they no longer open the post.",
                stopped,
            ) % {"count": stopped}
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, _("There were no preview links to stop."), messages.INFO)
        return _back_to_sharing(post)

    # Preview

    def preview_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        # Only the posts this person may open: a contributor previews their own.
        mine_only = user_writes_own_posts_only(request.user)
        if mine_only and not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404(_("There is no post with this number."))
        return super().preview_view(request, pk)

    def preview_context(self, pk: int) -> dict:
        post = post_get_for_preview(pk=pk)
        if post is None:
            raise Http404(_("There is no post with this number."))
        return {"post": post, "previous_post": None, "next_post": None}


def _local_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _back_to_sharing(post: Post) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("admin:blog_post_change", args=[post.pk]) + "#preview-links"
    )


def _published_message(count: int) -> str:
    return ngettext("%(count)d post was published.", "%(count)d posts were published.", count) % {
        "count": count
    }


def _unpublished_message(count: int) -> str:
    return ngettext(
        "%(count)d post was unpublished.", "%(count)d posts were unpublished.", count
    ) % {"count": count}
