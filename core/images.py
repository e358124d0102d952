"""What the site accepts as an uploaded picture, before any app does more with it (blog
makes renditions, accounts makes avatars, each with its own further limits).

Pillow decides what a file is, never its name: a renamed text file is refused. The file is
opened and verified, not decoded. This package sits below every app and imports none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int


def check_image_upload(upload) -> CheckedImage:
    """Return what the upload is, or raise ValidationError saying why it is refused."""
    # The limit is the site's one upload limit (settings.UPLOAD_MAX_MB, DJANGO_UPLOAD_MAX_MB).
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _(
                "This file is %(size)s MB; the limit is %(limit)s MB. "
                "Please upload a smaller picture."
            )
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": settings.UPLOAD_MAX_MB},
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
