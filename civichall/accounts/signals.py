"""Forget a person's cached roles whenever a membership changes (action,
admin screen or shell). The Wagtail groups derived from memberships are
content's business (``content.groups``), which listens to the same signal."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership
from .permissions import forget_roles


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    forget_roles(instance.user)
