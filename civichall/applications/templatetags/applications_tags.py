"""Template tags other rooms' templates use to lead into an application."""

from django import template

from ..models import ApplicationDefinition, DefinitionStatus

register = template.Library()


@register.simple_tag
def online_application(code):
    """The open definition of the service ``code``, or None."""
    return ApplicationDefinition.objects.filter(code=code, status=DefinitionStatus.ACTIVE,
                                                current__isnull=False).first()
