"""One upload limit (DJANGO_UPLOAD_MAX_MB) from which every other follows, refused before the
body is read. That nginx says the same is checked in tests/deploy/test_deploy_files.py."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.avatars import avatar_check
from core.images import check_image_upload
from tests.config.test_settings import _settings
from tests.factories import make_picture_bytes

MB = 1024 * 1024


def test_every_limit_follows_the_one_setting():
    values = _settings(
        "settings.UPLOAD_MAX_BYTES, settings.REQUEST_MAX_BYTES, "
        "settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.FILE_UPLOAD_MAX_MEMORY_SIZE",
        DJANGO_DEBUG="1",
        DJANGO_UPLOAD_MAX_MB="7",
    )

    assert values == f"{7 * MB} {9 * MB} {2 * MB} {2 * MB}"


def test_the_default_is_twenty_megabytes_a_picture(settings):
    assert settings.UPLOAD_MAX_MB == 20
    assert settings.REQUEST_MAX_BYTES == 22 * MB


def _upload(size: int) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("p.jpg", make_picture_bytes(), content_type="image/jpeg")
    upload.size = size
    return upload


def test_the_picture_check_takes_its_limit_from_the_setting(settings):
    settings.UPLOAD_MAX_MB, settings.UPLOAD_MAX_BYTES = 3, 3 * MB

    check_image_upload(_upload(3 * MB))
    with pytest.raises(ValidationError, match="the limit is 3 MB"):
        check_image_upload(_upload(3 * MB + 1))


def test_an_avatar_never_exceeds_the_site_limit(settings):
    avatar_check(_upload(5 * MB))
    with pytest.raises(ValidationError, match="the limit is 5 MB"):
        avatar_check(_upload(5 * MB + 1))

    settings.UPLOAD_MAX_MB, settings.UPLOAD_MAX_BYTES = 2, 2 * MB
    with pytest.raises(ValidationError, match="the limit is 2 MB"):
        avatar_check(_upload(3 * MB))


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.UPLOAD_MAX_MB, settings.REQUEST_MAX_BYTES = 1, 3 * MB

    # The length announced is over the limit; the body itself is never read.
    response = client.post(
        "/accounts/login/", data=b"x", content_type="text/plain", CONTENT_LENGTH=str(3 * MB + 1)
    )

    assert response.status_code == 413
    assert "A file sent here may be at most 1 MB" in response.text
    assert client.post("/accounts/login/", {"username": "a"}).status_code != 413


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["", "abc", "-5", "١٢٣", "99999999999999999999999999"])
def test_an_odd_content_length_is_no_500(client, length):
    response = client.post(
        "/accounts/login/", data=b"x", content_type="text/plain", CONTENT_LENGTH=length
    )

    assert response.status_code < 500
