"""Two-factor sign-in for staff: a six-digit code from an authenticator app
(TOTP, RFC 6238) and one-time recovery codes, on django-otp's devices.

Superusers and anyone holding the administrator or reviewer role in any
organisation must have a confirmed authenticator and pass a code before
they reach the admin (``StaffTwoFactorMiddleware``); other staff may turn it
on, and once on it is asked for the same way. Every change and every
sign-in with a second factor is in the audit log.

Wrong codes slow down: each device doubles its wait after every failure
(django-otp's throttling), so codes cannot be guessed.
"""

import re
from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from civichall.core.config import setting

from .models import Membership, Role

REQUIRED_ROLES = (Role.ADMINISTRATOR, Role.REVIEWER)
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"
RECOVERY_CODE_COUNT = 10


def _log(user, action, acting_user=None, **data):
    """Audit entry about ``user`` (unwrapped: the request's user is a lazy
    object, which the audit log would not recognise)."""
    user = _unwrap(user)
    log(instance=user, action=action, user=_unwrap(acting_user) or user, data=data)


def _unwrap(obj):
    while isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        obj = obj._wrapped
    return obj


class TwoFactorError(Exception):
    """A code was refused; the message says why and what to do."""


def is_required(user):
    """True when ``user`` must use two-factor sign-in to reach the admin."""
    if not setting("CIVICHALL_STAFF_TWO_FACTOR"):
        return False
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()


def authenticator_for(user):
    """The user's confirmed authenticator, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user):
    return authenticator_for(user) is not None


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device):
    """The secret in base32, in groups of four, for typing into an app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The ``otpauth://`` address as an inline SVG QR code (drawn here;
    the secret never leaves the server)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(omitsize=True, border=4, dark="#111", light="#fff")


# --- actions ------------------------------------------------------------------------


@transaction.atomic
def do_start_enrolment(user):
    """An unconfirmed authenticator for ``user`` to scan (reused while the
    person has not confirmed it, so reloading the page keeps the same QR)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
        _log(user, "civichall.twofactor.enrolment_started")
    return device


def _clean(code):
    return re.sub(r"[\s-]", "", str(code or "")).lower()


def _refusal(device):
    allowed, data = device.verify_is_allowed()
    if not allowed and data and data.get("locked_until"):
        seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
        return TwoFactorError(
            _("Too many wrong codes. Please wait %(seconds)d seconds and try again.") % {"seconds": seconds}
        )
    return None


def do_confirm_enrolment(user, code):
    """Confirm the authenticator with a code it shows; returns (device, recovery codes).

    The recovery codes are shown to the person once and never again. A
    wrong code is counted (and committed) before it is refused."""
    code = _clean(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed=False, name=AUTHENTICATOR
        ).first()
        if device is None:
            raise TwoFactorError(_("Please start the set-up again."))
        refused = _refusal(device)
        if refused is not None:
            raise refused
        if code.isdigit() and device.verify_token(code):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator a person
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _log(user, "civichall.twofactor.enabled")
            return device, codes
    raise TwoFactorError(_("The code is not right. Enter the six digits your app shows now."))


def _new_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    for _n in range(RECOVERY_CODE_COUNT):
        code = StaticToken.random_token()
        device.token_set.create(token=code)
        codes.append(code)
    return codes


@transaction.atomic
def do_new_recovery_codes(user, acting_user=None):
    """A fresh set of recovery codes (the old ones stop working)."""
    if not is_enrolled(user):
        raise TwoFactorError(_("Two-factor sign-in is not set up for this account."))
    codes = _new_recovery_codes(user)
    _log(user, "civichall.twofactor.recovery_codes_issued", acting_user)
    return codes


def do_verify(user, code):
    """The device that accepts ``code`` (six digits from the app, or one of
    the recovery codes, which then stops working); TwoFactorError if none."""
    code = _clean(code)
    if not code:
        raise TwoFactorError(_("Please enter the code."))
    with transaction.atomic():
        if code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None:
            refused = _refusal(device)
            if refused is not None:
                raise refused
            if device.verify_token(code):
                method = "authenticator" if code.isdigit() else "recovery_code"
                _log(user, "civichall.twofactor.verified", method=method)
                return device
    _log(user, "civichall.twofactor.failed")
    raise TwoFactorError(_("The code is not right, or the recovery code was already used."))


@transaction.atomic
def do_provision(user, acting_user=None):
    """From the console (``civichall otp provision``, the demo): make sure
    ``user`` has a confirmed authenticator and a fresh set of recovery codes;
    returns (device, recovery codes). An existing authenticator is kept, so
    an app that already holds its key goes on working."""
    device = authenticator_for(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
        _log(user, "civichall.twofactor.enabled", acting_user)
    codes = _new_recovery_codes(user)
    _log(user, "civichall.twofactor.recovery_codes_issued", acting_user)
    return device, codes


@transaction.atomic
def do_turn_off(user, acting_user=None):
    """Remove the authenticator and recovery codes. People who must use two
    factors are sent to set it up again at their next step in the admin;
    an operator uses this (``civichall otp reset``) for someone who lost
    their phone and their codes."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    _log(user, "civichall.twofactor.disabled", acting_user)
    return removed
