"""Formatting helpers for blog templates. No queries here."""

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import SafeString

from blog.bylines import byline_html
from blog.models import Image, Post
from blog.structured_data import post_article_data
from core.jsonld import json_ld_script

register = template.Library()

MIME_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


@register.inclusion_tag("includes/picture.html")
def picture(
    image: Image | None, sizes: str = "100vw", loading: str = "lazy", css: str = ""
) -> dict:
    """A responsive <picture>: WebP renditions first, the original format as fallback."""
    if image is None:
        return {"image": None}
    fallback = next((r["format"] for r in image.renditions if r["format"] != "webp"), "webp")
    fallback_set = image.rendition_urls(fallback)
    largest = fallback_set[-1][0] if fallback_set else image.file.url
    return {
        "image": image,
        "sizes": sizes,
        "loading": loading,
        "css": css,
        "webp_srcset": _srcset(image.rendition_urls("webp")) if fallback != "webp" else "",
        "fallback_srcset": _srcset(fallback_set),
        "fallback_type": MIME_TYPES.get(fallback, ""),
        "src": largest,
    }


def _srcset(urls: list[tuple[str, int]]) -> str:
    return ", ".join(f"{url} {width}w" for url, width in urls)


@register.simple_tag(takes_context=True)
def share_image_url(context, image: Image | None) -> str:
    """The absolute URL of the largest fallback rendition, for link previews."""
    if image is None:
        return ""
    ordered = sorted(
        (r for r in image.renditions if r["format"] != "webp"), key=lambda r: r["width"]
    )
    url = default_storage.url(ordered[-1]["name"]) if ordered else image.file.url
    return context["request"].build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def post_json_ld(context, post: Post, image_url: str = "") -> SafeString:
    """The post's ``NewsArticle`` as a JSON-LD script (``blog.structured_data``)."""
    return json_ld_script(post_article_data(post, request=context["request"], image_url=image_url))


@register.simple_tag
def byline(post: Post) -> SafeString:
    """'By A and B', each name linked to its author page (``blog.bylines.byline_html``)."""
    return byline_html(post)
