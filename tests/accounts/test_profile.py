"""A member's profile page, avatar uploads, public pages and the export of their comments."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from accounts.avatars import avatar_process
from accounts.models import User
from accounts.services.profile import profile_update
from blog.models import Post
from comments.selectors import comment_list_for_export
from comments.services import post_comments_bump
from tests.factories import (
    CommentFactory,
    PostFactory,
    UserFactory,
    make_picture_bytes,
    set_avatar,
)

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")
EXPORT_URL = reverse("accounts:export")


@pytest.fixture
def member():
    return UserFactory(username="sam", display_name="Sam Reader", email_verified_at=timezone.now())


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def picture(name="me.png", *, size=(640, 400), image_format="PNG", **save_options):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 60, 40)).save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def jpeg_with_gps() -> SimpleUploadedFile:
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated, so the upright picture is tall
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    return picture("holiday.jpg", size=(800, 400), image_format="JPEG", exif=exif.tobytes())


def form_data(**overrides) -> dict:
    data = {
        "display_name": "Sam Reader",
        "byline_title": "",
        "bio": "",
        "notify_replies_default": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def member_comment(member, **kwargs):
    comment = CommentFactory(user=member, guest_name="", guest_email="", **kwargs)
    post_comments_bump(comment.post_id)
    return comment


# --- Access ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:export", "accounts:delete"])
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_post_to_profile_changes_nothing(client):
    response = client.post(PROFILE_URL, form_data(display_name="Intruder"))
    assert response.status_code == 302
    assert not User.objects.filter(display_name="Intruder").exists()


def test_profile_post_without_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(PROFILE_URL, form_data(display_name="Forged"))
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "Sam Reader"


# --- The page -------------------------------------------------------------------


def test_profile_page_shows_the_account_and_its_links(signed_in, member):
    response = signed_in.get(PROFILE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "accounts/profile.html" in [t.name for t in response.templates]
    assert 'enctype="multipart/form-data"' in html
    assert "sam@example.com" in html
    assert "Confirmed" in html
    assert reverse("accounts:resend_verification") not in html
    for name in ("accounts:password_change", "accounts:export", "accounts:delete"):
        assert f'href="{reverse(name)}"' in html
    assert 'value="Sam Reader"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_unconfirmed_address_is_marked_with_a_link_to_resend(client):
    member = UserFactory(email_verified_at=None)
    client.force_login(member)
    html = client.get(PROFILE_URL).content.decode()
    assert "Not confirmed yet" in html
    resend = reverse("accounts:resend_verification")
    assert f'href="{resend}?next=/accounts/profile/"' in html


def test_articles_email_preference_is_offered_to_staff_only(client, signed_in):
    html = signed_in.get(PROFILE_URL).content.decode()
    assert "Tick “e-mail me replies” for me by default" in html
    assert "E-mail me about comments on my articles" not in html

    client.force_login(UserFactory(editor=True))
    assert "E-mail me about comments on my articles" in client.get(PROFILE_URL).content.decode()


def test_profile_page_runs_a_fixed_number_of_queries(
    signed_in, member, django_assert_max_num_queries
):
    member_comment(member)
    # Each time after a write: the page's own and, kept under the shared pages' version
    # from then on, the site's navigation and the next moment a post goes live or leaves
    # (blog.caching.visibility_changes_at).
    with django_assert_max_num_queries(5):
        signed_in.get(PROFILE_URL)
    for _ in range(30):
        member_comment(member)
    set_avatar(member)
    with django_assert_max_num_queries(5):
        assert signed_in.get(PROFILE_URL).status_code == 200


# --- Saving -----------------------------------------------------------------------


def test_saving_stores_the_profile_and_says_so(signed_in, member):
    response = signed_in.post(
        PROFILE_URL,
        form_data(
            display_name="  Samira Reader ",
            byline_title="Volunteer",
            bio="I read everything.\nTwice.",
            notify_replies_default=None,
        ),
        follow=True,
    )
    assert response.redirect_chain == [(PROFILE_URL, 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your profile has been saved."]
    member.refresh_from_db()
    assert member.display_name == "Samira Reader"
    assert member.byline_title == "Volunteer"
    assert member.bio == "I read everything.\nTwice."
    assert member.notify_replies_default is False
    # Not offered to members, so left as it was.
    assert member.notify_on_post_comments is True


def test_staff_turn_off_emails_about_comments_on_their_articles(client):
    editor = UserFactory(editor=True)
    client.force_login(editor)
    client.post(PROFILE_URL, form_data(notify_on_post_comments=None))
    editor.refresh_from_db()
    assert editor.notify_on_post_comments is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "x" * 101, "at most 100 characters"),
        ("byline_title", "x" * 101, "at most 100 characters"),
        ("bio", "x" * 1001, "at most 1000 characters"),
        ("display_name", "Sam\x00", "Null characters are not allowed"),
        ("display_name", "Sam\u200bReader", "a character we can’t show"),
        ("byline_title", "Two\nlines", "a character we can’t show"),
        ("display_name", "former MEMBER", "marks deleted accounts"),
    ],
)
def test_bad_profile_fields_are_refused_with_a_message(signed_in, member, field, value, message):
    response = signed_in.post(PROFILE_URL, form_data(**({"bio": "Changed"} | {field: value})))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Your profile wasn’t saved" in html
    member.refresh_from_db()
    assert (member.display_name, member.byline_title, member.bio) == ("Sam Reader", "", "")


def test_naughty_strings_as_display_name_are_stored_exactly_or_refused(
    signed_in, member, naughty_strings
):
    for text in naughty_strings:
        response = signed_in.post(PROFILE_URL, form_data(display_name=text))
        member.refresh_from_db()
        if response.status_code == 302:
            assert member.display_name == text.strip()
        else:
            assert response.status_code == 200
            assert "invalid-feedback" in response.content.decode(), repr(text)


# --- Avatars --------------------------------------------------------------------


def test_avatar_is_cropped_to_a_square_webp_without_metadata(signed_in, member, media_root):
    response = signed_in.post(PROFILE_URL, form_data(avatar=jpeg_with_gps()))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.startswith(f"avatars/{timezone.now():%Y/%m}/")
    assert member.avatar.name.endswith(".webp")
    with PILImage.open(media_root / member.avatar.name) as stored:
        assert (stored.format, stored.size) == ("WEBP", (256, 256))
        assert "exif" not in stored.info
        assert "xmp" not in stored.info
        assert len(stored.getexif()) == 0
    assert b"PhoneMaker" not in (media_root / member.avatar.name).read_bytes()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_becomes_an_avatar(image_format):
    made = avatar_process(picture(f"me.{image_format.lower()}", image_format=image_format))
    with PILImage.open(made) as result:
        assert (result.format, result.size) == ("WEBP", (256, 256))


def test_transparent_png_keeps_its_transparency():
    buffer = io.BytesIO()
    PILImage.new("LA", (300, 300), (0, 0)).save(buffer, format="PNG")
    made = avatar_process(SimpleUploadedFile("clear.png", buffer.getvalue()))
    with PILImage.open(made) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((10, 10))[3] == 0


def truncated_jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.effect_noise((600, 600), 80).convert("RGB").save(buffer, format="JPEG")
    data = buffer.getvalue()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


def truncated_png() -> SimpleUploadedFile:
    data = picture().read()
    return SimpleUploadedFile("cut.png", data[: len(data) - 40], content_type="image/png")


def mono_png(width: int, height: int, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


BAD_AVATARS = {
    "text renamed .png": (
        lambda: SimpleUploadedFile("me.png", b"just some words\n" * 20, content_type="image/png"),
        "This file is not a picture we can read. Please upload a JPEG, PNG or WebP picture.",
    ),
    "GIF": (
        lambda: picture("me.gif", image_format="GIF"),
        "GIF pictures are not accepted. Please upload a JPEG, PNG or WebP picture.",
    ),
    "BMP named .jpg": (
        lambda: picture("me.jpg", image_format="BMP"),
        "BMP pictures are not accepted.",
    ),
    "over 25 megapixels": (
        lambda: mono_png(6000, 5000, "wide.png"),
        "This picture is too large (6000 × 5000): the limit is 25 megapixels.",
    ),
    "decompression bomb": (
        lambda: mono_png(20000, 20000, "bomb.png"),
        "the limit is 25 megapixels",
    ),
    "over 5 MB": (
        lambda: SimpleUploadedFile("big.jpg", make_picture_bytes() + b"\0" * (5 * 1024 * 1024)),
        "the limit is 5 MB",
    ),
    "truncated JPEG": (truncated_jpeg, "This picture looks damaged or incomplete."),
    "truncated PNG": (truncated_png, "Please upload"),
    "empty file": (
        lambda: SimpleUploadedFile("empty.png", b"", content_type="image/png"),
        "The submitted file is empty.",
    ),
}


@pytest.mark.parametrize(("make", "message"), BAD_AVATARS.values(), ids=BAD_AVATARS.keys())
def test_bad_avatar_is_refused_next_to_the_field_and_nothing_changes(
    signed_in, member, stored_files, make, message
):
    set_avatar(member)
    before = stored_files()
    response = signed_in.post(PROFILE_URL, form_data(display_name="Changed", avatar=make()))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    feedback = html[html.index('id="id_avatar"') :]
    assert message in feedback[: feedback.index("</div>", feedback.index("invalid-feedback"))]
    member.refresh_from_db()
    assert member.display_name == "Sam Reader"
    assert stored_files() == before


def test_new_avatar_replaces_and_deletes_the_old_file(
    signed_in, member, stored_files, django_capture_on_commit_callbacks
):
    set_avatar(member)
    old = member.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(PROFILE_URL, form_data(avatar=picture("second.png")))
    member.refresh_from_db()
    assert member.avatar.name != old
    assert stored_files() == [member.avatar.name]


def test_remove_my_avatar_deletes_the_file(
    signed_in, member, stored_files, django_capture_on_commit_callbacks
):
    set_avatar(member)
    assert "Remove my avatar" in signed_in.get(PROFILE_URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(PROFILE_URL, form_data(remove_avatar="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar
    assert stored_files() == []


def test_new_avatar_and_remove_together_is_refused(signed_in, member, stored_files):
    set_avatar(member)
    before = stored_files()
    response = signed_in.post(
        PROFILE_URL, form_data(avatar=picture("second.png"), remove_avatar="on")
    )
    assert "Choose a new picture or tick “Remove my avatar”, not both." in response.content.decode()
    assert stored_files() == before


def test_raw_upload_given_to_the_service_is_processed(member):
    profile_update(
        user=member,
        display_name="Sam",
        byline_title="",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
        avatar=picture("raw.png", size=(1000, 1000)),
    )
    with PILImage.open(member.avatar) as stored:
        assert (stored.format, stored.size) == ("WEBP", (256, 256))


# --- Cached threads follow the profile --------------------------------------------


def test_new_name_shows_on_the_post_page_at_once(signed_in, member):
    comment = member_comment(member, body="My considered view.")
    post_url = comment.post.get_absolute_url()
    assert "Sam Reader" in signed_in.get(post_url).content.decode()  # now cached

    signed_in.post(PROFILE_URL, form_data(display_name="Samira Q"))

    html = Client().get(post_url).content.decode()
    assert "Samira Q" in html
    assert "Sam Reader" not in html


def test_new_avatar_shows_on_the_post_page_at_once(signed_in, member):
    comment = member_comment(member)
    post_url = comment.post.get_absolute_url()
    assert 'src="/media/avatars/' not in Client().get(post_url).content.decode()

    signed_in.post(PROFILE_URL, form_data(avatar=picture()))

    member.refresh_from_db()
    assert f'src="/media/{member.avatar.name}"' in Client().get(post_url).content.decode()


def test_name_change_bumps_each_commented_post_once():
    member = UserFactory(display_name="Old Name")
    first, second, untouched = PostFactory(), PostFactory(), PostFactory()
    for post in (first, first, second):
        member_comment(member, post=post)
    CommentFactory(post=untouched)
    versions = dict(Post.objects.values_list("pk", "comment_version"))

    profile_update(
        user=member,
        display_name="New Name",
        byline_title="",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
    )

    after = dict(Post.objects.values_list("pk", "comment_version"))
    assert after[first.pk] == versions[first.pk] + 1
    assert after[second.pk] == versions[second.pk] + 1
    assert after[untouched.pk] == versions[untouched.pk]


def test_changes_not_shown_on_comments_leave_threads_cached():
    member = UserFactory(display_name="Same Name")
    comment = member_comment(member)
    version = Post.objects.get(pk=comment.post_id).comment_version

    profile_update(
        user=member,
        display_name="Same Name",
        byline_title="Reader",
        bio="New bio",
        notify_replies_default=False,
        notify_on_post_comments=False,
    )

    assert Post.objects.get(pk=comment.post_id).comment_version == version


# --- Public pages -------------------------------------------------------------------


def test_member_comment_shows_only_the_display_name(client, member):
    comment = member_comment(member, body="Quietly spoken.")
    html = client.get(comment.post.get_absolute_url()).content.decode()
    # The comment's own markup: from its <li> to the end of its actions.
    start = html.index(f'<li id="comment-{comment.pk}"')
    section = html[start : html.index("</div>", html.index('<div class="ca">', start))]
    assert section.count("<b>") == 1
    assert "<b>Sam Reader</b>" in section
    assert "sam@example.com" not in html
    assert "/author/sam/" not in html
    # The only links are the comment's own: permalink, reply and report.
    others = (
        section.replace(f'href="#comment-{comment.pk}"', "")
        .replace('href="?replyto=', "")
        .replace(f'href="/comments/{comment.pk}/report/"', "")
    )
    assert 'href="' not in others


def test_author_archive_is_only_for_staff_authors(client, member):
    PostFactory(author=member, title="Written by a member")
    assert client.get(reverse("blog:author", args=["sam"])).status_code == 404

    editor = UserFactory(username="jane", editor=True)
    PostFactory(author=editor)
    assert client.get(reverse("blog:author", args=["jane"])).status_code == 200


# --- Export --------------------------------------------------------------------------


def test_export_is_a_json_download_of_own_comments(signed_in, member, settings):
    settings.SITE_URL = "https://tribune.example"
    post = PostFactory(title="Bus “lanes” & bikes")
    root = member_comment(member, post=post, body="First thought.")
    reply = member_comment(member, parent=root, body="Second thought.\nOn two lines.")
    reply.edited_at = timezone.now()
    reply.save()
    member_comment(member, post=post, status="hidden", body="Removed one.")
    CommentFactory(post=post, body="Someone else’s words.")

    response = signed_in.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tribune-comments-sam.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"] == {
        "username": "sam",
        "email": "sam@example.com",
        "display_name": "Sam Reader",
        "date_joined": member.date_joined.isoformat(),
    }
    assert [c["body"] for c in data["comments"]] == [
        "First thought.",
        "Second thought.\nOn two lines.",
        "Removed one.",
    ]
    first, second, hidden = data["comments"]
    assert first == {
        "id": root.pk,
        "post_title": "Bus “lanes” & bikes",
        "post_url": "https://tribune.example" + post.get_absolute_url(),
        "parent_id": None,
        "created_at": root.created_at.isoformat(),
        "edited_at": None,
        "status": "published",
        "body": "First thought.",
    }
    assert second["parent_id"] == root.pk
    assert second["edited_at"] == reply.edited_at.isoformat()
    assert hidden["status"] == "hidden"


def test_export_runs_a_fixed_number_of_queries(signed_in, member, django_assert_max_num_queries):
    from comments.services.follows import follow_member

    member_comment(member)
    # The session, the member, their comments and the discussions they follow.
    with django_assert_max_num_queries(4):
        signed_in.get(EXPORT_URL)
    for _ in range(40):
        follow_member(post=member_comment(member).post, user=member)
    with django_assert_max_num_queries(4):
        response = signed_in.get(EXPORT_URL)
    assert len(json.loads(response.content)["comments"]) == 41
    assert len(json.loads(response.content)["follows"]) == 40


def test_export_answers_get_only(signed_in):
    assert signed_in.post(EXPORT_URL).status_code == 405


def test_comments_export_of_a_member_without_comments_is_empty(member):
    assert comment_list_for_export(user=member) == []
