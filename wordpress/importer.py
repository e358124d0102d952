"""Importing a WordPress export (WXR) into Tribune.

``import_wordpress`` reads the file as a stream (``wordpress.wxr``) and maps each record as
it comes: authors to staff accounts in Editors, categories and tags, posts with their
comment threads, attachments to images of the library. Everything happens in one
transaction, so a bad file or any failure leaves nothing stored (files written are
removed too), and a dry run is the same import rolled back.

Every object made is remembered in ``ImportedObject`` with a digest of what the export
said about it: a second run of the same file finds each one unchanged and touches nothing,
and a newer export of the same site updates exactly the objects whose digest changed.
What has no counterpart in Tribune (menus, pingbacks, other post types…) is skipped, each
with the reason, in the summary.
"""

import contextlib
import hashlib
import re
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.roles import EDITORS
from accounts.services.roles import user_role_grant
from blog.models import Category, Image, Page, Post, Tag, page_slug_refusal
from blog.services import (
    image_update,
    page_save,
    post_check_slug_free,
    post_revision_record,
    post_save,
)
from comments import rules
from comments.models import Comment
from comments.rendering import comment_body_html
from comments.selectors import discussion_settings_get
from comments.services import comment_status_change_log, ip_hash, post_comments_bump
from core.storage import STORAGE_ERRORS
from wordpress import media
from wordpress.content import wordpress_excerpt, wordpress_html
from wordpress.mapping import (
    WITH_PICTURES,
    attachment_credit,
    author_old_path,
    comment_status_for,
    comment_text,
    digest_of,
    excerpt_for,
    is_email,
    old_path_of,
    parents_first,
    plain_text,
    post_status_for,
    published_at_for,
    same_or_better,
    slug_for,
    when_for,
    wordpress_login,
)
from wordpress.models import ImportedObject
from wordpress.summary import ImportSummary, Progress, Skipped
from wordpress.wxr import Author, Item, Record, Site, Term, read_wxr
from wordpress.wxr import Comment as WPComment

Kind = ImportedObject.Kind

# How often the progress callback may be called, at most.
PROGRESS_INTERVAL = 0.25

# How many uploads' images one run keeps at hand before asking the database again.
IMAGE_CACHE_SIZE = 500

# --- The import ------------------------------------------------------------------------


def import_wordpress(
    path: Path,
    *,
    media_dir: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> ImportSummary:
    """Import the WXR file at ``path``; pictures come from ``media_dir`` (the site's
    ``wp-content/uploads`` folder) when given. Returns what was created, updated, left
    unchanged and skipped (with why).

    One transaction: a ``WXRError`` from the file, or any other failure, leaves nothing
    stored and removes the files written. A ``dry_run`` does the whole import and rolls it
    back, returning what would happen. ``progress`` is called a few times a second at most.
    """
    path = Path(path)
    summary = ImportSummary(dry_run=dry_run)
    run = _Import(summary=summary, media_dir=Path(media_dir) if media_dir else None)
    reporter = _Reporter(progress, total=path.stat().st_size, summary=summary)
    try:
        with transaction.atomic():
            with path.open("rb") as file:
                for record in read_wxr(file):
                    run.take(record)
                    reporter.tick(file.tell())
            run.finish()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        run.remove_files()
        raise
    if dry_run:
        run.remove_files()
    reporter.tick(reporter.total, force=True)
    return summary


class _Reporter:
    """Calls ``progress`` at most every ``PROGRESS_INTERVAL`` seconds."""

    def __init__(
        self, progress: Callable[[Progress], None] | None, *, total: int, summary: ImportSummary
    ):
        self.progress, self.total, self.summary = progress, total, summary
        self.last = 0.0

    def tick(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress is None or (not force and now - self.last < PROGRESS_INTERVAL):
            return
        self.last = now
        self.progress(Progress(min(done, self.total), self.total, self.summary.counts()))


class _Import:
    """The state of one import: what the file has said so far that later records need."""

    def __init__(self, *, summary: ImportSummary, media_dir: Path | None) -> None:
        self.summary = summary
        self.media_dir = media_dir
        self.site = Site()
        self.max_depth = discussion_settings_get().max_depth
        self.users_by_login: dict[str, User] = {}
        self.users_by_author_id: dict[str, User] = {}
        self.users_by_email: dict[str, User] = {}
        self.categories: dict[str, Category] = {}  # by WordPress slug
        self.category_parents: dict[str, str] = {}  # WordPress slug -> parent's slug
        self.tags: dict[str, Tag] = {}  # by WordPress slug
        self.seen: set[tuple[str, str]] = set()
        self.images: dict[str, Image | None] = {}  # by upload path
        self.featured: dict[int, str] = {}  # post pk -> attachment id, set at the end
        self.written: list[str] = []  # storage names of files this run wrote

    # --- bookkeeping ----------------------------------------------------------------------

    def take(self, record: Record) -> None:
        if isinstance(record, Site):
            self.site = record
        elif isinstance(record, Author):
            self.author(record)
        elif isinstance(record, Term):
            self.term(record)
        elif isinstance(record, Item):
            self.item(record)

    def first_time(self, kind: str, wp_id: str) -> bool:
        """False for an author or term this run has already dealt with (WordPress lists
        some categories twice, as wp:category and as wp:term). Items and comments are not
        kept here, so memory does not grow with the file; one listed twice is found
        unchanged the second time."""
        key = (kind, wp_id)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def skip(self, kind: str, wp_id: str, title: str, reason: str) -> None:
        self.summary.skipped.append(Skipped(kind, wp_id, plain_text(title, 120), reason))

    def mapped(self, kind: str, wp_id: str) -> tuple[ImportedObject | None, object | None]:
        row = ImportedObject.objects.filter(kind=kind, wp_id=wp_id).first()
        if row is None:
            return None, None
        model = ImportedObject.target_model(kind)
        return row, model._default_manager.filter(pk=row.object_id).first()

    def remember(
        self,
        row: ImportedObject | None,
        *,
        kind: str,
        wp_id: str,
        target,
        digest: str,
        old_path: str = "",
    ) -> None:
        if row is None:
            row = ImportedObject(kind=kind, wp_id=wp_id)
        row.object_id, row.digest, row.old_path = target.pk, digest, old_path
        row.save()

    def outcome(self, kind: str, *, created: bool, changed: bool) -> None:
        if created:
            self.summary.created[kind] += 1
        elif changed:
            self.summary.updated[kind] += 1
        else:
            self.summary.unchanged[kind] += 1

    # --- authors --------------------------------------------------------------------------

    def author(self, author: Author) -> User | None:
        author.login = wordpress_login(author.login)
        if not author.login or not self.first_time(Kind.AUTHOR, author.login):
            return self.users_by_login.get(author.login)
        digest = digest_of(author)
        row, user = self.mapped(Kind.AUTHOR, author.login)
        created = changed = False
        if user is None and author.email:
            user = User.objects.filter(email__iexact=author.email).first()
        if user is None:
            user = self.create_user(author)
            created = True
        elif row is not None and row.digest != digest:
            # The names follow the export; the e-mail address, password and roles are the
            # person's own once their account exists.
            user.display_name = plain_text(author.display_name, 100)
            user.first_name = plain_text(author.first_name, 150)
            user.last_name = plain_text(author.last_name, 150)
            user.save(update_fields=["display_name", "first_name", "last_name"])
            changed = True
        if created or row is None or row.digest != digest:
            self.remember(
                row,
                kind=Kind.AUTHOR,
                wp_id=author.login,
                target=user,
                digest=digest,
                old_path=author_old_path(author),
            )
        self.outcome(Kind.AUTHOR, created=created, changed=changed)
        self.users_by_login[author.login] = user
        if author.author_id:
            self.users_by_author_id[author.author_id] = user
        if author.email:
            self.users_by_email[author.email.lower()] = user
        return user

    def create_user(self, author: Author) -> User:
        """A staff account in Editors with no usable password: they set one by resetting
        it. The username is the WordPress login (so /author/login/ keeps working) unless
        someone already has it."""
        username = _free_username(re.sub(r"[^\w.@+-]", "-", author.login)[:150] or "author")
        email = author.email if is_email(author.email) else f"{username}@wordpress.invalid"
        user = User(
            username=username,
            email=email,
            display_name=plain_text(author.display_name, 100),
            first_name=plain_text(author.first_name, 150),
            last_name=plain_text(author.last_name, 150),
        )
        user.set_unusable_password()
        user.save()
        return user_role_grant(user=user, role=EDITORS)

    def user_for_login(self, login: str) -> User:
        """The author of a post: an author the export listed, or, for a login it did
        not list, an account made for it."""
        login = wordpress_login(login) or "wordpress"
        user = self.users_by_login.get(login) or ImportedObject.objects.target(Kind.AUTHOR, login)
        if user is None:
            user = self.author(Author(login=login, display_name=login))
        self.users_by_login[login] = user
        return user

    # --- categories and tags --------------------------------------------------------------

    def term(self, term: Term) -> None:
        if term.taxonomy not in ("category", "post_tag"):
            if self.first_time(f"term:{term.taxonomy}", term.term_id):
                self.skip(
                    term.taxonomy,
                    term.term_id,
                    term.name,
                    "Tribune keeps only categories and tags, so other WordPress taxonomies "
                    "(menus, formats…) are not imported.",
                )
            return
        if term.taxonomy == "category":
            self.category_parents[term.slug] = term.parent
            self.taxonomy_term(term, Kind.CATEGORY, Category, self.categories)
        else:
            self.taxonomy_term(term, Kind.TAG, Tag, self.tags)

    def taxonomy_term(self, term: Term, kind: str, model, known: dict) -> Category | Tag | None:
        """A category or tag. Tribune's categories are flat: a WordPress child category
        becomes a category of its own (its old address, with the parents' slugs in it,
        still leads to it)."""
        wp_id = term.term_id or f"slug:{term.slug}"
        if not self.first_time(kind, wp_id):
            return known.get(term.slug)
        digest = digest_of(term)
        row, target = self.mapped(kind, wp_id)
        slug = slug_for(term.slug, name=term.name, fallback=f"{kind}-{wp_id}", max_length=100)
        name = plain_text(term.name, 100) or slug
        description = plain_text(term.description, 10_000)
        created = changed = False
        if target is None:
            target = model.objects.filter(slug=slug).first()
        if target is None:
            target = model.objects.create(
                slug=slug, name=_free_name(model, name, slug), description=description
            )
            created = True
        elif row is not None and row.digest != digest:
            target.name = _free_name(model, name, slug, exclude=target.pk)
            target.description = description
            target.save(update_fields=["name", "description"])
            changed = True
        if created or row is None or row.digest != digest:
            self.remember(
                row,
                kind=kind,
                wp_id=wp_id,
                target=target,
                digest=digest,
                old_path=self.term_path(kind, term.slug),
            )
        self.outcome(kind, created=created, changed=changed)
        known[term.slug] = target
        return target

    def term_path(self, kind: str, slug: str) -> str:
        if kind == Kind.TAG:
            return f"/tag/{slug}/"[:500]
        chain, seen = [slug], {slug}
        parent = self.category_parents.get(slug, "")
        while parent and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
            parent = self.category_parents.get(parent, "")
        return f"/category/{'/'.join(chain)}/"[:500]

    def item_terms(self, item: Item, taxonomy: str, kind: str, model, known: dict) -> list:
        found = []
        for term in item.terms:
            if term.taxonomy != taxonomy or not term.slug:
                continue
            target = known.get(term.slug) or self.same_name(known, term.name)
            if target is None:  # named by the item only
                target = self.taxonomy_term(
                    Term(taxonomy=taxonomy, term_id="", slug=term.slug, name=term.name),
                    kind,
                    model,
                    known,
                )
            found.append(target)
        return found

    def same_name(self, known: dict, name: str) -> Category | Tag | None:
        """A term this run imported under the name an item gives a term it did not
        declare: names are unique in Tribune, so the same name is the same term."""
        name = plain_text(name, 100).casefold()
        return next((t for t in known.values() if t.name.casefold() == name), None)

    # --- items ----------------------------------------------------------------------------

    def item(self, item: Item) -> None:
        if item.post_type == "post":
            self.post(item)
        elif item.post_type == "attachment":
            self.attachment(item)
        elif item.post_type == "page":
            self.page(item)
        elif item.post_type == "nav_menu_item":
            self.skip(
                "menu item",
                item.post_id,
                item.title,
                "menus are not imported: Tribune's navigation is part of its templates.",
            )
        else:
            self.skip_with_comments(
                item,
                item.post_type,
                f"WordPress “{item.post_type}” items have no counterpart in Tribune.",
            )

    def skip_with_comments(self, item: Item, kind: str, reason: str) -> None:
        self.skip(kind, item.post_id, item.title, reason)
        for comment in item.comments:
            self.skip(
                "comment",
                comment.comment_id,
                comment.author,
                f"it was on {kind} {item.post_id}, which is not imported.",
            )

    def post(self, item: Item) -> None:
        post = self.publishable(item, Kind.POST, self.save_post)
        if post is not None:
            self.comments(item, post)

    def page(self, item: Item) -> None:
        """A WordPress page as a Tribune page (About, Contact…). Pages take no comments in
        Tribune; a page's comments are listed as skipped."""
        if self.publishable(item, Kind.PAGE, self.save_page) is not None:
            for comment in item.comments:
                self.skip(
                    "comment",
                    comment.comment_id,
                    comment.author,
                    "Tribune's pages take no comments.",
                )

    def publishable(
        self, item: Item, kind: str, save: Callable[[Item, Post | Page | None, str], Post | Page]
    ) -> Post | Page | None:
        """The post or page made from ``item``: created, updated when the export changed
        it, or left as it is; None, with the reason listed, when it is not imported."""
        status = post_status_for(item.status, has_password=bool(item.post_password))
        if status is None:
            self.skip_with_comments(
                item, kind, f"its WordPress status is “{item.status}”, which is not imported."
            )
            return None
        digest = self.publishable_digest(item)
        row, target = self.mapped(kind, item.post_id)
        created = target is None
        changed = created or not same_or_better(row.digest, digest)
        if changed:
            try:
                target = save(item, target, status)
            except ValidationError as refused:
                self.skip_with_comments(item, kind, " ".join(refused.messages))
                return None
            self.remember(
                row,
                kind=kind,
                wp_id=item.post_id,
                target=target,
                digest=digest,
                old_path=old_path_of(item.link),
            )
        self.outcome(kind, created=created, changed=changed)
        return target

    def publishable_digest(self, item: Item) -> str:
        """``digest_of(item)`` with its last character saying whether the pictures could be
        imported with it (an uploads folder was given): a post first imported without them
        is imported again, pictures and all, when a later run brings the folder."""
        return digest_of(item)[:63] + (WITH_PICTURES if self.media_dir else "-")

    def save_page(self, item: Item, page: Page | None, status: str) -> Page:
        """Slugs as WordPress had them (so /about/ stays /about/) unless the site's own
        addresses use one; nested pages are flat here, their old address kept."""
        page = page or Page()
        page.title = plain_text(item.title, 200) or "Untitled"
        page.author = self.user_for_login(item.creator)
        page.body = wordpress_html(item.content, image_src=self.image_src(page.author, page.title))
        page.status = status
        page.published_at = published_at_for(item, status)
        if page.pk is None:
            page.slug = _free_page_slug(
                slug_for(
                    item.post_name, name=page.title, fallback=f"page-{item.post_id}", max_length=190
                )
            )
        return page_save(page)

    def save_post(self, item: Item, post: Post | None, status: str) -> Post:
        post = post or Post()
        post.title = plain_text(item.title, 200) or "Untitled"
        post.author = self.user_for_login(item.creator)
        post.excerpt = excerpt_for(item)
        post.body = wordpress_html(item.content, image_src=self.image_src(post.author, post.title))
        post.status = status
        post.published_at = published_at_for(item, status)
        post.is_sticky = item.is_sticky or item.post_id in self.site.sticky_ids
        post.comments_enabled = item.comment_status == "open"
        if post.pk is None:
            post.slug = slug_for(
                item.post_name, name=post.title, fallback=f"post-{item.post_id}", max_length=200
            )
        _free_post_slug(post)
        is_new = post.pk is None
        post_save(post=post)
        categories = self.item_terms(item, "category", Kind.CATEGORY, Category, self.categories)
        tags = self.item_terms(item, "post_tag", Kind.TAG, Tag, self.tags)
        if is_new:  # nothing to take away: two queries fewer per post than set()
            post.categories.add(*categories)
            post.tags.add(*tags)
        else:
            post.categories.set(categories)
            post.tags.set(tags)
        # One revision per post the import creates or changes; the terms in hand save the
        # revision two queries.
        post_revision_record(
            post=post, note="Imported from WordPress", categories=categories, tags=tags
        )
        thumbnail = item.postmeta.get("_thumbnail_id", "").strip()
        if thumbnail:
            self.featured[post.pk] = thumbnail
        return post

    # --- pictures -------------------------------------------------------------------------

    def image_src(self, uploader: User, title: str) -> Callable[[str], str | None]:
        """For ``wordpress_html``: the new address of a picture a body uses, imported from
        the uploads folder on first use; a file that is not there is listed as skipped."""

        def src(url: str) -> str | None:
            def missing(reason: str) -> None:
                self.skip("picture", media.uploads_relative_path(url), title, reason)

            image = self.image_for(
                url, alt_text="", caption="", credit="", uploader=uploader, missing=missing
            )
            return image.file.url if image else None

        return src

    def image_for(
        self,
        url: str,
        *,
        alt_text: str,
        caption: str,
        credit: str,
        uploader: User | None,
        missing: Callable[[str], None],
    ) -> Image | None:
        """The library image made from an uploaded file: imported on first use, once per
        file and per site (later runs find it through ``ImportedObject``). ``missing`` hears
        why, the first time a file cannot be imported."""
        if self.media_dir is None:
            return None
        key = media.uploads_relative_path(url)
        if key in self.images:
            return self.images[key]
        if len(self.images) >= IMAGE_CACHE_SIZE:  # bounded: memory must not grow with the file
            self.images.clear()
        wp_id = f"upload:{hashlib.sha256(key.encode()).hexdigest()}"
        _row, image = self.mapped(Kind.ATTACHMENT, wp_id)
        if image is None:
            try:
                image = media.image_from_uploads(
                    self.media_dir,
                    url,
                    alt_text=alt_text,
                    caption=caption,
                    credit=credit,
                    uploaded_by=uploader,
                )
            except media.MediaMissing as refused:
                missing(refused.reason)
            else:
                self.written.extend([image.file.name, *(r["name"] for r in image.renditions)])
                self.summary.created[Kind.ATTACHMENT] += 1
                ImportedObject.objects.update_or_create(
                    kind=Kind.ATTACHMENT,
                    wp_id=wp_id,
                    defaults={"object_id": image.pk, "old_path": old_path_of(url)},
                )
        self.images[key] = image
        return image

    def attachment(self, item: Item) -> None:
        """An attachment's picture as a library image, with its alt text and caption (a
        file other posts' bodies already brought in is the same image)."""
        if self.media_dir is None:
            self.skip(
                "attachment",
                item.post_id,
                item.title,
                "no uploads folder was given (--media-dir), so its file was not imported.",
            )
            return
        digest = digest_of(item)
        row, image = self.mapped(Kind.ATTACHMENT, item.post_id)
        alt_text = plain_text(item.postmeta.get("_wp_attachment_image_alt", ""), 250)
        alt_text = alt_text or plain_text(item.title, 250)
        caption = wordpress_excerpt(item.excerpt)
        credit = attachment_credit(item.postmeta.get("_wp_attachment_metadata", ""))
        reasons: list[str] = []
        if image is None:
            image = self.image_for(
                item.postmeta.get("_wp_attached_file") or item.attachment_url,
                alt_text=alt_text,
                caption=caption,
                credit=credit,
                uploader=self.users_by_login.get(wordpress_login(item.creator)),
                missing=reasons.append,
            )
            if image is None:
                reason = reasons[0] if reasons else "its file could not be imported (see above)."
                self.skip("attachment", item.post_id, item.title, reason)
                return
        elif row.digest != digest:
            image_update(
                image=image,
                alt_text=alt_text or image.alt_text,
                caption=caption[:300],
                credit=credit[:200] or image.credit,
            )
            self.outcome(Kind.ATTACHMENT, created=False, changed=True)
        else:
            self.outcome(Kind.ATTACHMENT, created=False, changed=False)
        if row is None or row.digest != digest:
            self.remember(
                row,
                kind=Kind.ATTACHMENT,
                wp_id=item.post_id,
                target=image,
                digest=digest,
                old_path=old_path_of(item.link),
            )

    def set_featured_images(self) -> None:
        for post_pk, attachment_id in self.featured.items():
            image = ImportedObject.objects.target(Kind.ATTACHMENT, attachment_id)
            post = Post.objects.get(pk=post_pk)
            if post.featured_image_id != (image.pk if image else None):
                post.featured_image = image
                post.save(update_fields=["featured_image", "updated_at"])

    def remove_files(self) -> None:
        """Remove the files this run wrote (after a rollback their rows are gone)."""
        for name in self.written:
            with contextlib.suppress(*STORAGE_ERRORS):
                default_storage.delete(name)
        self.written.clear()

    # --- comments -------------------------------------------------------------------------

    def comments(self, item: Item, post: Post) -> None:
        """The post's comments with their threads; then the post's count and comment
        version, once, if anything changed.

        Read and written in batches: the map rows and comments already imported in two
        queries, new comments one level of the thread at a time, so a big discussion
        costs a handful of queries rather than several per comment.
        """
        kept = [wp for wp in item.comments if self.comment_wanted(wp)]
        by_id = {wp.comment_id: wp for wp in kept}
        rows = {
            row.wp_id: row
            for row in ImportedObject.objects.filter(kind=Kind.COMMENT, wp_id__in=list(by_id))
        }
        existing = Comment.objects.in_bulk([row.object_id for row in rows.values()])
        placed = {
            wp_id: existing[row.object_id]
            for wp_id, row in rows.items()
            if row.object_id in existing
        }
        levels: dict[int, list[tuple[Comment, ImportedObject]]] = {}
        changed = False
        for wp in parents_first(kept, by_id):
            digest = digest_of(wp)
            comment = placed.get(wp.comment_id)
            if comment is None:
                comment = Comment(post=post)
                self.place_reply(comment, placed.get(wp.parent))
                self.fill_comment(comment, wp, post)
                placed[wp.comment_id] = comment
                # A row left by a comment deleted since is reused (one row per WordPress id).
                row = rows.get(wp.comment_id) or ImportedObject(
                    kind=Kind.COMMENT, wp_id=wp.comment_id
                )
                row.digest = digest
                levels.setdefault(comment.depth, []).append((comment, row))
                self.outcome(Kind.COMMENT, created=True, changed=True)
                changed = True
            elif rows[wp.comment_id].digest != digest:
                self.refill_comment(comment, wp, post)
                self.remember(
                    rows[wp.comment_id],
                    kind=Kind.COMMENT,
                    wp_id=wp.comment_id,
                    target=comment,
                    digest=digest,
                )
                self.outcome(Kind.COMMENT, created=False, changed=True)
                changed = True
            else:
                self.outcome(Kind.COMMENT, created=False, changed=False)
        for depth in sorted(levels):
            self.store_level(levels[depth])
        if changed:
            post_comments_bump(post.pk)

    def comment_wanted(self, wp: WPComment) -> bool:
        """False, with the reason in the summary, for what is not imported as a comment."""
        if wp.type in ("pingback", "trackback"):
            self.skip(wp.type, wp.comment_id, wp.author, "pingbacks and trackbacks are not kept.")
            return False
        if not comment_text(wp.content):
            self.skip("comment", wp.comment_id, wp.author, "it has no text.")
            return False
        return True

    def store_level(self, pairs: list[tuple[Comment, ImportedObject]]) -> None:
        """Store new comments of one depth (their parents are stored already) and their map
        rows. A top-level comment is its own thread, as ``comment_create`` stores it."""
        comments = [comment for comment, _row in pairs]
        for comment in comments:
            if comment.parent is not None:
                comment.thread_id = comment.parent.thread_id
        Comment.objects.bulk_create(comments)
        roots = [comment.pk for comment in comments if comment.parent is None]
        if roots:
            Comment.objects.filter(pk__in=roots).update(thread_id=F("pk"))
        for comment, row in pairs:
            if comment.parent is None:
                comment.thread_id = comment.pk
            row.object_id = comment.pk
            row.old_path = ""
        ImportedObject.objects.bulk_create([row for _comment, row in pairs if row.pk is None])
        for _comment, row in pairs:
            if row.pk is not None:
                row.save()

    def place_reply(self, comment: Comment, parent: Comment | None) -> None:
        """Under ``parent``, or, past the deepest level the discussion settings allow, under
        the deepest ancestor that still takes replies (``rules.reply_nests_under``)."""
        while (
            parent is not None
            and not rules.reply_nests_under(depth=parent.depth, max_depth=self.max_depth)
            and parent.parent is not None  # a parent made in this run has no parent_id yet
        ):
            parent = parent.parent
        comment.parent = parent
        comment.thread_id = parent.thread_id if parent else None
        comment.depth = parent.depth + 1 if parent else 0

    def refill_comment(self, comment: Comment, wp: WPComment, post: Post) -> None:
        """A comment a newer export changed. Its new status is logged as any change of
        status is; a comment a moderator here has acted on keeps the status they gave it."""
        from_status = comment.status
        moderated_here = comment.events.filter(actor__isnull=False).exists()
        self.fill_comment(comment, wp, post)
        if moderated_here:
            comment.status = from_status
        comment.save()
        if comment.status != from_status:
            comment_status_change_log(
                comment=comment, from_status=from_status, rule="a newer WordPress export"
            )

    def fill_comment(self, comment: Comment, wp: WPComment, post: Post) -> None:
        body = comment_text(wp.content)
        user = self.users_by_author_id.get(wp.user_id) if wp.user_id != "0" else None
        if user is None and wp.user_id != "0":
            user = self.users_by_email.get(wp.author_email.lower())
        comment.user = user
        comment.guest_name = "" if user else (plain_text(wp.author, 100) or "Anonymous")
        comment.guest_email = "" if user or not is_email(wp.author_email) else wp.author_email
        comment.body = body
        comment.body_html = comment_body_html(body)
        comment.status = comment_status_for(wp.approved)
        comment.created_at = when_for(wp.date_gmt, wp.date) or post.published_at or timezone.now()
        comment.ip_hash = ip_hash(wp.author_ip)

    # --- the end --------------------------------------------------------------------------

    def finish(self) -> None:
        self.set_featured_images()


def _free_post_slug(post: Post) -> None:
    """Tribune's rule (``post_check_slug_free``: unique among posts of the same day), met by
    adding -2, -3… to the WordPress slug when another post already has it."""
    base = post.slug
    for n in count(2):
        try:
            post_check_slug_free(post=post)
        except ValidationError:
            suffix = f"-{n}"
            post.slug = base[: 200 - len(suffix)] + suffix
        else:
            return


def _free_page_slug(slug: str) -> str:
    """A slug no page has and the site's own addresses do not use (``page_slug_refusal``):
    "feed" becomes "feed-page", "2024" "page-2024", a taken one gets -2, -3…"""
    if page_slug_refusal(slug) is not None:
        slug = f"page-{slug}" if slug.isdigit() else f"{slug}-page"
    wanted = slug
    for n in count(2):
        if not Page.objects.filter(slug=slug).exists():
            return slug
        slug = f"{wanted}-{n}"
    raise AssertionError("unreachable")


def _free_username(wanted: str) -> str:
    username = wanted
    for n in count(2):
        if not User.objects.filter(username__iexact=username).exists():
            return username
        suffix = f"-{n}"
        username = wanted[: 150 - len(suffix)] + suffix
    raise AssertionError("unreachable")


def _free_name(model, name: str, slug: str, *, exclude: int | None = None) -> str:
    """``name``, or, when another category (or tag) has it, the name with its slug: names
    are unique in Tribune, and flattening WordPress's tree can make two alike."""
    clash = model.objects.filter(name=name).exclude(pk=exclude).exists()
    return f"{name} ({slug})"[:100] if clash else name
