"""Formatting for comments in templates and e-mails: text only, never a query."""

from django import template
from django.utils.safestring import SafeString

from comments.rendering import comment_body_html

register = template.Library()


@register.filter
def comment_body(text: str) -> SafeString:
    """Plain text as HTML: escaped, paragraphs and line breaks kept, links clickable and
    marked as user-generated."""
    return comment_body_html(text)
