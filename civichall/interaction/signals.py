"""New articles start with comments open or closed as their organisation's
settings say (``comments_open_by_default``); each article's own switch
(*Settings → comments open*) decides afterwards."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from civichall.content.models import ArticlePage, OrganisationPage

from .models import OrganisationInteractionSettings


@receiver(pre_save, sender=ArticlePage)
def apply_organisation_default(sender, instance, **kwargs):
    if instance.pk is not None or not instance.path:
        return
    parent_path = instance.path[: -instance.steplen]
    org_id = OrganisationPage.objects.filter(path=parent_path).values_list(
        "organisation_id", flat=True).first()
    if org_id is None:
        return
    closed = OrganisationInteractionSettings.objects.filter(
        organisation_id=org_id, comments_open_by_default=False).exists()
    if closed:
        instance.comments_open = False
