"""A citizen's notifications: what the account has to tell them (an answer
to their question, a reply to their comment, why a question was closed)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ANSWER = "answer", _("Your question was answered")
    REPLY = "reply", _("Official reply to your comment")
    QUESTION_CLOSED = "question_closed", _("Your question was closed")
    COMMENT = "comment", _("About your comment")
    CASE = "case", _("About your application")


class Notification(models.Model):
    """One message in a citizen's notification centre."""

    citizen = models.ForeignKey(
        "accounts.Citizen", on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("citizen"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["citizen", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text[:40]

    @property
    def is_read(self):
        return self.read_at is not None
