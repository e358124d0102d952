"""Factories for every model, with traits for the states tests need."""

import io
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags
from PIL import Image as PILImage

from accounts.models import User
from accounts.roles import CONTRIBUTORS, EDITORS, MODERATORS

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)
    # Members have confirmed their e-mail address unless a test says otherwise.
    email_verified_at = factory.LazyFunction(timezone.now)

    class Params:
        unverified = factory.Trait(email_verified_at=None)
        # A trait cannot set a post-generation's extracted value; it passes
        # ``roles__names``, which reaches the hook below as a keyword.
        editor = factory.Trait(is_staff=True, byline_title="Staff Writer", roles__names=[EDITORS])
        moderator = factory.Trait(is_staff=True, roles__names=[MODERATORS])
        contributor = factory.Trait(is_staff=True, roles__names=[CONTRIBUTORS])

    @factory.post_generation
    def roles(self, create, extracted, names=(), **kwargs):
        """Add the user to the named groups: ``UserFactory(roles=["Editors"])``."""
        wanted = [*(extracted or []), *names]
        if create and wanted:
            self.groups.add(*Group.objects.filter(name__in=wanted))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "blog.Tag"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


def make_picture_bytes(width: int = 640, height: int = 400, image_format: str = "JPEG") -> bytes:
    """A small real picture made by Pillow, in memory."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (40, 90, 160)).save(buffer, format=image_format)
    return buffer.getvalue()


def make_jpeg_with_gps(width: int = 1200, height: int = 800) -> bytes:
    """A real JPEG carrying EXIF with a camera make and a GPS position, for the tests that
    show such metadata never leaves an upload."""
    picture = PILImage.new("RGB", (width, height), (200, 120, 40))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Test camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 0.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def set_avatar(member, name: str = "first.png") -> User:
    """Give ``member`` an avatar made from a fresh picture, through the profile service."""
    from accounts.avatars import avatar_process
    from accounts.services.profile import profile_update

    upload = SimpleUploadedFile(name, make_picture_bytes(640, 400, "PNG"), "image/png")
    return profile_update(
        user=member,
        display_name=member.display_name,
        byline_title="",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
        avatar=avatar_process(upload),
    )


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image stored through ``image_create``, so renditions exist."""

    class Meta:
        model = "blog.Image"

    alt_text = factory.Faker("sentence", nb_words=6)
    caption = factory.Faker("sentence", nb_words=8)
    credit = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from blog.services import image_create

        upload = kwargs.pop("file", None) or SimpleUploadedFile(
            "picture.jpg", make_picture_bytes(), content_type="image/jpeg"
        )
        return image_create(file=upload, **kwargs)


class PostFactory(factory.django.DjangoModelFactory):
    """A published post from an hour ago; traits ``draft`` and ``scheduled``."""

    class Meta:
        model = "blog.Post"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    author = factory.SubFactory(UserFactory, editor=True)
    excerpt = factory.Faker("sentence", nb_words=14)
    body = factory.LazyFunction(lambda: "<p>Body text of the article.</p>")
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status="draft", published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
        )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def coauthors(self, create, extracted, **kwargs):
        """Further bylines, in order: ``PostFactory(coauthors=[ada, ben])``."""
        if create and extracted:
            for position, user in enumerate(extracted, start=1):
                self.coauthors.create(user=user, position=position)


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment stored directly (bypassing the service's rules), with its thread and depth
    worked out from ``parent``. Call ``comments.services.post_comments_bump(post.pk)`` after
    building a discussion so the post's count and version match."""

    class Meta:
        model = "comments.Comment"

    post = factory.SubFactory(PostFactory)
    parent = None
    guest_name = factory.Faker("name")
    guest_email = factory.Faker("email")
    body = factory.Faker("paragraph")
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        member = factory.Trait(user=factory.SubFactory(UserFactory), guest_name="", guest_email="")
        hidden = factory.Trait(status="hidden")
        pending = factory.Trait(status="pending")
        spam = factory.Trait(status="spam")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs["post"] = parent.post
            kwargs["depth"] = parent.depth + 1
            kwargs["thread_id"] = parent.thread_id
        comment = super()._create(model_class, *args, **kwargs)
        if parent is None:
            model_class.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
            comment.thread_id = comment.pk
        return comment


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.Guideline"
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Guideline {n + 1}")
    text = "Argue with the point, not the person."


class ReportFactory(factory.django.DjangoModelFactory):
    """An open report by a member, stored directly (bypassing the reporting limits)."""

    class Meta:
        model = "comments.Report"

    comment = factory.SubFactory(CommentFactory)
    reporter = factory.SubFactory(UserFactory)
    reporter_key = factory.LazyAttribute(lambda report: f"user:{report.reporter.pk}")
    guideline = factory.SubFactory(GuidelineFactory)


def build_discussion(post, sizes: list[int], *, max_depth: int = 5) -> list:
    """Store threads under ``post`` fast, with bulk inserts: for each number in ``sizes`` a
    top-level comment and that many replies, nested in a chain that restarts under the
    top-level comment at ``max_depth``. Returns the top-level comments, oldest first."""
    from comments.models import Comment
    from comments.services import post_comments_bump

    start = timezone.now() - timedelta(days=1)
    tick = iter(range(10**9))

    def new(parent=None, thread_id=None, depth=0):
        return Comment(
            post=post,
            parent=parent,
            thread_id=thread_id,
            depth=depth,
            guest_name="Guest commenter",
            guest_email="guest@example.org",
            body="A reasonable point about the article, with a second sentence.",
            created_at=start + timedelta(seconds=next(tick)),
        )

    roots = Comment.objects.bulk_create([new() for _ in sizes])
    if not all(root.pk for root in roots):  # databases that do not return ids
        roots = list(Comment.objects.filter(post=post, parent=None).order_by("created_at"))
    for root in roots:
        root.thread_id = root.pk
    Comment.objects.bulk_update(roots, ["thread_id"])
    # One level at a time, so each reply's parent already has its id.
    chains = [(root, n) for root, n in zip(roots, sizes, strict=True)]
    tips = {root.pk: root for root in roots}
    remaining = {root.pk: n for root, n in chains}
    while any(remaining.values()):
        level = []
        for root, _ in chains:
            if remaining[root.pk]:
                tip = tips[root.pk]
                parent = tip if tip.depth < max_depth - 1 else root
                level.append(new(parent, root.pk, parent.depth + 1))
                remaining[root.pk] -= 1
        created = Comment.objects.bulk_create(level)
        for reply in created:
            tips[reply.thread_id] = reply
    post_comments_bump(post.pk)
    post.refresh_from_db()
    return roots


def comment_form_data(**overrides) -> dict:
    """What a guest's comment form sends, with a fresh signed token; ``overrides`` change
    or add fields."""
    from comments.forms import new_form_token

    data = {
        "body": "A fair point, well made.",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "token": new_form_token(),
        "parent": "",
        "website": "",
    }
    return data | overrides
