"""A reader's browser shows the pictures and avatars kept in an S3 bucket: fetched from
moto's S3 server (the ``s3_bucket`` fixture), allowed by the page's Content-Security-Policy
(a blocked picture is a CSP violation, which fails any browser test)."""

import pytest
from django.conf import settings
from playwright.sync_api import Page

from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.factories import CommentFactory, ImageFactory, PostFactory, UserFactory, set_avatar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOADED = "() => [...document.images].every(image => image.complete)"
PICTURES = "images => images.map(image => [image.currentSrc, image.naturalWidth])"


def test_reader_sees_the_pictures_and_avatars_kept_in_the_bucket(page: Page, s3_bucket):
    member = set_avatar(UserFactory(display_name="Sam Reader"))
    post = PostFactory(
        title="What the river count tells us",
        featured_image=ImageFactory(alt_text="A kingfisher on a branch"),
    )
    CommentFactory(post=post, user=member, guest_name="", guest_email="", body="Lovely.")
    post_comments_bump(post.pk)

    page.goto(post.get_absolute_url())
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(LOADED)

    shown = page.eval_on_selector_all("img", PICTURES)
    from_bucket = [(src, width) for src, width in shown if src.startswith(settings.MEDIA_URL)]
    assert {src.rsplit(".", 1)[-1] for src, _width in from_bucket} >= {"webp"}
    assert any("/avatars/" in src for src, _width in from_bucket), shown
    assert any("/renditions/" in src for src, _width in from_bucket), shown
    assert all(width > 0 for _src, width in from_bucket), from_bucket
    assert_no_page_errors(page)
    assert_accessible(page)
