"""JSON-LD in a page: the ``<script type="application/ld+json">`` element every app's
schema.org data is written into (blog's ``NewsArticle``, comments' ``Comment`` items)."""

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# Inside <script>, "</script>" or "<!--" in a title or a name would end or break the
# element; JSON lets these characters be written as escapes, which parsers read back
# unchanged.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element, safe to put in HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
