"""``{% personal "name" key obj %}``: a part of a public page that differs
per reader, rendered by its room's registered renderer and framed so that a
signed-in citizen can be answered from the cached page
(``core/personal_parts.py``)."""

from django import template
from django.utils.safestring import mark_safe

from civichall.core.personal_parts import frame, render_part

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name, key="", obj=None):
    """The personal part ``name`` (``key``: what it is about, e.g. a page id;
    ``obj``: that object when the template has it) for this request's reader."""
    request = context.get("request")
    return mark_safe(frame(name, key, render_part(name, request, key, obj)))  # noqa: S308 - rendered templates
