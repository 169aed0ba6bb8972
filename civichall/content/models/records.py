"""Records kept beside the pages, not in their revisions, so that no later
revision can silently undo them: withdrawals and publications without review."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class Withdrawal(models.Model):
    """An article withdrawn after publication: it keeps its URL, shows a banner
    and this public explanation, and leaves the listings."""

    page = models.OneToOneField("content.ArticlePage", on_delete=models.CASCADE, related_name="withdrawal")
    reason = models.TextField(_("public explanation"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))

    class Meta:
        verbose_name = _("withdrawal")


class ForcePublication(models.Model):
    """An administrator's publication without review, with the written reason.

    While ``reviewed_at`` is empty the article carries a "not reviewed" flag.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="force_publications")
    reason = models.TextField(_("reason"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication without review")
        ordering = ["-created_at"]


def validate_reason(value):
    from civichall.core.reasons import MIN_REASON

    if len((value or "").strip()) < MIN_REASON:
        raise ValidationError(_("Please write the reason in at least 5 characters."))
