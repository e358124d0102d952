"""Shared previews: an editor makes a signed, expiring link in a post's admin page, and
anyone with it reads the draft as a reader without an account will see it once published;
never kept by a cache, never indexed, stopped at once by "Stop sharing"."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import core.pagecache
from blog.models import PREVIEW_LINK_SALT, PreviewLink
from blog.services import post_publish, preview_link_create
from core.models import PageVersion
from tests.factories import CategoryFactory, ImageFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(editor=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def draft():
    return PostFactory(
        draft=True,
        title="Our plans for the spring",
        body="<p>The embargoed text of the plans.</p>",
        categories=[CategoryFactory(name="Announcements")],
        tags=[TagFactory(name="spring")],
        featured_image=ImageFactory(alt_text="A field of daffodils"),
    )


def share(client, post, days="7"):
    return client.post(reverse("admin:blog_post_share", args=[post.pk]), {"days": days})


def live_link(post) -> PreviewLink:
    return PreviewLink.objects.live().get(post=post)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The admin ---------------------------------------------------------------


def test_an_editor_makes_a_link_and_sees_its_address_and_expiry(editor_client, editor, draft):
    before = timezone.now()

    response = share(editor_client, draft, days="1")

    assert response.status_code == 302
    assert response.url == reverse("admin:blog_post_change", args=[draft.pk]) + "#preview-links"
    link = live_link(draft)
    assert link.created_by == editor
    assert before + timedelta(days=1) <= link.expires_at <= timezone.now() + timedelta(days=1)
    assert any("Anyone with it can read the post until" in m for m in messages_of(response))
    page = editor_client.get(response.url)
    assert "Share a preview link" in page.text
    assert f'value="http://testserver{link.get_absolute_url()}"' in page.text
    assert "readonly" in page.text
    assert "Stop sharing" in page.text


def test_a_links_address_stays_the_same_from_one_second_to_the_next(editor, draft, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    link = preview_link_create(post=draft, created_by=editor, days=7)
    first = link.get_absolute_url()

    time_machine.shift(timedelta(seconds=5))

    assert PreviewLink.objects.get(pk=link.pk).get_absolute_url() == first


def test_the_admin_offers_seven_days_first(editor_client, draft):
    page = editor_client.get(reverse("admin:blog_post_change", args=[draft.pk]))

    select = page.text.split('<select id="preview-days" name="days">')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d+)"\s*(selected)?>', select)
    assert options == [("1", ""), ("7", "selected"), ("30", "")]


@pytest.mark.parametrize("days", ["", "0", "2", "-1", "seven", "7.0", "99999999999999999999"])
def test_a_length_not_offered_is_refused_politely(editor_client, draft, days):
    response = share(editor_client, draft, days=days)

    assert response.status_code == 302
    assert "Please choose how long the link lasts: 1, 7, 30 days." in messages_of(response)
    assert not PreviewLink.objects.exists()


def test_a_published_post_is_not_shared_by_preview(editor_client):
    post = PostFactory()

    response = share(editor_client, post)

    assert "This post is published: share its address instead." in messages_of(response)
    assert not PreviewLink.objects.exists()
    page = editor_client.get(reverse("admin:blog_post_change", args=[post.pk]))
    assert "Make a preview link" not in page.text


def test_stop_sharing_stops_every_live_link_of_that_post_only(editor_client, editor, draft):
    other = PostFactory(draft=True)
    first = preview_link_create(post=draft, created_by=editor, days=7)
    second = preview_link_create(post=draft, created_by=editor, days=1)
    kept = preview_link_create(post=other, created_by=editor, days=7)

    response = editor_client.post(reverse("admin:blog_post_share_stop", args=[draft.pk]))

    assert response.status_code == 302
    assert "2 preview links were stopped; they no longer open the post." in messages_of(response)
    for link in (first, second):
        assert Client().get(link.get_absolute_url()).status_code == 404
    assert Client().get(kept.get_absolute_url()).status_code == 200
    # The rows stay, as the record of who shared what.
    assert PreviewLink.objects.filter(revoked_at__isnull=False).count() == 2
    again = editor_client.post(reverse("admin:blog_post_share_stop", args=[draft.pk]))
    assert "There were no preview links to stop." in messages_of(again)


def test_sharing_takes_posts_only(editor_client, draft):
    for name in ("admin:blog_post_share", "admin:blog_post_share_stop"):
        assert editor_client.get(reverse(name, args=[draft.pk])).status_code == 405
    assert not PreviewLink.objects.exists()


def test_sharing_a_post_that_does_not_exist_is_a_404(editor_client):
    response = editor_client.post(reverse("admin:blog_post_share", args=[999999]), {"days": "7"})

    assert response.status_code == 404


def test_staff_who_may_only_view_posts_cannot_share(client, draft):
    client.force_login(UserFactory(moderator=True))

    page = client.get(reverse("admin:blog_post_change", args=[draft.pk]))
    made = share(client, draft)
    preview_link_create(post=draft, created_by=None, days=7)
    stopped = client.post(reverse("admin:blog_post_share_stop", args=[draft.pk]))

    assert page.status_code == 200
    assert "Share a preview link" not in page.text
    assert made.status_code == 403
    assert stopped.status_code == 403
    assert PreviewLink.objects.count() == 1
    assert PreviewLink.objects.live().count() == 1


def test_sharing_needs_a_signed_in_staff_member(client, draft):
    url = reverse("admin:blog_post_share", args=[draft.pk])

    response = client.post(url, {"days": "7"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not PreviewLink.objects.exists()


def test_the_change_page_with_links_runs_a_bounded_number_of_queries(
    editor_client, editor, draft, django_assert_max_num_queries
):
    url = reverse("admin:blog_post_change", args=[draft.pk])
    preview_link_create(post=draft, created_by=editor, days=7)
    editor_client.get(url)
    with django_assert_max_num_queries(40) as one:
        editor_client.get(url)
    for _ in range(5):
        preview_link_create(post=draft, created_by=editor, days=7)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = editor_client.get(url)
    assert page.text.count('class="vTextField preview-link-address"') == 6


# --- The preview page --------------------------------------------------------


def test_the_preview_shows_the_draft_as_a_reader_will_see_it(editor, draft):
    link = preview_link_create(post=draft, created_by=editor, days=7)

    response = Client().get(link.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "Our plans for the spring" in text
    assert "The embargoed text of the plans." in text
    assert "Announcements" in text
    assert "#spring" in text
    assert 'alt="A field of daffodils"' in text
    assert f"By {draft.author.public_name}" in text
    assert "Preview: not published yet" in text
    expires = timezone.localtime(link.expires_at)
    assert f'this link expires on\n    <time datetime="{expires:%Y-%m-%dT%H:%M:%S%z}"' in text
    assert '<meta name="robots" content="noindex, nofollow">' in text
    assert 'rel="canonical"' not in text
    # A draft has no discussion: no comment form, no thread.
    assert 'id="comments"' not in text
    assert "csrfmiddlewaretoken" not in text
    assert "sessionid" not in response.cookies


def test_the_preview_of_a_scheduled_post_says_when_it_appears(editor):
    post = PostFactory(scheduled=True)
    link = preview_link_create(post=post, created_by=editor, days=1)

    text = Client().get(link.get_absolute_url()).text

    when = timezone.localtime(post.published_at)
    assert "Preview: not published yet" in text
    assert f"The article is due to appear on {when:%-d %B %Y, %H:%M}." in text


def test_the_preview_of_a_post_past_its_unpublish_time_says_it_left_the_site(editor):
    now = timezone.now()
    post = PostFactory(published_at=now - timedelta(days=2), unpublish_at=now - timedelta(hours=1))
    link = preview_link_create(post=post, created_by=editor, days=1)

    response = Client().get(link.get_absolute_url())

    text = response.text
    left = timezone.localtime(post.unpublish_at)
    assert response.status_code == 200
    assert "Preview: no longer on the site" in text
    assert "not published yet" not in text
    assert f"The article left the site on {left:%-d %B %Y, %H:%M}." in text


def test_the_preview_is_never_kept_indexed_or_referred(editor, draft):
    link = preview_link_create(post=draft, created_by=editor, days=7)

    for response in (Client().get(link.get_absolute_url()), Client().get("/preview/nonsense/")):
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"


def test_the_preview_neither_reads_nor_fills_the_page_cache(editor, draft, monkeypatch):
    link = preview_link_create(post=draft, created_by=editor, days=7)
    home = reverse("blog:home")
    first_home = Client().get(home)
    version = PageVersion.objects.get(pk=1).number
    touched = []
    monkeypatch.setattr(core.pagecache, "cache_get", lambda key: touched.append(key))
    monkeypatch.setattr(core.pagecache, "cache_set", lambda *args: touched.append(args))

    Client().get(link.get_absolute_url())
    Client().get(link.get_absolute_url())

    assert touched == []
    assert PageVersion.objects.get(pk=1).number == version
    monkeypatch.undo()
    # The next anonymous reader gets the stored home page, unchanged, without the draft.
    after = Client().get(home)
    assert after["ETag"] == first_home["ETag"]
    assert "Our plans for the spring" not in after.content.decode(errors="ignore")


def test_the_preview_page_runs_a_bounded_number_of_queries(
    editor, draft, django_assert_max_num_queries
):
    link = preview_link_create(post=draft, created_by=editor, days=7)
    # The link with its post, author and picture; co-authors (7 -> 8 with them);
    # categories; tags; notes (corrections and updates); the site's navigation.
    with django_assert_max_num_queries(8):
        assert Client().get(link.get_absolute_url()).status_code == 200


def test_a_post_published_since_sends_the_reader_to_its_address(editor, draft):
    link = preview_link_create(post=draft, created_by=editor, days=7)
    post_publish(post=draft)

    response = Client().get(link.get_absolute_url())

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    assert response["Referrer-Policy"] == "no-referrer"


def bad_tokens(link: PreviewLink) -> list[str]:
    token = link.token
    return [
        "",
        "nonsense",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token + "x",
        signing.Signer(salt="another.salt").sign_object(link.pk),
        signing.Signer(salt=PREVIEW_LINK_SALT).sign_object(link.pk + 1000),
        signing.Signer(salt=PREVIEW_LINK_SALT).sign_object("1"),
        signing.Signer(salt=PREVIEW_LINK_SALT).sign_object(-1),
        signing.Signer(salt=PREVIEW_LINK_SALT).sign_object([link.pk]),
        # The earlier, timestamped form of the same number is not accepted either.
        signing.dumps(link.pk, salt=PREVIEW_LINK_SALT),
        "é" * 300,
        "%00",
    ]


def test_every_link_we_cannot_honour_gets_the_same_polite_404(editor, draft, naughty_strings):
    link = preview_link_create(post=draft, created_by=editor, days=7)

    for token in [*bad_tokens(link), *naughty_strings[:200]]:
        if "/" in token or not token.strip() or "\x00" in token:
            continue
        response = Client().get(reverse("blog:preview", kwargs={"token": token}))
        assert response.status_code == 404, token
        assert "This preview link does not work" in response.text
        assert "Our plans for the spring" not in response.text
        assert response["Cache-Control"] == "private, no-store"


def test_an_expired_link_is_a_404_and_the_minute_before_it_works(editor, draft, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    link = preview_link_create(post=draft, created_by=editor, days=1)

    time_machine.shift(timedelta(days=1) - timedelta(minutes=1))
    assert Client().get(link.get_absolute_url()).status_code == 200
    time_machine.shift(timedelta(minutes=1))
    gone = Client().get(link.get_absolute_url())

    assert gone.status_code == 404
    assert "This preview link does not work" in gone.text
    assert "Our plans for the spring" not in gone.text


def test_a_stopped_link_is_the_same_404(editor, draft):
    link = preview_link_create(post=draft, created_by=editor, days=7)
    PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    response = Client().get(link.get_absolute_url())

    assert response.status_code == 404
    assert "This preview link does not work" in response.text


def test_a_deleted_post_takes_its_links_with_it(editor, draft):
    link = preview_link_create(post=draft, created_by=editor, days=7)
    url = link.get_absolute_url()
    draft.delete()

    assert Client().get(url).status_code == 404
    assert not PreviewLink.objects.exists()
