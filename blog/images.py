"""Making the pictures pages use from an upload ``core.images.check_image_upload`` took.

Every stored file is re-encoded, so EXIF and GPS metadata never leave the upload.
"""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

from core.images import ALLOWED_FORMATS, CheckedImage

RENDITION_WIDTHS = (480, 960, 1600)
# The second format of each rendition set, beside WebP.
FALLBACK_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "JPEG", "GIF": "PNG"}


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
                data = _encode(resized, image_format)
                description = {
                    "width": width,
                    "height": height,
                    "format": extension,
                    "name": f"renditions/{stem}/w{width}.{extension}",
                    # Feeds give each enclosure's length: no request to storage for it.
                    "bytes": len(data),
                }
                results.append((description, data))
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
