"""The Open311 channel's records: the API keys clients post with, and every
request posted, stored before it is processed (nothing is lost)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key an Open311 client posts requests with. Only its hash is kept;
    the key itself is shown once, when it is issued."""

    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("key begins with"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self):
        return self.revoked_at is None


class InboundRequest(models.Model):
    """One POST to ``requests``: its fields as received (without the key),
    then the case it became or why it was refused. Contact data stays here
    and on the case, for staff only."""

    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    params = models.JSONField(default=dict)
    token = models.CharField(max_length=40, unique=True)
    case = models.OneToOneField("applications.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="open311_request")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
