"""Demo articles for development: categories, tags, illustrations, seven posts (two of
them with a correction or an update) and the About page the footer links.

Posts, categories and tags are found again by slug and pictures by their alt
text, so running this twice adds nothing twice. A post that already exists is
left exactly as it is, whoever changed it since, and keeps its date.

The package is split by what it holds: ``pictures`` draws the illustrations,
``articles`` describes the posts (their bodies are HTML files in
``articles/``), and this module seeds the categories, tags and posts.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from blog.demo.articles import ARTICLES, DemoArticle, DemoNote
from blog.demo.pictures import DemoPicture, draw_picture
from blog.models import Category, Image, Page, Post, PostNote, Tag
from blog.review import review_submit
from blog.services import (
    image_create,
    page_save,
    post_coauthors_set,
    post_note_save,
    post_publish,
    post_revision_record,
    post_save,
)

__all__ = [
    "ABOUT_PAGE",
    "ARTICLES",
    "CATEGORIES",
    "CREDIT",
    "DEMO_AUTHOR",
    "DEMO_CONTRIBUTOR",
    "REVIEW_DRAFT",
    "TAGS",
    "DemoArticle",
    "DemoNote",
    "DemoPicture",
    "DemoSummary",
    "draw_picture",
    "seed_demo_posts",
    "seed_demo_review",
]

DEMO_AUTHOR = "editor"
DEMO_CONTRIBUTOR = "contributor"
CREDIT = "Tribune illustration"


@dataclass(frozen=True)
class DemoSummary:
    """What one run did: posts added, and demo posts that were already there."""

    created: int
    existing: int


# --- Categories and tags -----------------------------------------------------

CATEGORIES = {
    "news": ("News", "What is happening in the city this week, reported and checked."),
    "analysis": ("Analysis", "Longer pieces that look at the data and evidence behind a story."),
    "community": ("Community", "The people, groups and neighbourhoods that keep the city going."),
    "explainers": ("Explainers", "How things work, from grants and budgets to our own methods."),
}

TAGS = {
    "energy": ("Energy", "Community energy, household bills and the move away from gas."),
    "transport": ("Transport", "Buses, cycling, walking and the roads in between."),
    "libraries": ("Libraries", "Opening hours, budgets and the people who use them."),
    "rivers": ("Rivers", "The Wend and its tributaries: water quality, wildlife and litter."),
    "volunteering": ("Volunteering", "Groups that rely on people giving their time."),
    "open-data": ("Open data", "Stories built on public data, with our working published."),
    "transparency": ("Transparency", "How we work, and how the institutions we cover work."),
}


# The About page, made once (an editor's changes are kept, like the posts').
ABOUT_PAGE = {
    "title": "About Tribune",
    "slug": "about",
    "body": (
        "<p>Tribune is an independent newsroom covering the city: its council, its "
        "services and the people who keep it going.</p>"
        "<p>Every article is open for discussion. Please read our community guidelines "
        "before you comment.</p>"
    ),
}


# --- Seeding -----------------------------------------------------------------


@transaction.atomic
def seed_demo_posts() -> DemoSummary:
    """Create the demo categories, tags, pictures and posts that are missing.

    Categories and tags are refreshed by slug. A demo post that already exists
    (found by slug) is left untouched, so its date never moves; a missing one is
    made again, reusing its picture if that is still in the library. Needs the
    demo editor and writer (a co-author) from ``accounts.demo.seed_demo_users``.
    """
    author = User.objects.get(username=DEMO_AUTHOR)
    categories = {
        slug: Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": text}
        )[0]
        for slug, (name, text) in CATEGORIES.items()
    }
    tags = {
        slug: Tag.objects.update_or_create(slug=slug, defaults={"name": name, "description": text})[
            0
        ]
        for slug, (name, text) in TAGS.items()
    }
    existing = set(
        Post.objects.filter(slug__in=[a.slug for a in ARTICLES]).values_list("slug", flat=True)
    )
    now = timezone.now()
    for article in ARTICLES:
        if article.slug in existing:
            continue
        post = post_save(
            post=Post(
                title=article.title,
                slug=article.slug,
                author=author,
                excerpt=article.excerpt,
                body=article.body,
                featured_image=_demo_image(article, uploaded_by=author),
                is_sticky=article.is_sticky,
                comments_enabled=article.comments_enabled,
            )
        )
        post.categories.set([categories[slug] for slug in article.categories])
        post.tags.set([tags[slug] for slug in article.tags])
        if article.coauthors:
            people = {
                user.username: user for user in User.objects.filter(username__in=article.coauthors)
            }
            post_coauthors_set(post=post, coauthors=[people[name] for name in article.coauthors])
        if article.slug == REVISED_DEMO_SLUG:
            _seed_earlier_draft(post, by=author)
        post_revision_record(post=post, by=author)
        if article.day_offset is not None:
            published_at = _publication_time(article, now)
            post_publish(post=post, at=published_at)
            if published_at < now:
                # Written and last changed when it went out (or when its last note was
                # added), as a real article would have been, not at seeding time: the
                # sitemap's lastmod and the JSON-LD's dateModified differ from post to post
                # as on a real site.
                changed_at = max(
                    [published_at, *_add_notes(article, post, published_at, now, author)]
                )
                Post.objects.filter(pk=post.pk).update(updated_at=changed_at)
    if not Page.objects.filter(slug=ABOUT_PAGE["slug"]).exists():
        page_save(Page(**ABOUT_PAGE, status=Page.Status.PUBLISHED, author=author))
    return DemoSummary(created=len(ARTICLES) - len(existing), existing=len(existing))


# The demo article written in two goes, so its admin history has something to compare.
REVISED_DEMO_SLUG = "how-we-correct-mistakes"


def _seed_earlier_draft(post: Post, *, by: User) -> None:
    """Keep a shorter first draft of ``post`` (another title, the first two paragraphs) as
    its first revision, then put the article's own words back."""
    title, body = post.title, post.body
    post.title = title.replace(" our ", " ")
    post.body = "</p>".join(body.split("</p>")[:2]) + "</p>"
    post_save(post=post)
    post_revision_record(post=post, by=by)
    post.title, post.body = title, body
    post_save(post=post)


def _add_notes(
    article: DemoArticle, post: Post, published_at: datetime, now: datetime, author: User
) -> list[datetime]:
    """Add the article's notes whose day has come, dated after it went out, through the
    service as an editor would; when each was added."""
    added = []
    for demo in article.notes:
        day = timezone.localdate(published_at) + timedelta(days=demo.days_after)
        when = timezone.make_aware(datetime.combine(day, demo.at))
        if published_at < when < now:
            note = PostNote(post=post, kind=demo.kind, text=demo.text, created_at=when)
            added.append(post_note_save(note=note, by=author).created_at)
    return added


# The demo contributor's draft, waiting for an editor's review (``blog.review``).
REVIEW_DRAFT = {
    "title": "Seven benches, one park: the Friends of Marsh Lane ask for a rethink",
    "slug": "marsh-lane-park-benches",
    "excerpt": "Volunteers counted who sits where, and want the new benches moved.",
    "body": (
        "<p>The council plans to replace the seven benches in Marsh Lane Park this summer. "
        "The Friends of Marsh Lane spent four Saturdays counting who sits where, and say "
        "three of the new benches would face a wall.</p>"
        "<p>Their survey, shared with the parks team last week, asks for two benches near "
        "the playground and one by the pond instead.</p>"
    ),
}


@transaction.atomic
def seed_demo_review() -> bool:
    """Make the demo contributor's draft and submit it for review, once: whether it was
    made now. An existing one is left as it is (an editor may have dealt with it). Needs
    the demo contributor from ``accounts.demo.seed_demo_users``."""
    if Post.objects.filter(slug=REVIEW_DRAFT["slug"]).exists():
        return False
    contributor = User.objects.get(username=DEMO_CONTRIBUTOR)
    post = post_save(post=Post(**REVIEW_DRAFT, author=contributor))
    # Nobody wrote it, so no editor is e-mailed (``make run`` would print the e-mail).
    review_submit(post=post, by=contributor, tell=False)
    return True


def _demo_image(article: DemoArticle, *, uploaded_by: User) -> Image:
    """The article's picture from the library, or a freshly drawn one."""
    picture = article.picture
    found = Image.objects.filter(alt_text=picture.alt_text, credit=CREDIT).order_by("pk").first()
    if found is not None:
        return found
    return image_create(
        file=ContentFile(draw_picture(picture, seed=article.slug), name=f"{article.slug}.jpg"),
        alt_text=picture.alt_text,
        caption=picture.caption,
        credit=CREDIT,
        uploaded_by=uploaded_by,
    )


def _publication_time(article: DemoArticle, now: datetime) -> datetime:
    day = timezone.localdate(now) + timedelta(days=article.day_offset)
    return timezone.make_aware(datetime.combine(day, article.at))
