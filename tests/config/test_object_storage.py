"""Uploads in S3-compatible object storage (``DJANGO_S3_*``), against moto's standalone S3
server running as a process of its own (``tests/s3_server.py``, the ``s3_bucket`` fixture).
The storage settings are the ones ``config/settings.py`` makes from the environment, read in
a fresh interpreter and applied to each test."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.models import Image
from blog.services import image_create, post_save
from comments.services import post_comments_bump
from tests.factories import (
    CommentFactory,
    PostFactory,
    UserFactory,
    make_picture_bytes,
    set_avatar,
)
from tests.redis_server import free_port
from tests.s3_server import MEDIA_BUCKET as BUCKET
from tests.s3_server import settings_from_environment, storage_settings


def _upload(name: str = "river.jpg", width: int = 1200) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_picture_bytes(width, 800), content_type="image/jpeg")


# --- Settings ------------------------------------------------------------------------


def test_without_a_bucket_uploads_stay_on_the_file_system():
    found = settings_from_environment()

    assert found["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert found["MEDIA_URL"] == "/media/"
    assert found["url"] == "/media/images/a%20b.jpg"
    assert found["img-src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    ("env", "media_url"),
    [
        # AWS S3: the bucket's own virtual-hosted address in its region.
        (
            {"DJANGO_S3_REGION": "eu-west-1"},
            "https://tribune-media.s3.eu-west-1.amazonaws.com/",
        ),
        # Cloudflare R2: the S3 API endpoint is private; readers use the public domain.
        (
            {
                "DJANGO_S3_ENDPOINT_URL": "https://0123abcd.r2.cloudflarestorage.com",
                "DJANGO_S3_REGION": "auto",
                "DJANGO_S3_CUSTOM_DOMAIN": "media.example.org",
            },
            "https://media.example.org/",
        ),
        # MinIO: path-style addresses on the endpoint, under a folder of the bucket.
        (
            {"DJANGO_S3_ENDPOINT_URL": "http://minio.internal:9000/", "DJANGO_S3_LOCATION": "news"},
            "http://minio.internal:9000/tribune-media/news/",
        ),
        # MinIO published by a proxy, the domain given as an address with its scheme.
        (
            {
                "DJANGO_S3_ENDPOINT_URL": "http://minio.internal:9000",
                "DJANGO_S3_CUSTOM_DOMAIN": "http://localhost:8080/media/",
            },
            "http://localhost:8080/media/",
        ),
    ],
    ids=["aws", "r2", "minio", "minio-behind-a-proxy"],
)
def test_a_bucket_sets_where_files_are_stored_and_read(env, media_url):
    found = settings_from_environment(DJANGO_S3_BUCKET=BUCKET, **env)

    assert found["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["default"]["OPTIONS"]["bucket_name"] == BUCKET
    assert found["default"]["OPTIONS"]["querystring_auth"] is False
    assert found["client_config"]["connect_timeout"] == 3
    assert found["MEDIA_URL"] == media_url
    # The storage writes every address under MEDIA_URL, and the CSP lets pages show them.
    assert found["url"] == media_url + "images/a%20b.jpg"
    assert found["MEDIA_ORIGIN"] in found["img-src"]
    assert media_url.startswith(found["MEDIA_ORIGIN"] + "/")


# --- Pictures --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_picture_and_its_renditions_are_stored_in_the_bucket_and_nowhere_else(
    s3_bucket, stored_files
):
    image = image_create(file=_upload(), alt_text="The river")

    names = [image.file.name] + [r["name"] for r in image.renditions]
    assert s3_bucket.keys(BUCKET) == sorted(names)
    assert len(image.renditions) == 6  # 480, 960, 1200 wide, in WebP and JPEG
    assert stored_files() == []
    assert (image.width, image.height) == (1200, 800)
    for rendition in image.renditions:
        # Read back as a browser would: the public address, no credentials.
        body, headers = s3_bucket.fetch(default_storage.url(rendition["name"]))
        assert body == s3_bucket.read(BUCKET, rendition["name"])
        assert len(body) == rendition["bytes"]
        assert headers["content-type"] == f"image/{rendition['format']}".replace("jpg", "jpeg")
        assert headers["cache-control"] == "public, max-age=604800"


@pytest.mark.django_db
def test_two_pictures_of_one_name_are_both_kept(s3_bucket):
    first = image_create(file=_upload("photo.jpg", 500), alt_text="First")
    second = image_create(file=_upload("photo.jpg", 600), alt_text="Second")

    assert first.file.name != second.file.name
    assert s3_bucket.keys(BUCKET).count(first.file.name) == 1
    assert s3_bucket.keys(BUCKET).count(second.file.name) == 1
    assert Image.objects.get(pk=first.pk).width == 500


@pytest.mark.django_db
def test_post_page_shows_pictures_from_the_bucket_and_its_csp_allows_them(client, s3_bucket):
    image = image_create(file=_upload(), alt_text="The river")
    webp = min((r for r in image.renditions if r["format"] == "webp"), key=lambda r: r["width"])
    post = PostFactory(featured_image=image)

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert default_storage.url(webp["name"]) in page
    assert default_storage.url(webp["name"]).startswith(s3_bucket.endpoint + f"/{BUCKET}/")
    jpeg = max((r for r in image.renditions if r["format"] == "jpg"), key=lambda r: r["width"])
    assert f'<meta property="og:image" content="{default_storage.url(jpeg["name"])}">' in page
    img_src = next(
        part for part in response["Content-Security-Policy"].split(";") if "img-src" in part
    )
    assert s3_bucket.endpoint in img_src.split()


@pytest.mark.django_db
def test_pictures_in_an_article_body_may_come_from_the_bucket_only(s3_bucket):
    image = image_create(file=_upload(), alt_text="The river")
    ours = image.file.url
    post = PostFactory.build(
        author=UserFactory(editor=True),
        body=(
            f'<p><img src="{ours}" alt="ours"></p>'
            f'<p><img src="{s3_bucket.endpoint}/another-bucket/x.jpg" alt="theirs"></p>'
            f'<p><img src="{s3_bucket.endpoint}/{BUCKET}/../another-bucket/x.jpg" alt="up"></p>'
        ),
    )

    post_save(post=post)

    assert f'src="{ours}"' in post.body
    assert "another-bucket" not in post.body


@pytest.mark.django_db
def test_feed_enclosure_points_into_the_bucket_with_the_stored_length(client, s3_bucket):
    image = image_create(file=_upload(), alt_text="The river")
    PostFactory(featured_image=image)
    widest = max((r for r in image.renditions if r["format"] == "jpg"), key=lambda r: r["width"])

    feed = client.get("/feed/").content.decode()

    size = s3_bucket.client.head_object(Bucket=BUCKET, Key=widest["name"])["ContentLength"]
    url = default_storage.url(widest["name"])
    assert f'<enclosure length="{size}" type="image/jpeg" url="{url}"/>' in feed


# --- Avatars ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_avatars_are_stored_in_the_bucket_and_a_replaced_one_is_removed(
    client, s3_bucket, stored_files, django_capture_on_commit_callbacks
):
    member = UserFactory(display_name="Sam Reader")
    with django_capture_on_commit_callbacks(execute=True):
        set_avatar(member, "first.png")
    first = member.avatar.name
    assert s3_bucket.keys(BUCKET) == [first]
    assert first.startswith("avatars/")
    assert first.endswith(".webp")

    with django_capture_on_commit_callbacks(execute=True):
        set_avatar(member, "second.png")

    assert s3_bucket.keys(BUCKET) == [member.avatar.name] != [first]
    assert stored_files() == []
    comment = CommentFactory(user=member, guest_name="", guest_email="")
    post_comments_bump(comment.post_id)
    page = client.get(comment.post.get_absolute_url()).content.decode()
    body, headers = s3_bucket.fetch(member.avatar.url)
    assert member.avatar.url in page
    assert body == s3_bucket.read(BUCKET, member.avatar.name)
    assert headers["content-type"] == "image/webp"


# --- A bucket that does not answer -----------------------------------------------------


@pytest.fixture
def silent_bucket(settings, s3_settings) -> None:
    """Uploads go to an endpoint where nothing listens: every request is refused."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(s3_settings, endpoint_url=endpoint),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("silent_bucket")
def test_an_upload_the_bucket_does_not_take_is_refused_with_a_message(client):
    client.force_login(UserFactory(editor=True))
    add_url = reverse("admin:blog_image_add")

    response = client.post(
        add_url, {"file": _upload(), "alt_text": "The river", "_save": "Save"}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(add_url, 302)]
    assert "The file could not be stored just now" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("silent_bucket")
def test_an_avatar_the_bucket_does_not_take_is_refused_and_nothing_changes(client):
    member = UserFactory(display_name="Sam Reader")
    client.force_login(member)
    picture = SimpleUploadedFile("me.png", make_picture_bytes(300, 300, "PNG"), "image/png")

    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Sam Changed", "notify_replies_default": "on", "avatar": picture},
    )

    assert response.status_code == 200
    assert "The file could not be stored just now" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Sam Reader"
    assert not member.avatar
