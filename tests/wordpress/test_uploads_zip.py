"""The zip of WordPress's uploads folder sent to the admin's import: unpacked only when every
entry stays inside its folder and the whole stays within the limits."""

import io
import stat
import zipfile
from pathlib import Path

import pytest

from wordpress.uploads_zip import UploadsZipError, check_uploads_zip, unpack_uploads_zip


def make_zip(entries: dict[str, bytes], *, links: tuple[str, ...] = ()) -> io.BytesIO:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    data.seek(0)
    return data


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    "prefix", ["", "uploads/", "wp-content/uploads/", "site/wp-content/uploads/"]
)
def test_the_uploads_folder_is_found_however_it_was_zipped(tmp_path, prefix):
    zipped = make_zip({f"{prefix}2013/01/a.jpg": b"jpeg", f"{prefix}2014/02/b.png": b"png"})

    folder = unpack_uploads_zip(zipped, tmp_path)

    assert files_under(folder) == ["2013/01/a.jpg", "2014/02/b.png"]
    assert (folder / "2013/01/a.jpg").read_bytes() == b"jpeg"
    assert folder.is_relative_to(tmp_path)


@pytest.mark.parametrize(
    "name",
    [
        "../outside.jpg",
        "uploads/../../outside.jpg",
        "/etc/cron.d/evil",
        "C:/Windows/evil.dll",
        "uploads\\..\\..\\evil.jpg",
    ],
)
def test_an_entry_that_would_land_outside_the_folder_is_refused(tmp_path, name):
    zipped = make_zip({"uploads/2013/01/a.jpg": b"jpeg", name: b"evil"})
    target = tmp_path / "scratch"
    target.mkdir()

    with pytest.raises(UploadsZipError, match="outside its folder"):
        check_uploads_zip(zipped)
    with pytest.raises(UploadsZipError, match="outside its folder"):
        unpack_uploads_zip(zipped, target)
    assert files_under(tmp_path) == []


def test_a_link_in_the_zip_is_refused(tmp_path):
    zipped = make_zip({"uploads/2013/01/a.jpg": b"jpeg"}, links=("uploads/passwd",))

    with pytest.raises(UploadsZipError, match="is a link"):
        unpack_uploads_zip(zipped, tmp_path)
    assert files_under(tmp_path) == []


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused_before_unpacking(tmp_path, settings):
    settings.WORDPRESS_UPLOADS_MAX_BYTES = 1024 * 1024
    # A megabyte and a half of zeros packs into a couple of kilobytes.
    zipped = make_zip({"uploads/bomb.bin": bytes(1536 * 1024)})
    assert len(zipped.getvalue()) < 10_000

    with pytest.raises(UploadsZipError, match=r"unpacks to more than 1\.0\xa0MB"):
        check_uploads_zip(zipped)
    with pytest.raises(UploadsZipError, match="unpacks to more than"):
        unpack_uploads_zip(zipped, tmp_path)
    assert files_under(tmp_path) == []


def test_a_zip_with_too_many_files_is_refused(tmp_path, settings):
    settings.WORDPRESS_UPLOADS_MAX_FILES = 3

    zipped = make_zip({f"uploads/{n}.jpg": b"x" for n in range(4)})

    with pytest.raises(UploadsZipError, match="more than 3 files"):
        check_uploads_zip(zipped)


def test_a_file_that_is_not_a_zip_is_refused():
    with pytest.raises(UploadsZipError, match="not a zip archive"):
        check_uploads_zip(io.BytesIO(b"<?xml version='1.0'?><rss/>"))


def test_a_name_twice_is_refused(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("uploads/a.jpg", b"one")
        with pytest.warns(UserWarning, match="Duplicate"):
            archive.writestr("uploads/a.jpg", b"two")
    data.seek(0)

    with pytest.raises(UploadsZipError, match=r"could not be unpacked at uploads/a\.jpg"):
        unpack_uploads_zip(data, tmp_path)
