"""Every change to posts, pages and images happens here."""

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import User
from blog.images import clean_original, make_renditions
from blog.models import (
    AUTOSAVE_MIN_SECONDS,
    MAX_COAUTHORS,
    PREVIEW_LINK_DAYS,
    Category,
    Image,
    Page,
    Post,
    PostAutosave,
    PostCoauthor,
    PostNote,
    PostRevision,
    PreviewLink,
    Tag,
    unpublish_time_refusal,
)
from blog.revisions import (
    RESTORED_FIELDS,
    RevisionStamp,
    changed_fields,
    post_snapshot,
    revision_snapshot,
    revisions_to_prune,
)
from blog.sanitize import sanitize_post_html
from blog.selectors import byline_candidates
from core.images import check_image_upload
from core.storage import STORAGE_ERRORS, storage_unavailable


def image_create(
    *, file, alt_text: str, caption: str = "", credit: str = "", uploaded_by: User | None = None
) -> Image:
    """Store a checked, metadata-free picture and its renditions.

    Refuses (ValidationError) files that are not JPEG, PNG, WebP or GIF, over the upload
    limit (settings.UPLOAD_MAX_MB) or over 40 megapixels, and a blank alt text; and, with
    code ``storage_unavailable``, an upload the storage failed to keep (nothing is left
    behind).
    """
    if not alt_text or not alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the picture for people who cannot see it.")})
    checked = check_image_upload(file)
    original = clean_original(file, checked)
    stem = uuid.uuid4().hex
    saved_names: list[str] = []
    try:
        with transaction.atomic():
            image = Image(
                alt_text=alt_text.strip(),
                caption=caption.strip(),
                credit=credit.strip(),
                uploaded_by=uploaded_by,
            )
            image.file.save(original.name, original, save=False)
            saved_names.append(image.file.name)
            renditions = []
            for description, data in make_renditions(image.file, checked, stem):
                description["name"] = default_storage.save(description["name"], ContentFile(data))
                saved_names.append(description["name"])
                renditions.append(description)
            image.renditions = renditions
            image.save()
    except Exception as error:
        for name in saved_names:
            with contextlib.suppress(*STORAGE_ERRORS):  # the storage may be what failed
                default_storage.delete(name)
        if isinstance(error, STORAGE_ERRORS):
            raise storage_unavailable("file") from error
        raise
    return image


def image_update(*, image: Image, alt_text: str, caption: str, credit: str) -> Image:
    """Change an image's words; the picture itself is replaced by uploading a new one."""
    if not alt_text or not alt_text.strip():
        raise ValidationError({"alt_text": _("Describe the picture for people who cannot see it.")})
    image.alt_text, image.caption, image.credit = alt_text.strip(), caption.strip(), credit.strip()
    image.save(update_fields=["alt_text", "caption", "credit"])
    return image


def post_check_slug_free(*, post: Post) -> None:
    """Refuse a slug that another post already uses on the same publication day."""
    if post.published_at is None:
        return
    day = timezone.localdate(post.published_at)
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    clash = Post.objects.filter(
        slug=post.slug, published_at__gte=start, published_at__lt=start + timezone.timedelta(days=1)
    ).exclude(pk=post.pk)
    if clash.exists():
        raise ValidationError(
            {"slug": _("Another post on %(day)s already uses this slug.") % {"day": day}}
        )


def post_check_unpublish_time(*, post: Post) -> None:
    """Refuse an unpublish time at or before the publication time
    (``blog.models.unpublish_time_refusal``)."""
    refusal = unpublish_time_refusal(published_at=post.published_at, unpublish_at=post.unpublish_at)
    if refusal is not None:
        raise ValidationError({"unpublish_at": refusal})


class PostEditConflict(ValidationError):
    """A save refused because someone saved the post after the editor opened it: saving
    would overwrite their change (optimistic locking, ``post_check_edit_version``)."""


def post_check_edit_version(*, post: Post, edit_version: int | None, by: User | None) -> int:
    """Lock ``post``'s row until the transaction ends and return its stored edit version;
    refuse (PostEditConflict, naming who saved it and when) when that is not
    ``edit_version``, the version the editor's form was opened at. ``edit_version`` None
    (a list action, an import) is never refused. Call it inside a transaction: the lock
    makes a second save wait here until the first has committed, then see its version."""
    stored = (
        Post.objects.select_for_update()
        .filter(pk=post.pk)
        .values_list("edit_version", flat=True)
        .first()
    )
    if stored is None or edit_version is None or stored == edit_version:
        return stored or 0
    saved = Post.objects.select_related("edited_by").only("updated_at", "edited_by").get(pk=post.pk)
    raise PostEditConflict(
        post_edit_conflict_message(saved_by=saved.edited_by, saved_at=saved.updated_at, viewer=by)
    )


def post_saved_since_message(
    *, saved_by: User | None, saved_at: datetime, viewer: User | None
) -> str:
    """Who saved the post, and when, after ``viewer`` opened it: the first sentence of a
    refusal to save over it, and of the warning the editor's page shows before that."""
    when = local_clock(saved_at)
    if saved_by is not None and viewer is not None and saved_by.pk == viewer.pk:
        return _(
            "You saved this post at %(when)s in another window, after you opened this one."
        ) % {"when": when}
    if saved_by is not None:
        return _("%(name)s saved this post at %(when)s, after you opened it.") % {
            "name": saved_by.public_name,
            "when": when,
        }
    return _("This post was saved at %(when)s, after you opened it.") % {"when": when}


def post_edit_conflict_message(
    *, saved_by: User | None, saved_at: datetime, viewer: User | None
) -> str:
    """Why a save is refused, and what the editor does now."""
    saved = post_saved_since_message(saved_by=saved_by, saved_at=saved_at, viewer=viewer)
    return f"{saved} {_('Your changes are not saved: copy them, reload, and apply them again.')}"


def local_clock(moment: datetime) -> str:
    """A moment as editors read it in messages: "10:42" today, "3 Dec 10:42" on another
    day, in the site's time zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return date_format(local, "j M H:i")


@transaction.atomic
def post_save(*, post: Post, by: User | None = None, edit_version: int | None = None) -> Post:
    """Sanitise the body and save the post, refusing a slug taken on the same day and an
    unpublish time that is not after the publication time. A published post is out of
    review, however it was published.

    Every save moves the post's ``edit_version`` and records ``by`` as who saved it. With
    ``edit_version`` (the version the editor's form was opened at), a save over someone
    else's newer one is refused (PostEditConflict) instead of overwriting it."""
    if post.pk is not None:
        post.edit_version = post_check_edit_version(post=post, edit_version=edit_version, by=by) + 1
    post.edited_by = by
    post.body = sanitize_post_html(post.body or "")
    if post.status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    if post.status == Post.Status.PUBLISHED:
        post.review_state, post.submitted_at = Post.ReviewState.NONE, None
    post_check_slug_free(post=post)
    post_check_unpublish_time(post=post)
    post.save()
    return post


@transaction.atomic
def post_publish(*, post: Post, at: datetime | None = None, by: User | None = None) -> Post:
    """Publish now, or schedule for ``at`` when it lies in the future, keeping a revision
    saved by ``by``.

    A post already live keeps its publication time unless ``at`` is given. Never refused
    as a conflict with an open editor's form, but it moves the edit version, so that
    editor's next save is.
    """
    if at is not None:
        post.published_at = at
    elif not post.is_published:
        post.published_at = timezone.now()
    post.status = Post.Status.PUBLISHED
    post_save(post=post, by=by)
    post_revision_record(post=post, by=by)
    return post


@transaction.atomic
def post_unpublish(*, post: Post, by: User | None = None) -> Post:
    """Take a post off the site; it becomes a draft again and keeps its date. A revision
    saved by ``by`` records it; the edit version moves as for a save (``post_publish``)."""
    post.status = Post.Status.DRAFT
    post.edit_version = post_check_edit_version(post=post, edit_version=None, by=by) + 1
    post.edited_by = by
    post.save(update_fields=["status", "updated_at", "edit_version", "edited_by"])
    post_revision_record(post=post, by=by)
    return post


@transaction.atomic
def page_save(page: Page) -> Page:
    """Sanitise the body and save the page, stamping a published page without a time with
    "now". Refuses (ValidationError, by field) a slug another page has or the site's own
    addresses use (``blog.models.page_slug_refusal``), a blank title, and so on: the model's
    own checks, so the admin, the WordPress import and a shell all meet the same rules."""
    page.body = sanitize_post_html(page.body or "")
    if page.status == Page.Status.PUBLISHED and page.published_at is None:
        page.published_at = timezone.now()
    page.full_clean()
    page.save()
    return page


def preview_link_create(*, post: Post, created_by: User | None, days: int) -> PreviewLink:
    """A new link that shows ``post`` to anyone who has it, for ``days`` days (one of
    ``PREVIEW_LINK_DAYS``); a published post needs none (ValidationError)."""
    if days not in PREVIEW_LINK_DAYS:
        raise ValidationError(
            _("Please choose how long the link lasts: %(choices)s days.")
            % {"choices": ", ".join(str(d) for d in PREVIEW_LINK_DAYS)}
        )
    if post.is_published:
        raise ValidationError(_("This post is published: share its address instead."))
    now = timezone.now()
    return PreviewLink.objects.create(
        post=post, created_by=created_by, created_at=now, expires_at=now + timedelta(days=days)
    )


def preview_links_revoke(*, post: Post) -> int:
    """Stop every live preview link of ``post``; how many were stopped."""
    return PreviewLink.objects.live().filter(post=post).update(revoked_at=timezone.now())


def _post_touch(post: Post) -> None:
    """Move ``post``'s ``updated_at`` to now: its ``dateModified``, its feed entries'
    updated date and its sitemap ``lastmod`` follow (and the page caches' version, through
    the save)."""
    post.save(update_fields=["updated_at"])


@transaction.atomic
def post_note_save(*, note: PostNote, by: User | None = None) -> PostNote:
    """Store a new or edited correction, clarification or update of a post, as plain text,
    and mark the post as changed. Refuses (ValidationError, by field) an empty text, one
    over ``POST_NOTE_MAX_LENGTH`` characters and an unknown kind."""
    note.text = "\n".join(
        line.strip() for line in (note.text or "").replace("\x00", "").strip().splitlines()
    )
    if note.created_by_id is None and note.pk is None:
        note.created_by = by
    note.full_clean()
    note.save()
    _post_touch(note.post)
    return note


@transaction.atomic
def post_note_delete(*, note: PostNote) -> None:
    """Remove a note added by mistake; the post is marked as changed."""
    post = note.post
    note.delete()
    _post_touch(post)


# --- Revisions (the rules are in blog.revisions) -----------------------------------------


@transaction.atomic
def post_revision_record(
    *,
    post: Post,
    by: User | None = None,
    note: str = "",
    categories: list[Category] | None = None,
    tags: list[Tag] | None = None,
) -> PostRevision | None:
    """Keep what ``post`` holds now as its newest revision, saved by ``by``; call it once
    the post's categories and tags are saved (or pass them, to save their two queries).
    Records nothing (None) when the post holds exactly what its newest revision recorded.
    Then prunes the post's old revisions (``post_revisions_prune``).

    Two saves of one post cannot take the same number: the post's row was written earlier
    in the same transaction, so the second waits for the first to commit; the unique
    (post, number) constraint guards the rest."""
    snapshot = post_snapshot(
        post,
        categories=post.categories.all() if categories is None else categories,
        tags=post.tags.all() if tags is None else tags,
    )
    previous = PostRevision.objects.filter(post=post).order_by("-number").first()
    changed = changed_fields(revision_snapshot(previous) if previous else None, snapshot)
    if previous is not None and not changed:
        return None
    revision = PostRevision.objects.create(
        post=post,
        number=previous.number + 1 if previous else 1,
        changed=changed,
        note=note,
        created_by=by,
        featured_image_id=snapshot.pop("featured_image"),
        **snapshot,
    )
    post_revisions_prune(post=post)
    return revision


def post_revisions_prune(*, post: Post, now: datetime | None = None) -> int:
    """Delete the revisions of ``post`` that ``blog.revisions.revisions_to_prune`` lets go;
    how many. One query when there is nothing to prune, two when there is."""
    stamps = [
        RevisionStamp(*row)
        for row in PostRevision.objects.filter(post=post).values_list(
            "pk", "number", "created_at", "status"
        )
    ]
    pruned = revisions_to_prune(stamps, now=now or timezone.now())
    if not pruned:
        return 0
    return PostRevision.objects.filter(pk__in=pruned).delete()[0]


@dataclass
class RestoreOutcome:
    """What a restore did: the new revision (None when the post already held that
    content) and the names of categories and tags that no longer exist and were skipped."""

    revision: PostRevision | None
    skipped: list[str]


@transaction.atomic
def post_revision_restore(*, revision: PostRevision, by: User | None) -> RestoreOutcome:
    """Copy ``revision``'s title, excerpt, body, picture, categories and tags back onto
    its post (``blog.revisions.RESTORED_FIELDS``) and keep that as a new revision "Restored
    from revision N". The post's status and times stay as they are: a restore never
    publishes, unpublishes or reschedules it. Categories and tags deleted since are
    skipped and named in the outcome."""
    post = Post.objects.select_for_update().get(pk=revision.post_id)
    terms: dict[str, list] = {}
    skipped: list[str] = []
    for name in RESTORED_FIELDS:
        model = {"categories": Category, "tags": Tag}.get(name)
        if model is None:
            field = Post._meta.get_field(name).attname  # featured_image_id for the picture
            setattr(post, field, getattr(revision, field))
            continue
        wanted = getattr(revision, name)
        found = model.objects.in_bulk([term["id"] for term in wanted])
        terms[name] = [found[term["id"]] for term in wanted if term["id"] in found]
        skipped += [term["name"] for term in wanted if term["id"] not in found]
    post_save(post=post, by=by)
    post.categories.set(terms["categories"])
    post.tags.set(terms["tags"])
    new = post_revision_record(
        post=post,
        by=by,
        note=_("Restored from revision %(number)s") % {"number": revision.number},
        **terms,
    )
    return RestoreOutcome(revision=new, skipped=skipped)


def post_coauthors_check(*, post: Post, coauthors: list[User]) -> None:
    """Refuse (ValidationError, one message per problem) a list of co-authors for ``post``
    that names its lead author, names someone twice, names someone who may not have a byline
    (``blog.selectors.byline_candidates``) or is longer than ``MAX_COAUTHORS``. The one copy
    of the rule: ``post_coauthors_set`` and the admin's form both ask here."""
    problems = []
    if len(coauthors) > MAX_COAUTHORS:
        problems.append(
            _("A post can have at most %(count)d co-authors.") % {"count": MAX_COAUTHORS}
        )
    allowed = set(
        byline_candidates()
        .filter(pk__in=[user.pk for user in coauthors])
        .values_list("pk", flat=True)
    )
    seen: set[int] = set()
    for user in coauthors:
        name = {"name": user.public_name}
        if user.pk == post.author_id:
            problems.append(_("%(name)s is already the lead author.") % name)
        elif user.pk in seen:
            problems.append(_("%(name)s is listed more than once.") % name)
        elif user.pk not in allowed:
            problems.append(
                _("%(name)s cannot have a byline: only active staff who write articles can.") % name
            )
        seen.add(user.pk)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def post_coauthors_set(*, post: Post, coauthors: list[User]) -> list[PostCoauthor]:
    """Make ``coauthors`` the post's further bylines, in this order, after its lead author
    (checked by ``post_coauthors_check``), and mark the post as changed when they differ, so
    its ``dateModified``, feed entries and sitemap ``lastmod`` follow. Rows are saved and
    deleted one by one: each moves the shared pages' version (``core.receivers``)."""
    post_coauthors_check(post=post, coauthors=coauthors)
    current = {link.user_id: link for link in PostCoauthor.objects.filter(post=post)}
    wanted = [user.pk for user in coauthors]
    changed = False
    for user_id, link in current.items():
        if user_id not in wanted:
            link.delete()
            changed = True
    links = []
    for position, user_id in enumerate(wanted, start=1):
        link = current.get(user_id) or PostCoauthor(post=post, user_id=user_id)
        if link.pk is None or link.position != position:
            link.position = position
            link.save()
            changed = True
        links.append(link)
    if changed:
        _post_touch(post)
    return links


class AutosaveRefused(ValidationError):
    """An autosave not kept (sent too soon after the last); the next one will be."""


@transaction.atomic
def post_autosave_store(
    *, post: Post | None, user: User, draft: dict[str, str] | None = None
) -> PostAutosave:
    """Record that ``user`` has ``post``'s editor open (``post`` None: a new post) and, with
    ``draft`` (title, excerpt, body), keep what they typed in their autosave slot, the body
    sanitised like a post's. Never touches the post itself, so no revision is made and a
    live post's published version stays as it was. Refuses (AutosaveRefused) a draft sent
    less than ``AUTOSAVE_MIN_SECONDS`` after the last one."""
    now = timezone.now()
    slot, created = PostAutosave.objects.select_for_update().get_or_create(
        post=post, user=user, defaults={"opened_at": now, "seen_at": now}
    )
    if not created and not slot.is_present(now):
        slot.opened_at = now  # back after a while: a new visit
    if draft is not None:
        if slot.saved_at is not None and now - slot.saved_at < timedelta(
            seconds=AUTOSAVE_MIN_SECONDS
        ):
            raise AutosaveRefused(
                _("Autosaves came too fast; your next change will be kept."), code="too_soon"
            )
        slot.title, slot.excerpt = draft["title"], draft["excerpt"]
        slot.body = sanitize_post_html(draft["body"])
        slot.saved_at = now
    slot.seen_at = now
    slot.save()
    return slot


def post_autosave_discard(*, post: Post | None, user: User) -> None:
    """Empty ``user``'s autosave slot for ``post`` (a new post's: remove it). Called when
    they discard it, and when they save the post, which then holds what they typed."""
    slots = PostAutosave.objects.filter(post=post, user=user)
    if post is None:
        slots.delete()
    else:
        slots.update(title="", excerpt="", body="", saved_at=None)
