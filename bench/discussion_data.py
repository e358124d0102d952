"""The discussion the benchmarks serve: a published post with N threaded comments by
members and guests, shaped like a busy real one (most replies in the newest threads),
built the same way from the same seed every time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

MAX_DEPTH = 5  # DiscussionSettings.max_depth's default: depths 0 to 4
MEMBERS = 40
RECENT_THREADS = 10  # most replies land in one of the newest discussions


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "the council budget plan would have said that our town was never going to be able "
    "to pay for a new bridge without help from government and I think everyone here "
    "knows it but nobody wants to admit this is about housing transport schools water "
    "energy prices local jobs and R&D funding which matters more than the headline "
    "suggests frankly I disagree with the previous comment because evidence from other "
    "cities shows a different picture when you look at the “real” numbers <not> the "
    "press release it is worth reading the full report before deciding anything"
)
FIRST_NAMES = _words("Ada Ben Chloé Dev Eilidh Farid Grace Hiro Ines Jonas Kemi Liam Maya Noor")
LAST_NAMES = _words("Okafor Patel Quinn Rossi Silva Tanaka Umar Varga Walsh Young Zhou O’Brien")
ARTICLE = "".join(
    f"<p>{' '.join((*WORDS[i % 20 :], *WORDS[: i % 20]))}.</p>\n" for i in range(8)
).replace("<not>", "")


def discussion_shape(n: int, rng: random.Random) -> list[tuple[int | None, int, int]]:
    """(parent index, thread root index, depth) of ``n`` comments, oldest first: about
    n/10 top-level comments spread over time, replies nested up to depth MAX_DEPTH - 1,
    mostly under recent discussions and the latest replies in them."""
    roots_wanted = max(1, n // 10)
    shape: list[tuple[int | None, int, int]] = []
    roots: list[int] = []
    members: dict[int, list[int]] = {}
    for i in range(n):
        roots_left = roots_wanted - len(roots)
        if not roots or (roots_left and rng.random() < roots_left / (n - i)):
            shape.append((None, i, 0))
            roots.append(i)
            members[i] = [i]
            continue
        recent = rng.random() < 0.85
        root = rng.choice(roots[-RECENT_THREADS:] if recent else roots)
        open_ = [j for j in members[root] if shape[j][2] < MAX_DEPTH - 1]
        parent = rng.choice(open_[-4:] if rng.random() < 0.5 else open_)
        shape.append((parent, root, shape[parent][2] + 1))
        members[root].append(i)
    return shape


def comment_text(rng: random.Random) -> str:
    """200–600 characters of plain text; some with a link, some with line breaks."""
    target = rng.randint(200, 600)
    text = ""
    while len(text) < target:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
        sentence = " ".join(words).capitalize() + rng.choice(".?.!.")
        if rng.random() < 0.04:
            sentence += f" See https://example.org/reports/{rng.randint(1, 99999)}/summary"
        separator = " "
        if text and rng.random() < 0.15:
            separator = "\n\n" if rng.random() < 0.7 else "\n"
        text = f"{text}{separator}{sentence}" if text else sentence
    if len(text) > 600:
        text = text[:599].rsplit(" ", 1)[0].rstrip() + "."
    return text


@dataclass
class Discussion:
    n: int
    url: str
    post_pk: int


def build_people(rng: random.Random):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    def name() -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    User.objects.bulk_create(
        [
            User(
                username=f"reader{i}",
                email=f"reader{i}@example.com",
                display_name=name(),
                password=make_password(None),
            )
            for i in range(MEMBERS)
        ]
    )
    editor = User.objects.create(
        username="editor",
        email="editor@example.com",
        display_name="Bench Editor",
        byline_title="Staff Writer",
        is_staff=True,
        password=make_password(None),
    )
    return editor, list(User.objects.filter(username__startswith="reader"))


def build_discussion(n: int, *, rng: random.Random, editor, members) -> Discussion:
    """One published post with ``n`` threaded comments, stored in bulk."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from blog.models import Category, Post, Tag
    from comments.models import Comment
    from comments.rendering import comment_body_html
    from comments.services import post_comments_bump

    now = timezone.now()
    published_at = now - timedelta(days=30)
    category, _ = Category.objects.get_or_create(slug="analysis", defaults={"name": "Analysis"})
    tags = [
        Tag.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in ("housing", "transport")
    ]
    post = Post.objects.create(
        title=f"A discussion with {n:,} comments",
        slug=f"thread-bench-{n}",
        author=editor,
        excerpt="What readers made of the council’s budget plan.",
        body=ARTICLE,
        status=Post.Status.PUBLISHED,
        published_at=published_at,
    )
    post.categories.add(category)
    post.tags.add(*tags)

    shape = discussion_shape(n, rng)
    has_replies = {parent for parent, _root, _depth in shape if parent is not None}
    first = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    step = (now - published_at - timedelta(minutes=5)) / n
    comments = []
    for i, (parent, root, depth) in enumerate(shape):
        member = rng.choice(members) if rng.random() < 0.6 else None
        roll = rng.random()
        status = Comment.Status.PUBLISHED
        if roll < 0.01:
            status = Comment.Status.HIDDEN  # kept as a placeholder when it has replies
        elif i not in has_replies and roll < 0.02:
            status = Comment.Status.SPAM
        elif i not in has_replies and roll < 0.025:
            status = Comment.Status.PENDING
        # In this order, so the same seed draws the same discussion as before.
        guest_name = "" if member else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        body = comment_text(rng)
        comments.append(
            Comment(
                pk=first + i,
                post=post,
                parent_id=None if parent is None else first + parent,
                thread_id=first + root,
                depth=depth,
                user=member,
                guest_name=guest_name,
                guest_email="" if member else f"guest{i}@example.net",
                body=body,
                body_html=comment_body_html(body),
                status=status,
                created_at=published_at + step * (i + 1),
            )
        )
    with transaction.atomic():
        Comment.objects.bulk_create(comments, batch_size=500)
        post_comments_bump(post.pk)
    # The pks were chosen here, so move PostgreSQL's sequence past them (no-op on SQLite).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(sql)
    return Discussion(n=n, url=post.get_absolute_url(), post_pk=post.pk)
