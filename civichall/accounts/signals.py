"""Keep Wagtail groups true to memberships, however a membership changes
(action, admin screen or shell)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .groups import sync_user_groups
from .models import Membership
from .permissions import forget_roles


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    sync_user_groups(instance.user)
    forget_roles(instance.user)
