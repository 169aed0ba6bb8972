"""Reactions to Wagtail's workflow events."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved

from . import review_mail  # noqa: F401 - e-mails the reviewers of a submitted page


@receiver(workflow_approved)
def clear_unreviewed_flag(sender, instance, user=None, **kwargs):
    from .actions import on_workflow_approved

    obj = instance.content_object
    if obj is not None:
        on_workflow_approved(obj, user)
