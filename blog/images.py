"""Checking uploaded pictures and making the renditions pages use.

Pillow decides what a file is, never its name: a renamed text file is refused.
Every stored file is re-encoded, so EXIF and GPS metadata never leave the upload.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (480, 960, 1600)
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# The second format of each rendition set, beside WebP.
FALLBACK_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG", "GIF": "PNG"}


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int


def check_image_upload(upload) -> CheckedImage:
    """Return what the upload is, or raise ValidationError saying why it is refused."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is 20 MB. Please upload a smaller picture.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    upload.seek(0)
    try:
        with PILImage.open(upload) as picture:
            picture_format = picture.format
            width, height = picture.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            picture.verify()
    except PILImage.DecompressionBombError:
        raise _too_many_pixels(0, 0) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a picture we can read. Please upload a JPEG, PNG, WebP or GIF."),
            code="not_an_image",
        ) from None
    finally:
        upload.seek(0)
    if picture_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s pictures are not accepted. Please upload a JPEG, PNG, WebP or GIF.")
            % {"format": picture_format},
            code="bad_format",
        )
    return CheckedImage(format=picture_format, width=width, height=height)


def _too_many_pixels(width: int, height: int) -> ValidationError:
    size = f" ({width} × {height})" if width else ""
    return ValidationError(
        _("This picture is too large%(size)s: the limit is 40 megapixels.") % {"size": size},
        code="too_many_pixels",
    )


def clean_original(upload, checked: CheckedImage) -> ContentFile:
    """The upload re-encoded in its own format, upright and without any metadata."""
    upload.seek(0)
    with PILImage.open(upload) as picture:
        if checked.format == "GIF":
            return ContentFile(_encode(picture, "GIF", save_all=True), name=_name(upload, "gif"))
        upright = ImageOps.exif_transpose(picture)
        data = _encode(upright, checked.format)
    return ContentFile(data, name=_name(upload, ALLOWED_FORMATS[checked.format]))


def make_renditions(stored_file, checked: CheckedImage, stem: str) -> list[tuple[dict, bytes]]:
    """Resized copies at each rendition width up to the original's, in WebP and a fallback.

    Returns (description, bytes) pairs; the caller stores them.
    """
    stored_file.seek(0)
    with PILImage.open(stored_file) as picture:
        picture.load()
        widths = [w for w in RENDITION_WIDTHS if w < picture.width] + [
            min(picture.width, RENDITION_WIDTHS[-1])
        ]
        results = []
        for width in sorted(set(widths)):
            height = max(1, round(picture.height * width / picture.width))
            resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
            for image_format in ("WEBP", FALLBACK_FORMAT[checked.format]):
                extension = ALLOWED_FORMATS[image_format]
                description = {
                    "width": width,
                    "height": height,
                    "format": extension,
                    "name": f"renditions/{stem}/w{width}.{extension}",
                }
                results.append((description, _encode(resized, image_format)))
    return results


def _encode(picture: PILImage.Image, image_format: str, **options) -> bytes:
    if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    elif image_format in ("WEBP", "PNG") and picture.mode not in ("RGB", "RGBA", "L", "LA"):
        picture = picture.convert("RGBA")
    buffer = io.BytesIO()
    quality = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 80}}
    picture.save(buffer, format=image_format, **quality.get(image_format, {}), **options)
    return buffer.getvalue()


def _name(upload, extension: str) -> str:
    stem = PurePosixPath(getattr(upload, "name", "") or "image").stem[:80] or "image"
    return f"{stem}.{extension}"
