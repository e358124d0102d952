"""A zip of WordPress's wp-content/uploads folder, sent with an export in the admin, unpacked
into a temporary folder for the import's ``media_dir``.

A zip from outside is hostile until shown otherwise, so nothing in it is trusted:

- names: no absolute paths, drive letters, ``..`` or backslashes that would land outside
  the folder ("zip slip"); links are refused, since unpacking one follows it;
- sizes: the sizes a zip declares can lie, so the bytes actually unpacked are counted as
  they are written, and unpacking stops past ``WORDPRESS_UPLOADS_MAX_BYTES`` in all, as it
  does past ``WORDPRESS_UPLOADS_MAX_FILES`` entries ("zip bombs").

This is scratch space on the worker's disk, removed when the import ends, not stored
uploads: the pictures the import keeps go through the storage like any other.
"""

import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_CHUNK = 1024 * 1024


class UploadsZipError(Exception):
    """A zip of the uploads folder this import cannot use; ``message`` says why, for
    people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_uploads_zip(file: BinaryIO) -> None:
    """Refuse ``file`` unless it is a zip whose entries could all be unpacked safely, by
    what its directory declares (``unpack_uploads_zip`` checks the bytes themselves)."""
    _entries(file)


def unpack_uploads_zip(file: BinaryIO, into: Path) -> Path:
    """Unpack the zip ``file`` under the empty folder ``into`` and return the uploads
    folder in it: the one holding the year folders, whether the zip holds ``uploads/``,
    ``wp-content/uploads/`` or the year folders themselves. Raises ``UploadsZipError``
    (leaving ``into`` for its owner to remove) for anything unsafe."""
    limit = settings.WORDPRESS_UPLOADS_MAX_BYTES
    written = 0
    with zipfile.ZipFile(file) as archive:
        for info, parts in _entries(file, archive):
            target = into.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("xb") as out:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > limit:
                            raise UploadsZipError(_too_large(limit))
                        out.write(chunk)
            except (OSError, zipfile.BadZipFile, EOFError) as error:
                # A name twice, a file where a folder was, a damaged entry.
                raise UploadsZipError(
                    _("The uploads zip could not be unpacked at %(name)s (%(why)s).")
                    % {"name": info.filename[:200], "why": error.__class__.__name__}
                ) from None
    return _uploads_folder(into)


def _entries(
    file: BinaryIO, archive: zipfile.ZipFile | None = None
) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """The zip's entries with their safe relative paths; ``UploadsZipError`` for a file that
    is no zip, too many entries, too many bytes declared, or an entry that is a link or
    would land outside the folder."""
    try:
        if archive is None:
            file.seek(0)
            with zipfile.ZipFile(file) as opened:
                infos = opened.infolist()
        else:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadsZipError(
            _("The uploads file is not a zip archive. Please zip the uploads folder and try again.")
        ) from None
    if len(infos) > settings.WORDPRESS_UPLOADS_MAX_FILES:
        raise UploadsZipError(
            _("The uploads zip holds more than %(count)s files, more than an import takes.")
            % {"count": settings.WORDPRESS_UPLOADS_MAX_FILES}
        )
    if sum(info.file_size for info in infos) > settings.WORDPRESS_UPLOADS_MAX_BYTES:
        raise UploadsZipError(_too_large(settings.WORDPRESS_UPLOADS_MAX_BYTES))
    return [(info, _safe_parts(info)) for info in infos]


def _safe_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    name = info.filename
    parts = PurePosixPath(name).parts
    mode = info.external_attr >> 16
    unsafe = (
        not parts
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or ":" in parts[0]
        or any(part in {"..", "."} for part in parts)
        or stat.S_ISLNK(mode)
    )
    if unsafe:
        raise UploadsZipError(
            _(
                "The uploads zip has an entry that would be unpacked outside its folder, or is "
                "a link (%(name)s). Please zip the uploads folder itself and try again."
            )
            % {"name": name[:200]}
        )
    return parts


def _uploads_folder(root: Path) -> Path:
    """Down through folders that are alone in their parent (``wp-content``, ``uploads``)
    until the one with the year folders or the files."""
    folder = root
    while True:
        entries = list(folder.iterdir())
        if len(entries) != 1 or not entries[0].is_dir() or entries[0].name.isdigit():
            return folder
        folder = entries[0]


def _too_large(limit: int) -> str:
    return _(
        "The uploads zip unpacks to more than %(size)s, more than an import from the admin "
        "takes. Please import with “manage.py import_wordpress --media-dir” instead."
    ) % {"size": filesizeformat(limit)}
