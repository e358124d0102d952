"""Turning an uploaded picture into a member's avatar.

Pillow decides what a file is, never its name (``core.images.check_image_upload`` does the
opening and verifying). Only JPEG, PNG and WebP are taken, small files only, and the stored
avatar is always a fresh 256 × 256 WebP, so no EXIF or GPS metadata survives.
"""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps

from core.images import check_image_upload

# At most this, and never more than the site's upload limit (settings.UPLOAD_MAX_MB).
MAX_MB = 5
MAX_PIXELS = 25_000_000
SIZE = 256
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# What the file input offers to pick; the server checks the content regardless.
ACCEPT = "image/jpeg,image/png,image/webp"


def _refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _not_a_picture() -> ValidationError:
    return _refused(
        _("This file is not a picture we can read. Please upload a JPEG, PNG or WebP picture."),
        "not_an_image",
    )


def avatar_max_mb() -> int:
    """The largest avatar upload, in MB."""
    return min(MAX_MB, settings.UPLOAD_MAX_MB)


def avatar_check(file) -> None:
    """Raise ValidationError, with a message a person understands, unless ``file`` is a JPEG,
    PNG or WebP picture of at most 5 MB and 25 megapixels. The file is opened and verified,
    not decoded."""
    if file.size > avatar_max_mb() * 1024 * 1024:
        raise _refused(
            _(
                "This file is %(size)s MB; the limit is %(limit)s MB. "
                "Please upload a smaller picture."
            )
            % {"size": f"{file.size / 1024 / 1024:.1f}", "limit": avatar_max_mb()},
            "too_large",
        )
    try:
        checked = check_image_upload(file)
    except ValidationError as error:
        if error.code == "too_many_pixels":
            raise _too_many_pixels() from None
        if error.code == "bad_format":
            raise _bad_format(_format_of(file)) from None
        raise _not_a_picture() from None
    if checked.format not in ACCEPTED_FORMATS:
        raise _bad_format(checked.format)
    if checked.width * checked.height > MAX_PIXELS:
        raise _too_many_pixels(checked.width, checked.height)


def _format_of(file) -> str:
    """The format Pillow reads from the file's header (a picture it has already opened)."""
    try:
        with PILImage.open(file) as picture:
            return picture.format or "?"
    finally:
        file.seek(0)


def _bad_format(image_format: str) -> ValidationError:
    return _refused(
        _("%(format)s pictures are not accepted. Please upload a JPEG, PNG or WebP picture.")
        % {"format": image_format},
        "bad_format",
    )


def _too_many_pixels(width: int = 0, height: int = 0) -> ValidationError:
    size = f" ({width} × {height})" if width else ""
    return _refused(
        _("This picture is too large%(size)s: the limit is 25 megapixels.") % {"size": size},
        "too_many_pixels",
    )


def avatar_process(file) -> ContentFile:
    """The avatar made from the upload ``file``: upright, cropped to its centre square,
    resized to 256 × 256 and re-encoded as WebP without any metadata, under a new random
    name (so a changed avatar never hides behind a cached copy).

    Raises ValidationError for anything ``avatar_check`` refuses and for a damaged or
    incomplete picture (found only when it is decoded).
    """
    avatar_check(file)
    file.seek(0)
    try:
        with PILImage.open(file) as picture:
            # JPEG can decode at 1/2 … 1/8 scale: no need for every pixel of a photo.
            picture.draft("RGB", (SIZE * 2, SIZE * 2))
            picture.load()
            upright = ImageOps.exif_transpose(picture)
            if upright.mode not in ("RGB", "RGBA"):
                has_alpha = "A" in upright.getbands() or "transparency" in upright.info
                upright = upright.convert("RGBA" if has_alpha else "RGB")
            square = ImageOps.fit(upright, (SIZE, SIZE), PILImage.Resampling.LANCZOS)
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError):
        raise _refused(
            _(
                "This picture looks damaged or incomplete. Please upload it again, or choose "
                "another one."
            ),
            "damaged",
        ) from None
    finally:
        file.seek(0)
    buffer = io.BytesIO()
    # A fresh image carries no EXIF, XMP or ICC data unless asked to.
    square.save(buffer, format="WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(8)}.webp")
