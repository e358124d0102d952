"""``{% hole "template/name.html" %}``: a personal part of a page (see ``core.holes``)."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from core.holes import recorder_in

register = template.Library()


@register.simple_tag(takes_context=True)
def hole(context: Context, template_name: str) -> SafeString:
    """The template rendered in place, like ``{% include %}``; a marker instead while the
    page's shell is being rendered."""
    recorder = recorder_in(context)
    if recorder is not None:
        return recorder.mark(template_name)
    return context.template.engine.get_template(template_name).render(context)
