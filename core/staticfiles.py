"""Static files as production serves them: hashed names, precompressed copies (WhiteNoise)
and stylesheets without their comments and indentation.

Our stylesheets stay readable in the repository (``static/css/site.css`` is written for
people); ``rcssmin`` minifies each ``.css`` file as ``collectstatic`` stores it, so the
hashed copy, its gzip and brotli siblings and what browsers download are the small form.
Comments starting ``/*!`` (licences) are kept.
"""

from django.core.files.base import ContentFile
from rcssmin import cssmin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, with every stylesheet minified as stored."""

    def _save(self, name: str, content) -> str:
        if name.endswith(".css"):
            content.seek(0)
            text = content.read()
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            content = ContentFile(cssmin(text, keep_bang_comments=True).encode("utf-8"))
        return super()._save(name, content)
