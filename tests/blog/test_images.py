import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from blog.models import Image
from blog.services import image_create
from core import images
from tests.factories import make_picture_bytes

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _jpeg_with_gps() -> bytes:
    picture = PILImage.new("RGB", (1200, 800), (200, 80, 40))
    exif = PILImage.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_upload_is_stored_without_exif_or_gps_metadata():
    image = image_create(file=_upload(_jpeg_with_gps()), alt_text="A red square")

    with default_storage.open(image.file.name) as stored, PILImage.open(stored) as picture:
        assert not picture.getexif()
        assert "exif" not in picture.info
    assert (image.width, image.height) == (1200, 800)


def test_renditions_are_made_in_webp_and_the_original_format_up_to_the_original_width():
    image = image_create(file=_upload(_jpeg_with_gps()), alt_text="A red square")

    made = {(r["format"], r["width"]) for r in image.renditions}
    assert made == {(fmt, width) for fmt in ("webp", "jpg") for width in (480, 960, 1200)}
    for rendition in image.renditions:
        with default_storage.open(rendition["name"]) as stored, PILImage.open(stored) as picture:
            assert picture.size == (rendition["width"], rendition["height"])
            assert not picture.getexif()


def test_small_picture_gets_one_rendition_per_format():
    image = image_create(file=_upload(make_picture_bytes(300, 200)), alt_text="Small")

    assert sorted((r["format"], r["width"]) for r in image.renditions) == [
        ("jpg", 300),
        ("webp", 300),
    ]


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "GIF"])
def test_other_allowed_formats_are_accepted(image_format):
    data = make_picture_bytes(500, 300, image_format=image_format)

    image = image_create(file=_upload(data, f"x.{image_format.lower()}"), alt_text="Fine")

    assert image.renditions


def test_renamed_text_file_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError, match="not a picture we can read"):
        image_create(file=_upload(b"just some text, not a picture"), alt_text="Fake")

    assert not Image.objects.exists()


def test_unsupported_format_is_refused():
    buffer = io.BytesIO()
    PILImage.new("RGB", (50, 50)).save(buffer, format="BMP")

    with pytest.raises(ValidationError, match="BMP pictures are not accepted"):
        image_create(file=_upload(buffer.getvalue(), "x.bmp"), alt_text="Bitmap")


def test_picture_over_forty_megapixels_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)

    with pytest.raises(ValidationError, match="40 megapixels"):
        image_create(file=_upload(make_picture_bytes(101, 100)), alt_text="Too big")

    assert not Image.objects.exists()


def test_real_forty_one_megapixel_header_is_refused_without_decoding():
    buffer = io.BytesIO()
    PILImage.new("1", (8000, 5200)).save(buffer, format="PNG")

    with pytest.raises(ValidationError, match="too large"):
        images.check_image_upload(_upload(buffer.getvalue(), "huge.png"))


def test_file_over_twenty_megabytes_is_refused():
    upload = _upload(make_picture_bytes())
    upload.size = 21 * 1024 * 1024

    with pytest.raises(ValidationError, match="the limit is 20 MB"):
        images.check_image_upload(upload)


def test_blank_alt_text_is_refused():
    with pytest.raises(ValidationError, match="Describe the picture"):
        image_create(file=_upload(make_picture_bytes()), alt_text="   ")

    assert not Image.objects.exists()
