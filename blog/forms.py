"""The forms editors fill in the admin: a post or a page with its rich-text body, a post's
correction or update, a library image.

The forms only shape input and word the errors; saving goes through ``blog.services``.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from blog.models import Image, Page, Post, PostCoauthor, PostNote
from blog.services import (
    PostEditConflict,
    post_check_edit_version,
    post_check_slug_free,
    post_check_unpublish_time,
    post_coauthors_check,
    post_coauthors_set,
)
from core.images import check_image_upload
from core.params import positive_int

STALE_FORM_MESSAGE = _(
    "This form does not say which version of the post it was opened at. Your changes are "
    "not saved: copy them, reload, and apply them again."
)

# What the body editor offers. Everything it can produce survives
# ``blog.sanitize``; the editor's own sanitiser stays off because ``post_save``
# cleans every body on the way in, whichever form or script sent it.
POST_BODY_EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # Pictures go in as figures: the dialog asks for the address, alt text and a caption.
    "Figure": True,
    "Image": True,
    "Caption": True,
    "History": True,
}


def rich_text_body_field() -> ProseEditorFormField:
    """The body editor of posts and pages."""
    return ProseEditorFormField(
        label=_("Body"),
        required=False,
        extensions=POST_BODY_EXTENSIONS,
        # False keeps the editor's own clean-up to turning an empty paragraph into "".
        sanitize=False,
        widget=AdminProseEditorWidget,
    )


class PostAdminForm(forms.ModelForm):
    """A post as editors write it; refuses a slug another post uses on the same day, and a
    save over someone else's newer one (``opened_version``, the post's ``edit_version``
    when the form was opened: optimistic locking)."""

    body = rich_text_body_field()
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Who is saving, named in a refusal; the admin sets it on the form class it builds.
    editor: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.edit_version

    class Meta:
        model = Post
        fields = (
            "title",
            "slug",
            "author",
            "excerpt",
            "body",
            "status",
            "published_at",
            "unpublish_at",
            "is_sticky",
            "comments_enabled",
            "featured_image",
            "categories",
            "tags",
        )
        help_texts = {
            "published_at": _(
                "Leave blank to use the moment you publish. A time in the future schedules "
                "the post."
            ),
            "unpublish_at": _(
                "Optional. At this time the post leaves the site (home, archives, feeds, "
                "search) and its address answers “not found”, as for a draft."
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        cleaned_data["opened_version"] = self._check_edit_version(
            cleaned_data.get("opened_version", "")
        )
        names = ("slug", "status", "published_at", "unpublish_at")
        if any(name in self.fields and name not in cleaned_data for name in names):
            return cleaned_data  # One of them already has its own error.
        candidate = Post(
            pk=self.instance.pk,
            **{name: self._submitted_or_stored(name) for name in names},
        )
        # ``post_save`` stamps a post published without a time with "now"; check
        # the day it will really get, so the clash shows here and not as an error page.
        if candidate.status == Post.Status.PUBLISHED and candidate.published_at is None:
            candidate.published_at = timezone.now()
        try:
            post_check_slug_free(post=candidate)
        except ValidationError as error:
            self.add_error(None, error)
        try:
            post_check_unpublish_time(post=candidate)
        except ValidationError as error:
            # On the field when the editor may change it, above the form otherwise.
            field = "unpublish_at" if "unpublish_at" in self.fields else None
            self.add_error(field, error.message_dict["unpublish_at"])
        return cleaned_data

    def _check_edit_version(self, raw: str) -> int | None:
        """The version the form was opened at, checked against the stored one; None when
        there is none to check (a new post; a form without the field, from a script, saves
        unchecked like the list's actions)."""
        if self.instance.pk is None or raw == "":
            return None
        version = edit_version_from(raw)
        if version is None:
            self.add_error(None, STALE_FORM_MESSAGE)
            return None
        try:
            # Locks the post's row until the admin's transaction ends, so a second save
            # sent at the same moment waits here and then sees this one's version.
            post_check_edit_version(post=self.instance, edit_version=version, by=self.editor)
        except PostEditConflict as conflict:
            self.add_error(None, conflict)
        return version

    def _submitted_or_stored(self, name: str) -> Any:
        # A field the user may not edit (shown read-only) keeps its stored value.
        if name in self.fields:
            return self.cleaned_data[name]
        return getattr(self.instance, name)


class PostNoteForm(forms.ModelForm):
    """A correction, clarification or update, in the post's admin page (one of its inline
    forms) and in the list of notes. Saved by ``blog.services.post_note_save``."""

    class Meta:
        model = PostNote
        fields = ("kind", "text")
        error_messages = {
            "text": {"required": _("Please write what was corrected or updated.")},
        }

    def has_changed(self) -> bool:
        # The text field strips spaces, so a note of spaces alone cleans to "" like an
        # untouched one, and the admin would drop the extra form without a word. What
        # the editor typed is a change: the form is checked, and the text refused.
        typed = self.data.get(self.add_prefix("text"), "")
        return super().has_changed() or bool(typed)


def edit_version_from(raw: str) -> int | None:
    """A post's edit version as a form sent it (0 and up, ASCII digits); None otherwise."""
    return 0 if raw == "0" else positive_int(raw)


def _post_max_length(name: str) -> int:
    return Post._meta.get_field(name).max_length


class AutosaveForm(forms.Form):
    """What the editor's page sends to ``post_autosave_store``: what was typed, or nothing
    when it only says it is still open; and the version it was opened at, to warn that
    someone saved the post since. Limits are the post's own (the body: the site's limit on
    a form's fields, ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which Django answers with a 400)."""

    title = forms.CharField(required=False, max_length=_post_max_length("title"))
    excerpt = forms.CharField(required=False, max_length=_post_max_length("excerpt"))
    body = forms.CharField(required=False, strip=False)
    opened_version = forms.CharField(required=False)

    def draft(self) -> dict[str, str] | None:
        """The typed fields to keep; None for a page only saying it is open (no body sent)."""
        if "body" not in self.data:
            return None
        return {name: self.cleaned_data[name] for name in ("title", "excerpt", "body")}

    def opened_at_version(self) -> int | None:
        return edit_version_from(self.cleaned_data["opened_version"])

    def refusal(self) -> str:
        """The errors, in words an editor reads next to "Draft not saved"."""
        return " ".join(
            f"{self.fields[name].label or name.capitalize()}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )


class ReviewApproveForm(forms.Form):
    """An editor's approval of a post waiting for review: publish now (no time), or at a
    time to come (``blog.review.review_approve`` refuses one gone by). The review box sends
    the time from a ``datetime-local`` field."""

    at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class PageAdminForm(forms.ModelForm):
    """A page as editors write it; the model refuses a slug the site's own addresses use."""

    body = rich_text_body_field()

    class Meta:
        model = Page
        fields = ("title", "slug", "body", "status", "published_at")


def _picture_help() -> str:
    # Written when shown: the limit is the site's one upload limit (settings.UPLOAD_MAX_MB).
    return _("A JPEG, PNG, WebP or GIF of at most %(size)s MB and 40 megapixels.") % {
        "size": settings.UPLOAD_MAX_MB
    }


class ImageUploadForm(forms.ModelForm):
    """A new picture for the library, with its words; the file cannot be changed later."""

    # A plain FileField: Pillow is asked once, by ``check_image_upload``, whose
    # messages say why a file is refused (ImageField's would not).
    file = forms.FileField(
        label=_("Picture"),
        help_text=lazy(_picture_help, str)(),
    )

    class Meta:
        model = Image
        fields = ("file", "alt_text", "caption", "credit")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_image_upload(upload)
        return upload


LAST = 1 << 16  # past any position a row can be given


class PostCoauthorForm(forms.ModelForm):
    """One co-author row. Rows are not checked one by one against the stored ones: the
    formset checks the whole list and saves it whole, so a person removed from one row
    and added in another is fine."""

    class Meta:
        model = PostCoauthor
        fields = ("user", "position")

    def validate_unique(self) -> None:
        """Left to ``PostCoauthorFormSet.clean`` (``post_coauthors_check``)."""

    def validate_constraints(self) -> None:
        """Left to ``PostCoauthorFormSet.clean`` (``post_coauthors_check``)."""


class PostCoauthorFormSet(forms.BaseInlineFormSet):
    """A post's co-authors as the admin's inline edits them: one row each, ordered by the
    number editors give them, rows without one (0) last; rows with the same number keep
    their order on the form.
    Checked by ``blog.services.post_coauthors_check`` and saved, whole, by
    ``post_coauthors_set``; the rows the admin's history names are worked out from it."""

    # The lead author of a new post whose form has no author field: the editor writing it
    # (set by the admin's inline, as ``PostAdmin.save_model`` does for the post).
    default_lead = None

    def ordered_coauthors(self) -> list:
        """The people of the rows kept (not deleted, not left blank), in byline order."""
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("user") or self._should_delete_form(form):
                continue
            rows.append((data.get("position") or LAST, index, data["user"]))
        return [user for _position, _index, user in sorted(rows, key=lambda row: row[:2])]

    def clean(self) -> None:
        if any(self.errors):
            return
        post = self.instance
        if post.author_id is None and self.default_lead is not None:
            post.author = self.default_lead
        try:
            post_coauthors_check(post=post, coauthors=self.ordered_coauthors())
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        super().clean()

    def save(self, commit: bool = True) -> list:
        before = {
            link.user_id: link.position for link in PostCoauthor.objects.filter(post=self.instance)
        }
        links = post_coauthors_set(post=self.instance, coauthors=self.ordered_coauthors())
        kept = {link.user_id for link in links}
        self.new_objects = [link for link in links if link.user_id not in before]
        self.changed_objects = [
            (link, ["position"])
            for link in links
            if link.user_id in before and before[link.user_id] != link.position
        ]
        self.deleted_objects = [
            PostCoauthor(post=self.instance, user_id=user_id, position=position)
            for user_id, position in before.items()
            if user_id not in kept
        ]
        return links
