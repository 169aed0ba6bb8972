"""Where a citizen is signed in: browser sessions and app tokens.

Every sign-in has a lifetime (``CIVICHALL_CITIZEN_TOKEN_DAYS`` for app
tokens, the session cookie's age for browsers), is listed for the citizen
with the device it came from, and can be ended one by one or all at once
("sign out everywhere"). Only the citizen themself sees and ends their
sign-ins (``access_citizen_session``); every ending is in the audit log.
"""

import re
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import APIToken

from civichall.core.config import setting
from civichall.core.errors import Refusal

from .models import CitizenSession, SignInKind

TOKEN_NAME = "citizen sign-in"
# Touch ``last_used_at`` at most this often (seconds): one write a minute.
LAST_USED_INTERVAL = 60
# Ended and expired sign-ins are kept this long (for the citizen's own list
# and for support), then deleted with their tokens.
KEEP_DAYS = 30

EXPIRED = _("Your sign-in has expired. Please sign in again.")
ENDED = _("This sign-in has been ended. Please sign in again.")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SignInRefused(Refusal):
    """A citizen token that was valid once and is no longer: 401 with a
    message saying why."""

    code = "unauthorized"
    status = 401

    def __init__(self, message):
        super().__init__(message=message)


def token_lifetime():
    return timedelta(days=setting("CIVICHALL_CITIZEN_TOKEN_DAYS"))


def _device(user_agent):
    """The browser or app as the citizen will recognise it, bounded."""
    return _CONTROL.sub("", str(user_agent or "")).strip()[:200]


@transaction.atomic
def do_issue_token(citizen, user_agent=""):
    """A new app token for ``citizen``; returns (plain token, CitizenSession).
    The plain token is shown once; only its digest is kept."""
    api_token, plain = APIToken.create_token(user=citizen.user, name=TOKEN_NAME)
    now = timezone.now()
    record = CitizenSession.objects.create(
        citizen=citizen, kind=SignInKind.API, api_token=api_token, user_agent=_device(user_agent),
        created_at=now, last_used_at=now, expires_at=now + token_lifetime(),
    )
    log(instance=citizen, action="civichall.citizen.signed_in", user=citizen.user,
        data={"kind": SignInKind.API, "session": record.pk})
    return plain, record


def check_token(api_token):
    """The CitizenSession behind a citizen's ``APIToken`` if it may still be
    used; SignInRefused (with a message for the citizen) when it has expired
    or was ended. Tokens made before sign-ins were recorded live for the
    same lifetime from their creation."""
    now = timezone.now()
    if api_token.revoked_at is not None:
        raise SignInRefused(ENDED)
    record = CitizenSession.objects.filter(api_token=api_token).first()
    if record is None:
        if api_token.created + token_lifetime() <= now:
            raise SignInRefused(EXPIRED)
        return None
    if record.ended_at is not None:
        raise SignInRefused(ENDED)
    if record.expires_at <= now:
        raise SignInRefused(EXPIRED)
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() >= LAST_USED_INTERVAL:
        CitizenSession.objects.filter(pk=record.pk).update(last_used_at=now)
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return record


def do_record_web_sign_in(request, citizen):
    """Record the browser session just started by ``login()``."""
    if request.session.session_key is None:
        request.session.save()
    now = timezone.now()
    record = CitizenSession.objects.create(
        citizen=citizen, kind=SignInKind.WEB, session_key=request.session.session_key,
        user_agent=_device(request.META.get("HTTP_USER_AGENT")), created_at=now, last_used_at=now,
        expires_at=request.session.get_expiry_date(),
    )
    log(instance=citizen, action="civichall.citizen.signed_in", user=citizen.user,
        data={"kind": SignInKind.WEB, "session": record.pk})
    return record


def active_sessions(citizen):
    """The citizen's sign-ins that are neither ended nor expired, newest first."""
    return CitizenSession.objects.filter(
        citizen=citizen, ended_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-id")


def current_session(request):
    """The CitizenSession this request is signed in with, if any."""
    if getattr(request, "api_token", None) is not None:  # signed in by token
        return getattr(request, "citizen_session", None)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return None
    return CitizenSession.objects.filter(session_key=key, kind=SignInKind.WEB, ended_at__isnull=True).first()


def access_citizen_session(user, session_id):
    """The sign-in ``session_id`` if it is one of ``user``'s own; 404 for
    anyone else's (their existence is not revealed), PermissionDenied for
    someone who is not a signed-in citizen."""
    from .citizens import citizen_of

    citizen = citizen_of(user)
    if citizen is None:
        raise PermissionDenied
    record = CitizenSession.objects.filter(pk=session_id, citizen=citizen).first()
    if record is None:
        raise Http404
    return record


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _end(record, now):
    CitizenSession.objects.filter(pk=record.pk).update(ended_at=now)
    record.ended_at = now
    if record.api_token_id:
        APIToken.objects.filter(pk=record.api_token_id, revoked_at__isnull=True).update(revoked_at=now)
    if record.session_key:
        _session_store()(session_key=record.session_key).delete()


@transaction.atomic
def do_end_session(citizen, record):
    """End one sign-in: its token stops working, its browser is signed out."""
    if record.citizen_id != citizen.pk:
        raise PermissionDenied
    if record.ended_at is None:
        _end(record, timezone.now())
        log(instance=citizen, action="civichall.citizen.signed_out", user=citizen.user,
            data={"kind": record.kind, "session": record.pk})
    return record


@transaction.atomic
def do_sign_out_everywhere(citizen):
    """End every sign-in of ``citizen``: all app tokens are revoked, all
    browser sessions end (including ones made before sign-ins were
    recorded: the user's session hash changes, so Django drops them).
    Returns how many recorded sign-ins were ended."""
    now = timezone.now()
    records = list(CitizenSession.objects.filter(citizen=citizen, ended_at__isnull=True))
    for record in records:
        _end(record, now)
    APIToken.objects.filter(user=citizen.user, revoked_at__isnull=True).update(revoked_at=now)
    user = citizen.user
    if not user.has_usable_password():
        user.set_unusable_password()  # a new random marker: every old session hash is void
        user.save(update_fields=["password"])
    log(instance=citizen, action="civichall.citizen.signed_out_everywhere", user=user,
        data={"ended": len(records)})
    return len(records)


def forget_old_sign_ins(now=None):
    """Delete sign-ins (and their tokens) that ended or expired more than
    KEEP_DAYS ago; returns how many. Run by the worker's periodic jobs."""
    from django.db.models import Q

    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    old = CitizenSession.objects.filter(Q(ended_at__lt=cutoff) | Q(expires_at__lt=cutoff))
    token_ids = [pk for pk in old.values_list("api_token_id", flat=True) if pk]
    count = old.count()
    with transaction.atomic():
        old.delete()
        APIToken.objects.filter(pk__in=token_ids).delete()
    return count
