"""Pictures from a WordPress uploads folder (wordpress.media.image_from_uploads): stored
through the image pipeline with their words, metadata stripped; a missing file, a file that
is no picture and a path leading out of the folder each give a reason and store nothing."""

import socket
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import ExifTags
from PIL import Image as PILImage

from blog.models import Image
from tests.factories import UserFactory, make_jpeg_with_gps, make_picture_bytes
from wordpress.media import MediaMissing, image_from_uploads, uploads_relative_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """An import never downloads: any connection attempt fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("image_from_uploads tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def uploads(tmp_path) -> Path:
    folder = tmp_path / "wp-content" / "uploads"
    (folder / "2013" / "09").mkdir(parents=True)
    return folder


def store(uploads: Path, path: str, **words):
    values = {"alt_text": "A bell on a wharf", "caption": "", "credit": "", "uploaded_by": None}
    return image_from_uploads(uploads, path, **(values | words))


def test_a_picture_is_stored_with_its_words_and_without_its_gps(uploads):
    source = uploads / "2013" / "09" / "bell.jpg"
    source.write_bytes(make_jpeg_with_gps())
    with PILImage.open(source) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test has GPS to strip
    editor = UserFactory(editor=True)

    image = store(
        uploads,
        "https://old.example.org/wp-content/uploads/2013/09/bell.jpg",
        caption="Bell on wharf in San Francisco",
        credit="Sam Lee",
        uploaded_by=editor,
    )

    image.refresh_from_db()
    assert (image.alt_text, image.caption, image.credit) == (
        "A bell on a wharf",
        "Bell on wharf in San Francisco",
        "Sam Lee",
    )
    assert image.uploaded_by == editor
    assert (image.width, image.height) == (1200, 800)
    assert {r["width"] for r in image.renditions} == {480, 960, 1200}
    with default_storage.open(image.file.name) as stored, PILImage.open(stored) as picture:
        assert dict(picture.getexif()) == {}
        assert "exif" not in picture.info
    for rendition in image.renditions:
        assert default_storage.exists(rendition["name"])


@pytest.mark.parametrize(
    "address",
    [
        "2013/09/bell.jpg",
        "/wp-content/uploads/2013/09/bell.jpg",
        "https://wpthemetestdata.files.wordpress.com/2013/09/bell.jpg?w=604",
        "http://old.example.org/blog/wp-content/uploads/2013/09/bell.jpg#top",
    ],
    ids=["attached file", "site path", "wordpress.com address", "address in a folder"],
)
def test_the_picture_is_found_from_any_form_of_its_address(uploads, address):
    (uploads / "2013" / "09" / "bell.jpg").write_bytes(make_picture_bytes())

    assert store(uploads, address).pk is not None


def test_escaped_names_are_decoded(uploads):
    (uploads / "2013" / "09" / "café photo.png").write_bytes(make_picture_bytes(image_format="PNG"))

    image = store(
        uploads, "https://old.example.org/wp-content/uploads/2013/09/caf%C3%A9%20photo.png"
    )

    assert image.file.name.endswith(".png")


def test_a_blank_alt_text_becomes_the_caption_or_the_file_s_name(uploads):
    (uploads / "2013" / "09" / "bell-on_wharf.jpg").write_bytes(make_picture_bytes())

    with_caption = store(uploads, "2013/09/bell-on_wharf.jpg", alt_text=" ", caption="A bell")
    without = store(uploads, "2013/09/bell-on_wharf.jpg", alt_text="")

    assert with_caption.alt_text == "A bell"
    assert without.alt_text == "bell on wharf"


def test_words_longer_than_the_library_s_fields_are_cut(uploads):
    (uploads / "2013" / "09" / "bell.jpg").write_bytes(make_picture_bytes())

    image = store(uploads, "2013/09/bell.jpg", alt_text="a" * 400, caption="c" * 400)

    image.full_clean()
    assert (len(image.alt_text), len(image.caption)) == (250, 300)


def test_a_missing_file_is_reported_and_nothing_is_stored(uploads):
    with pytest.raises(MediaMissing) as missing:
        store(uploads, "https://old.example.org/wp-content/uploads/2013/09/gone.jpg")

    assert missing.value.reason == "“2013/09/gone.jpg” is not in the uploads folder."
    assert not Image.objects.exists()


def test_a_file_that_is_no_picture_is_reported_and_nothing_is_stored(uploads, media_root):
    (uploads / "2013" / "09" / "notes.jpg").write_text("Not a picture at all.")

    with pytest.raises(MediaMissing) as refused:
        store(uploads, "2013/09/notes.jpg")

    assert refused.value.reason == (
        "“2013/09/notes.jpg” was not imported: This file is not a picture we can read. "
        "Please upload a JPEG, PNG, WebP or GIF."
    )
    assert not Image.objects.exists()
    assert not any(path.is_file() for path in Path(media_root).rglob("*"))


def test_a_broken_picture_is_reported(uploads):
    (uploads / "2013" / "09" / "cut.jpg").write_bytes(make_picture_bytes()[:200])

    with pytest.raises(MediaMissing) as refused:
        store(uploads, "2013/09/cut.jpg")

    assert "was not imported" in refused.value.reason
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "address",
    [
        "../../secret.jpg",
        "https://old.example.org/wp-content/uploads/../../secret.jpg",
        "https://old.example.org/wp-content/uploads/2013/%2e%2e/%2e%2e/%2e%2e/secret.jpg",
        "2013/../../../secret.jpg",
        "../../etc/passwd",
    ],
)
def test_a_path_out_of_the_uploads_folder_is_refused(uploads, address):
    # A real picture waits outside the folder: refused, not merely missing.
    (uploads.parent.parent / "secret.jpg").write_bytes(make_picture_bytes())

    with pytest.raises(MediaMissing) as refused:
        store(uploads, address)

    assert "inside the uploads folder" in refused.value.reason
    assert not Image.objects.exists()


def test_an_absolute_path_is_refused(uploads):
    secret = uploads.parent.parent / "secret.jpg"
    secret.write_bytes(make_picture_bytes())

    with pytest.raises(MediaMissing):
        store(uploads, str(secret))

    assert not Image.objects.exists()


def test_a_link_that_leads_out_of_the_folder_is_refused(uploads):
    secret = uploads.parent.parent / "secret.jpg"
    secret.write_bytes(make_picture_bytes())
    (uploads / "2013" / "09" / "link.jpg").symlink_to(secret)

    with pytest.raises(MediaMissing) as refused:
        store(uploads, "2013/09/link.jpg")

    assert (
        refused.value.reason
        == "“2013/09/link.jpg” leads outside the uploads folder; it was not read."
    )
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("address", "relative"),
    [
        ("https://x.example/wp-content/uploads/sites/2/2020/01/a.jpg", "sites/2/2020/01/a.jpg"),
        ("https://x.files.wordpress.com/2008/06/100_5478.jpg?w=604", "2008/06/100_5478.jpg"),
        ("2020/01/a b.jpg", "2020/01/a b.jpg"),
        ("/wp-content/uploads/2020/01/a%20b.jpg", "2020/01/a b.jpg"),
    ],
)
def test_the_path_inside_the_uploads_folder(address, relative):
    assert uploads_relative_path(address) == relative
