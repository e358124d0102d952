"""Pictures of a WordPress site, found in its uploads folder and stored as Tribune images.

An import never downloads anything: the pictures come from the ``wp-content/uploads``
folder the editor copied from the old server (``--media-dir``). Each goes through the same
pipeline as an upload in the admin (``blog.services.image_create``: Pillow's checks, the
metadata with any GPS position stripped, the renditions), so an imported picture is in
every way an uploaded one.

A picture that cannot be imported raises ``MediaMissing`` with a sentence saying why (not in
the folder, outside it, not a picture, too large); the importer reports it and goes on
without the picture, as the issue asks.
"""

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Image
from blog.services import image_create

UPLOADS_MARKER = "/wp-content/uploads/"
# WordPress.com and some hosts serve uploads at /YYYY/MM/name without the marker.
_DATED_TAIL_RE = re.compile(r"(?:^|/)([0-9]{4}/[0-9]{2}/[^/]+)$")


class MediaMissing(Exception):
    """A picture the import could not bring over; ``reason`` is a sentence for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def uploads_relative_path(attachment_url_or_relative_path: str) -> str:
    """Where an attachment lives inside the uploads folder, as a relative POSIX path:
    the part after ``/wp-content/uploads/`` of its address, a ``YYYY/MM/name`` at its end,
    or the ``_wp_attached_file`` value as it is. Percent-escapes are decoded."""
    value = attachment_url_or_relative_path.strip()
    parts = urlsplit(value)
    path = unquote(parts.path if parts.scheme or value.startswith("/") else value.split("?")[0])
    if UPLOADS_MARKER in path:
        return path.split(UPLOADS_MARKER, 1)[1]
    if parts.scheme or path.startswith("/"):
        dated = _DATED_TAIL_RE.search(path)
        return dated.group(1) if dated else path.lstrip("/")
    return path


def find_upload(media_dir: Path, attachment_url_or_relative_path: str) -> Path:
    """The file under ``media_dir`` an attachment names; MediaMissing when there is none or
    the name would lead out of the folder (``..``, an absolute path, a link elsewhere)."""
    relative = uploads_relative_path(attachment_url_or_relative_path)
    shown = relative or attachment_url_or_relative_path
    pure = PurePosixPath(relative)
    if not relative or "\x00" in relative or pure.is_absolute() or ".." in pure.parts:
        raise MediaMissing(
            _("“%(name)s” does not name a file inside the uploads folder.") % {"name": shown}
        )
    root = Path(media_dir).resolve()
    candidate = (root / pure).resolve()
    if not candidate.is_relative_to(root):
        raise MediaMissing(
            _("“%(name)s” leads outside the uploads folder; it was not read.") % {"name": shown}
        )
    if not candidate.is_file():
        raise MediaMissing(_("“%(name)s” is not in the uploads folder.") % {"name": shown})
    return candidate


def image_from_uploads(
    media_dir: Path,
    attachment_url_or_relative_path: str,
    *,
    alt_text: str,
    caption: str,
    credit: str,
    uploaded_by: User | None,
) -> Image:
    """Store the attachment's picture from the uploads folder as a library image, with its
    alt text, caption and credit; MediaMissing (with ``reason``) when it cannot be.

    A blank alt text (WordPress does not require one; Tribune does) becomes the caption, or
    else the file's name in words, which an editor can improve in the image library.
    Texts longer than the library's fields are cut to fit.
    """
    path = find_upload(media_dir, attachment_url_or_relative_path)
    alt = alt_text.strip() or caption.strip() or _words_of(path)
    name = uploads_relative_path(attachment_url_or_relative_path)
    try:
        with path.open("rb") as handle:
            return image_create(
                file=File(handle, name=path.name),
                alt_text=alt[: _max_length("alt_text")],
                caption=caption.strip()[: _max_length("caption")],
                credit=credit.strip()[: _max_length("credit")],
                uploaded_by=uploaded_by,
            )
    except ValidationError as refused:
        raise MediaMissing(
            _("“%(name)s” was not imported: %(why)s")
            % {"name": name, "why": " ".join(refused.messages)}
        ) from refused
    except OSError as error:
        raise MediaMissing(
            _("“%(name)s” could not be read (%(error)s).")
            % {"name": name, "error": error.strerror or error}
        ) from error


def _words_of(path: Path) -> str:
    """A file's name as words: "bell-on_wharf.jpg" -> "bell on wharf"."""
    return " ".join(re.split(r"[-_.\s]+", path.stem)).strip() or path.name


def _max_length(field: str) -> int:
    return Image._meta.get_field(field).max_length
