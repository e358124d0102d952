from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_LOGINS, DEMO_MEMBERS
from accounts.models import User
from blog.demo import ARTICLES
from blog.models import Post
from comments.demo import (
    DISCUSSIONS,
    GUESTS,
    demo_members,
    seed_demo_discussions,
)
from comments.demo.discussions import duration
from comments.models import Comment
from comments.rendering import comment_body_html
from comments.services import discussion_settings_save
from tests.factories import CommentFactory, PostFactory, UserFactory


def walk(comments, depth=0):
    for comment in comments:
        yield comment, depth
        yield from walk(comment.replies, depth + 1)


def assert_replies_follow_parents(comments) -> None:
    by_pk = {c.pk: c for c in comments}
    for comment in comments:
        if comment.parent_id is None:
            assert comment.thread_id == comment.pk
            assert comment.depth == 0
        else:
            parent = by_pk[comment.parent_id]
            assert comment.created_at > parent.created_at, comment.body
            assert comment.thread_id == parent.thread_id
            assert comment.depth == parent.depth + 1


# --- The table --------------------------------------------------------------


def test_every_discussion_belongs_to_a_demo_article_that_gets_published():
    published = {a.slug for a in ARTICLES if a.day_offset is not None}
    assert set(DISCUSSIONS) <= published


def test_every_author_is_a_known_guest_or_a_demo_member():
    people = {login.username for login in DEMO_LOGINS} | {m.username for m in DEMO_MEMBERS}
    assert demo_members() <= people
    for discussion in DISCUSSIONS.values():
        for comment, _ in walk(discussion.threads):
            assert comment.member or comment.who in GUESTS, comment.who
            assert comment.body
            assert comment.body.strip() == comment.body
            assert comment.after > timedelta()
    for name, email in GUESTS.values():
        assert name
        assert email.endswith(("@example.org", "@example.com"))


def test_threads_nest_at_most_five_levels_and_one_goes_that_deep():
    depths = [d for disc in DISCUSSIONS.values() for _, d in walk(disc.threads)]
    assert max(depths) == 4


def test_discussions_vary_in_size_and_exactly_one_is_closed():
    sizes = {slug: len(list(walk(d.threads))) for slug, d in DISCUSSIONS.items()}
    assert max(sizes.values()) >= 20
    assert min(sizes.values()) >= 3
    assert [d.closed for d in DISCUSSIONS.values()].count(True) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40m", timedelta(minutes=40)),
        ("5h", timedelta(hours=5)),
        ("2d", timedelta(days=2)),
        ("1d3h", timedelta(days=1, hours=3)),
        ("1d2h30m", timedelta(days=1, hours=2, minutes=30)),
    ],
)
def test_duration_reads_days_hours_and_minutes(text, expected):
    assert duration(text) == expected


@pytest.mark.parametrize("text", ["", "3", "h", "2h1d", "1.5h", "-2h"])
def test_duration_refuses_anything_else(text):
    with pytest.raises(ValueError, match="Not a duration"):
        duration(text)


# --- Seeding against small posts (fast) --------------------------------------


@pytest.fixture
def members(db):
    return {name: UserFactory(username=name) for name in demo_members()}


def demo_post(slug: str, **kwargs) -> Post:
    return PostFactory(slug=slug, author__username="editor", **kwargs)


@pytest.mark.django_db
def test_a_post_out_for_an_hour_gets_its_whole_discussion_within_that_hour(members):
    slug = "route-42-bus-card-data"
    post = demo_post(slug, published_at=timezone.now() - timedelta(hours=1))

    summary = seed_demo_discussions()

    comments = list(Comment.objects.filter(post=post))
    assert summary.added == len(comments) == len(list(walk(DISCUSSIONS[slug].threads)))
    assert summary.posts == 1
    assert all(post.published_at < c.created_at < timezone.now() for c in comments)
    assert_replies_follow_parents(comments)
    # Stored with their HTML, as the posting services store a comment.
    assert all(c.body_html == comment_body_html(c.body) for c in comments)
    post.refresh_from_db()
    assert post.comment_count == len(comments)
    assert post.comment_version == 1


@pytest.mark.django_db
def test_drafts_scheduled_posts_and_posts_with_comments_are_left_alone(members):
    demo_post("route-42-bus-card-data", draft=True)
    demo_post("central-library-sunday-opening", scheduled=True)
    commented = demo_post("friends-of-the-wend-volunteers")
    CommentFactory(post=commented)

    assert seed_demo_discussions().added == 0

    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_replies_past_the_maximum_depth_join_their_parents_level(members, discussion_settings):
    discussion_settings.max_depth = 3
    discussion_settings_save(settings=discussion_settings)
    post = demo_post("route-42-bus-card-data", published_at=timezone.now() - timedelta(days=9))

    seed_demo_discussions()

    comments = list(Comment.objects.filter(post=post))
    assert max(c.depth for c in comments) == 2
    assert_replies_follow_parents(comments)


@pytest.mark.django_db
def test_missing_demo_members_stop_the_seeding():
    demo_post("route-42-bus-card-data")

    with pytest.raises(User.DoesNotExist, match="Demo members missing"):
        seed_demo_discussions()

    assert not Comment.objects.exists()


# --- The whole command (slow: it draws the demo pictures) ---------------------


@pytest.mark.django_db
def test_seed_demo_adds_threaded_discussions_once(capsys):
    call_command("seed_demo", allow_without_debug=True)

    out = capsys.readouterr().out
    comments = list(Comment.objects.select_related("post"))
    discussed = {c.post for c in comments}
    assert f"Demo comments: {len(comments)} added on {len(discussed)} posts." in out
    assert len(discussed) >= 5
    assert all(post.is_published for post in discussed)
    assert max(c.depth for c in comments) >= 3
    assert {c.user.username for c in comments if c.user} >= {"reader", "editor"}
    assert any(c.user is None and c.guest_name and c.guest_email for c in comments)
    assert all(c.status == Comment.Status.PUBLISHED for c in comments)
    assert_replies_follow_parents(comments)
    now = timezone.now()
    for post in Post.objects.all():
        own = [c for c in comments if c.post_id == post.pk]
        assert post.comment_count == len(own), post.slug
        assert all(post.published_at < c.created_at < now for c in own), post.slug
    closed = Post.objects.published().filter(comments_enabled=False)
    assert len(closed) == 1
    assert closed[0].comment_count > 0

    call_command("seed_demo", allow_without_debug=True)

    assert "Demo comments: 0 added." in capsys.readouterr().out
    assert Comment.objects.count() == len(comments)
