from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Post
from blog.services import post_publish, post_save, post_unpublish
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _draft(**fields) -> Post:
    values = {"title": "Draft", "slug": "draft", "body": "<p>x</p>", **fields}
    values.setdefault("author", UserFactory(editor=True))
    return Post(**values)


def test_saving_sanitises_the_body_whoever_wrote_it():
    post = post_save(post=_draft(body='<p onclick="x()">Hi</p><script>alert(1)</script>'))

    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"


def test_draft_is_invisible_until_published():
    post = post_save(post=_draft())

    assert not Post.objects.published().filter(pk=post.pk).exists()
    post_publish(post=post)
    assert Post.objects.published().filter(pk=post.pk).exists()
    assert post.published_at <= timezone.now()


def test_scheduled_post_appears_when_its_time_comes_without_any_job():
    when = timezone.now() + timedelta(hours=3)
    post = post_publish(post=post_save(post=_draft()), at=when)

    assert post.is_scheduled
    assert not Post.objects.published().filter(pk=post.pk).exists()
    later = when + timedelta(seconds=1)
    assert Post.objects.published(now=later).filter(pk=post.pk).exists()


def test_republishing_a_live_post_keeps_its_date():
    post = PostFactory()
    original = post.published_at

    post_publish(post=post)

    assert post.published_at == original


def test_unpublish_hides_the_post_and_keeps_its_date():
    post = PostFactory()
    original = post.published_at

    post_unpublish(post=post)

    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert post.published_at == original
    assert not Post.objects.published().exists()


def test_slug_must_be_unique_on_the_same_day():
    existing = PostFactory(slug="river-report")

    clash = _draft(slug="river-report", status="published", published_at=existing.published_at)
    with pytest.raises(ValidationError) as refused:
        post_save(post=clash)

    assert "already uses this slug" in str(refused.value)
    assert Post.objects.count() == 1


def test_same_slug_on_another_day_is_fine():
    existing = PostFactory(slug="river-report")

    other = post_save(
        post=_draft(
            slug="river-report",
            status="published",
            published_at=existing.published_at - timedelta(days=2),
        )
    )

    assert other.pk is not None


def test_publishing_a_draft_into_a_taken_slug_is_refused():
    PostFactory(slug="taken", published_at=timezone.now() - timedelta(minutes=5))
    draft = post_save(post=_draft(slug="taken"))

    with pytest.raises(ValidationError):
        post_publish(post=draft)

    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
