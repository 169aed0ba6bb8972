"""The notification room's door: other rooms call only these.

* ``notify_citizen(citizen, kind, text, link="")`` -- add a notification
  (in the caller's transaction: it exists exactly when what it announces does);
* ``notifications_for(citizen, unread_only=False)`` -- newest first;
* ``unread_count(citizen)``;
* ``mark_read(citizen, ids=None)`` -- some or all of the citizen's own
  notifications; returns how many changed.

Delivery beyond the site hangs off ``notify_citizen``: a channel above
(WeChat) registers a delivery with ``register_delivery(fn)`` in its
``ready()``; ``fn(notification)`` runs once the notification is committed.
The notification centre (``/citizen/notifications/``,
``GET /api/v1/citizen/notifications``) always has it, whatever a channel does.
"""

import logging

from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationKind

KINDS = tuple(NotificationKind.values)
MAX_TEXT = 1000
_DELIVERIES = []

logger = logging.getLogger("civichall.notify")


def register_delivery(fn):
    """``fn(notification)`` runs after each notification is committed (a
    channel sends it on); registered once per function."""
    if fn not in _DELIVERIES:
        _DELIVERIES.append(fn)


def _deliver(notification):
    for fn in list(_DELIVERIES):
        try:
            fn(notification)
        except Exception:  # a channel failing never undoes the notification
            logger.exception("delivery of notification %s failed", notification.pk)


def notify_citizen(citizen, kind, text, link=""):
    """Add a notification for ``citizen``; None if there is nobody to tell."""
    if citizen is None:
        return None
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    notification = Notification.objects.create(
        citizen=citizen, kind=kind, text=str(text)[:MAX_TEXT], link=(link or "")[:500],
    )
    if _DELIVERIES:
        transaction.on_commit(lambda: _deliver(notification))
    return notification


def notifications_for(citizen, unread_only=False):
    """The citizen's notifications, newest first."""
    qs = Notification.objects.filter(citizen=citizen)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(citizen, request=None):
    """How many of the citizen's notifications are unread. With ``request``,
    counted once per request (the header and the comment area both show it)."""
    if citizen is None:
        return 0
    counted = getattr(request, "_civichall_unread", None) if request is not None else None
    if counted is not None and counted[0] == citizen.pk:
        return counted[1]
    count = Notification.objects.filter(citizen=citizen, read_at__isnull=True).count()
    if request is not None:
        request._civichall_unread = (citizen.pk, count)
    return count


def mark_read(citizen, ids=None):
    """Mark the citizen's notifications (``ids``, or all) read; others' are untouched."""
    qs = Notification.objects.filter(citizen=citizen, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
