from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEARCH_CONFIG = "english"


def post_search_vector() -> SearchVector:
    """The weighted full-text vector of a post; the GIN index is built on exactly this."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("excerpt", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", kwargs={"slug": self.slug})


class Image(models.Model):
    """A picture in the image library, with the renditions made from it on upload."""

    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Describe the picture for someone who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Shown as “Photo credit: …”.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    # [{"width": 480, "height": 320, "format": "webp", "name": "renditions/…"}, …]
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="images",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text

    def rendition_urls(self, image_format: str) -> list[tuple[str, int]]:
        """(url, width) of each rendition in one format, narrowest first."""
        from django.core.files.storage import default_storage

        found = [r for r in self.renditions if r["format"] == image_format]
        return [(default_storage.url(r["name"]), r["width"]) for r in sorted(found, key=_width)]


def _width(rendition: dict) -> int:
    return rendition["width"]


class PostQuerySet(models.QuerySet):
    def published(self, now=None) -> "PostQuerySet":
        """Posts readers may see: published, their time has come and their unpublish time
        (if any) has not. The one rule every reader-facing page, feed and list asks."""
        now = now or timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Post.Status.PUBLISHED,
            published_at__lte=now,
        )

    def expired(self, now=None) -> "PostQuerySet":
        """Published posts whose unpublish time has passed: gone from the site."""
        return self.filter(status=Post.Status.PUBLISHED, unpublish_at__lte=now or timezone.now())

    def next_visibility_change(self, now=None) -> datetime | None:
        """The first moment after ``now`` at which ``published()`` changes by itself, with
        no write: a scheduled post going live or a post leaving the site; one query."""
        now = now or timezone.now()
        found = self.filter(status=Post.Status.PUBLISHED).aggregate(
            going_live=Min("published_at", filter=Q(published_at__gt=now)),
            leaving=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        return min((moment for moment in found.values() if moment is not None), default=None)

    def newest_first(self) -> "PostQuerySet":
        return self.order_by("-published_at", "-pk")


class PublicationStatus(models.TextChoices):
    """The status of a post or a page; a published one shows once its time has come."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Visibility(models.TextChoices):
    """Where a post or a page stands for readers at a moment (``visibility_at``)."""

    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Published")
    EXPIRED = "expired", _("Expired")


def visibility_at(
    *, status: str, published_at: datetime | None, unpublish_at: datetime | None, now: datetime
) -> Visibility:
    """The rule of ``PostQuerySet.published`` for one row in Python: live from its
    publication time until, not including, its unpublish time."""
    if status != PublicationStatus.PUBLISHED or published_at is None:
        return Visibility.DRAFT
    if published_at > now:
        return Visibility.SCHEDULED
    if unpublish_at is not None and unpublish_at <= now:
        return Visibility.EXPIRED
    return Visibility.LIVE


def unpublish_time_refusal(
    *, published_at: datetime | None, unpublish_at: datetime | None
) -> str | None:
    """Why ``unpublish_at`` cannot be a post's unpublish time, or None when it can."""
    if unpublish_at is None or published_at is None or unpublish_at > published_at:
        return None
    return _("The time the post leaves the site must be after its publication time.")


class Publishable:
    """What readers may see of a post or a page right now, from its status and times."""

    status: str
    published_at: datetime | None
    unpublish_at: datetime | None = None  # Pages have none.

    @property
    def visibility(self) -> Visibility:
        return visibility_at(
            status=self.status,
            published_at=self.published_at,
            unpublish_at=self.unpublish_at,
            now=timezone.now(),
        )

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.LIVE

    @property
    def is_scheduled(self) -> bool:
        return self.visibility == Visibility.SCHEDULED

    @property
    def is_expired(self) -> bool:
        return self.visibility == Visibility.EXPIRED


class ReviewState(models.TextChoices):
    """Where a draft stands in review before publishing (``blog.review``)."""

    NONE = "none", _("Not submitted")
    WAITING = "waiting", _("Waiting for review")
    SENT_BACK = "sent_back", _("Sent back")


class Post(Publishable, models.Model):
    Status = PublicationStatus
    ReviewState = ReviewState

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        help_text=_("The last part of the address. Unique among posts of the same day."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("author"),
    )
    excerpt = models.TextField(
        _("excerpt"),
        max_length=500,
        blank=True,
        help_text=_("A sentence or two for lists, search results and link previews."),
    )
    body = models.TextField(_("body"), blank=True)
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="featured_in",
        verbose_name=_("featured image"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the post."),
    )
    unpublish_at = models.DateTimeField(
        _("leaves the site at"),
        null=True,
        blank=True,
        help_text=_("Optional. At this time the post leaves the site, as if it were a draft."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="posts", verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    is_sticky = models.BooleanField(
        _("sticky"), default=False, help_text=_("Keep this post at the top of the home page.")
    )
    comments_enabled = models.BooleanField(_("comments enabled"), default=True)
    # Changed only by the review services (``blog.review``), which log every step.
    review_state = models.CharField(
        _("review"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.NONE,
        editable=False,
    )
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True, editable=False
    )
    # Kept by the comments services in the same transaction as the comment change:
    # the count of published comments, and a version that keys the cached thread.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    comment_version = models.PositiveIntegerField(default=0, editable=False)
    # Optimistic locking of the editor's form: ``blog.services.post_save`` moves the version
    # on every save and refuses a save made from a form opened at an older one; who saved
    # last is named in that refusal.
    edit_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last saved by"),
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["status", "published_at"], name="blog_post_status_pub_idx"),
            models.Index(fields=["slug"], name="blog_post_slug_idx"),
            models.Index(fields=["review_state", "submitted_at"], name="blog_post_review_idx"),
            GinIndex(post_search_vector(), name="blog_post_search_idx"),
        ]
        permissions = [("publish_post", _("Can publish, schedule and unpublish posts"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        local = timezone.localtime(self.published_at) if self.published_at else timezone.now()
        return reverse(
            "blog:post_detail",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def bylines(self) -> list:
        """The people the post is by, in order: its lead author, then its co-authors. Reads
        ``coauthors`` as the selectors preload them (with their users); someone listed twice
        (a co-author made lead) is named once."""
        people = [self.author]
        for link in self.coauthors.all():
            if link.user_id != self.author_id:
                people.append(link.user)
        return people


# --- Co-authors ---------------------------------------------------------------

# How many people may share a post's byline besides its lead author.
MAX_COAUTHORS = 9


class PostCoauthor(models.Model):
    """A further byline of a post, after its lead author (``Post.author``, who owns the post
    and comes first): "By A and B". Readers see the bylines in ``position`` order; being a
    co-author gives no right over the post (docs/decisions.md, "Co-authors")."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="coauthors", verbose_name=_("post")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coauthored",
        verbose_name=_("co-author"),
    )
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("1 comes first after the lead author, then 2, and so on; 0 means last."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="blog_postcoauthor_once"),
        ]
        indexes = [models.Index(fields=["user", "post"], name="blog_postcoauthor_user_idx")]

    def __str__(self) -> str:
        return str(self.user)


# --- Review before publishing -------------------------------------------------

REVIEW_COMMENT_MAX_LENGTH = 2000


class PostReviewEvent(models.Model):
    """One step of a post's review, kept for good: submitted, published or scheduled by an
    editor, sent back with a comment, or withdrawn by its author. Written only by
    ``blog.review``; shown on the post's admin page and told by e-mail."""

    class Step(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Approved and published")
        SCHEDULED = "scheduled", _("Approved and scheduled")
        SENT_BACK = "sent_back", _("Sent back")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="review_events", verbose_name=_("post")
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), max_length=REVIEW_COMMENT_MAX_LENGTH, blank=True)
    # The publication time an approval set: when a scheduled post goes live.
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.at:%Y-%m-%d %H:%M}"


# --- Corrections and updates ----------------------------------------------------

POST_NOTE_MAX_LENGTH = 1000


class PostNoteQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None) -> "PostNoteQuerySet":
        """Notes readers may see: those of posts readers may see (``Post.objects.published``)."""
        return self.filter(post__in=Post.objects.published(now))


class PostNote(models.Model):
    """A dated correction, clarification or update an editor adds to a post. Readers see
    it in a box at the foot of the article and on /corrections/; it is plain text."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="notes", verbose_name=_("post")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"),
        max_length=POST_NOTE_MAX_LENGTH,
        help_text=_("Plain text: what was wrong or what is new. Readers see it with its date."),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("added by"),
    )

    objects = PostNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        indexes = [models.Index(fields=["created_at"], name="blog_postnote_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#note-{self.pk}"


# --- Autosave -------------------------------------------------------------------

# The editor's page sends what changed every AUTOSAVE_SECONDS, and says it is still open
# every HEARTBEAT_SECONDS when nothing did; an editor not heard from for PRESENCE_SECONDS
# has left. An autosave sent less than AUTOSAVE_MIN_SECONDS after the last is refused.
AUTOSAVE_SECONDS = 5
HEARTBEAT_SECONDS = 30
PRESENCE_SECONDS = 90
AUTOSAVE_MIN_SECONDS = 1


def heard_from_since(now: datetime) -> datetime:
    """An editor whose page was last heard from before this moment has left the post."""
    return now - timedelta(seconds=PRESENCE_SECONDS)


class PostAutosave(models.Model):
    """One editor's autosave slot for one post (``post`` empty: the new post they are
    writing), which is also their presence on it: when they opened the editor and when it
    last said it was open. It holds what they typed (title, excerpt, body) when they last
    changed it (``saved_at``; None when nothing is kept) and never touches the post, so a
    live post's published version stays as saved; a real save of the post empties it."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)
    excerpt = models.TextField(_("excerpt"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    saved_at = models.DateTimeField(_("autosaved"), null=True, blank=True)
    opened_at = models.DateTimeField(_("editing since"))
    seen_at = models.DateTimeField(_("last heard from"))

    # No page shows a slot: writing one leaves the shared pages' version alone
    # (core.receivers), or every keystroke's autosave would empty the page caches.
    shows_on_pages = False

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="blog_autosave_post_user"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(post__isnull=True),
                name="blog_autosave_new_post_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id or 'new'}: {self.user_id}"

    def is_present(self, now: datetime) -> bool:
        """Whether the editor still has the post open (``heard_from_since``)."""
        return self.seen_at > heard_from_since(now)

    def offers_restore(self, post: Post | None) -> bool:
        """Whether reopening the editor offers this autosave: it holds something, and not
        what ``post`` (None: an empty new post) already says."""
        if self.saved_at is None:
            return False
        kept = (self.title, self.excerpt, self.body)
        stored = (post.title, post.excerpt, post.body) if post is not None else ("", "", "")
        return kept != stored and any(kept)


# --- Shared previews -----------------------------------------------------------

PREVIEW_LINK_SALT = "blog.preview-link"
# How long a new preview link may last, in days; the admin offers exactly these.
PREVIEW_LINK_DAYS = (1, 7, 30)
PREVIEW_LINK_DEFAULT_DAYS = 7


class PreviewLinkQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None) -> "PreviewLinkQuerySet":
        """Links that still open their post: not stopped, and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    """A link an editor gives to someone without an account to read a post before it is
    published. Its address carries the row's number signed with the site's secret
    (``token``), so it cannot be guessed or altered; it opens the post until ``expires_at``
    or until an editor stops sharing the post (``revoked_at``). Rows are kept as a record
    of who shared what, and when."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("post")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        indexes = [models.Index(fields=["post", "expires_at"], name="blog_previewlink_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("blog:preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        """The signed part of the link's address: the same every time it is asked for (no
        timestamp in it; the row keeps when the link expires)."""
        return signing.Signer(salt=PREVIEW_LINK_SALT).sign_object(self.pk)


def preview_link_pk(token: str) -> int | None:
    """The link number ``token`` was signed for, or None when it was not signed by us."""
    try:
        pk = signing.Signer(salt=PREVIEW_LINK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return pk if type(pk) is int and pk > 0 else None


# --- Pages -------------------------------------------------------------------

# The first parts of the site's own addresses (config/urls.py and the apps' urls.py), and
# the folders the web server answers itself. A page at /<slug>/ must not take one of
# them. tests/blog/test_pages.py walks the URLconf so that a new top-level route cannot
# be left out of this list.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "accounts", "admin", "author", "category", "comments", "community-guidelines",
        "corrections",
        "feed", "healthz", "media", "preview", "search", "static", "tag",
    }
)  # fmt: skip


def page_slug_refusal(slug: str) -> str | None:
    """Why ``slug`` cannot be a page's address, or None when it can.

    The one copy of the rule: the model field's validator, ``blog.services.page_save`` and
    the tests all ask here. Numbers are refused because /2024/ is a year's archive.
    """
    if slug.lower() in RESERVED_PAGE_SLUGS:
        return _("“%(slug)s” is already used by the site’s own pages. Please choose another.") % {
            "slug": slug
        }
    if slug.isdigit():
        return _("A page’s slug cannot be only digits: /%(slug)s/ could be a year’s archive.") % {
            "slug": slug
        }
    return None


def validate_page_slug(slug: str) -> None:
    refusal = page_slug_refusal(slug)
    if refusal is not None:
        raise ValidationError(refusal, code="reserved")


class PageQuerySet(models.QuerySet):
    def published(self, now=None) -> "PageQuerySet":
        """Pages readers may see: published, and their time has come."""
        return self.filter(status=Page.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Page(Publishable, models.Model):
    """A page outside the stream of articles (About, Contact), at /<slug>/ like WordPress."""

    Status = PublicationStatus

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        validators=[validate_page_slug],
        help_text=_("The page’s address: /slug/. Unique among pages."),
    )
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Leave blank to use the moment you publish."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        permissions = [("publish_page", _("Can publish and unpublish pages"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:page", kwargs={"slug": self.slug})


# --- Revisions -------------------------------------------------------------------


class PostRevision(models.Model):
    """What a post held after one save: its words, picture, topics and status, who saved
    it and when. Recorded by ``blog.services.post_revision_record`` after every save (the
    admin, the publish actions, a restore, the WordPress import); the admin's history
    compares any two and restores one as a new revision. Categories and tags are kept as
    ``[{"id": …, "name": …}]`` lists, so a deleted tag leaves old revisions readable."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    excerpt = models.TextField(_("excerpt"), blank=True)
    body = models.TextField(_("body"), blank=True)
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("featured image"),
    )
    categories = models.JSONField(_("categories"), default=list)
    tags = models.JSONField(_("tags"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=PublicationStatus.choices)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    unpublish_at = models.DateTimeField(_("leaves the site at"), null=True, blank=True)
    # The recorded fields this save changed from the revision before it (names of
    # ``REVISION_FIELDS``), so the history lists them without loading two bodies a row.
    changed = models.JSONField(_("changed"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="blog_postrevision_number_uniq")
        ]
        indexes = [
            models.Index(fields=["post", "created_at"], name="blog_postrevision_created_idx")
        ]

    def __str__(self) -> str:
        return _("Revision %(number)s of “%(title)s”") % {
            "number": self.number,
            "title": self.title,
        }
