"""Citizens: sign-in by mobile number and one-time code, WeChat OpenID
linking, real-name verification, and who may see a citizen's data.

``check_*`` validate, ``do_*`` change state, ``access_citizen`` decides who
may touch a citizen record.
"""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.core.errors import RateLimited  # noqa: F401 (re-exported: 429, a refusal)
from civichall.core.ratelimit import hit, hit_all

from . import identity, personal_data, policy, sms
from .models import Citizen, OneTimeCode

logger = logging.getLogger("civichall.citizens")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
CODES_PER_HOUR_PER_ADDRESS = 10


def check_mobile(value):
    """A mainland mobile number without separators, or ValidationError."""
    mobile = re.sub(r"[\s\-]", "", str(value or ""))
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if not MOBILE_RE.match(mobile):
        raise ValidationError(_("Please enter an 11-digit mainland mobile number."))
    return mobile


def _digest(mobile, code):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def do_request_code(mobile, address="unknown"):
    """Send a sign-in code to ``mobile``. Limited to a few per hour per
    address and one per minute per number.

    The address is counted first and a refused request gives back what it
    counted: an address that is already refused cannot take the minute slot
    of someone else's number and so block their sign-in.
    """
    mobile = check_mobile(mobile)
    refused = hit_all([
        (f"otp-addr:{address}", CODES_PER_HOUR_PER_ADDRESS, 3600),
        (f"otp-mobile:{mobile}", 1, RESEND_SECONDS),
    ])
    if refused is not None and refused.startswith("otp-addr:"):
        raise RateLimited(_("Too many codes requested from here. Please try again later."))
    if refused is not None:
        raise RateLimited(_("A code was sent less than a minute ago. Please wait a moment."))
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    now = timezone.now()
    OneTimeCode.objects.create(
        mobile=mobile, code_hash=_digest(mobile, code), created_at=now, expires_at=now + CODE_TTL
    )
    sms.get_sender().send(
        mobile, _("Your sign-in code is %(code)s, valid for 10 minutes. Do not tell anyone.") % {"code": code}
    )
    return mobile


def do_sign_in_with_code(mobile, code):
    """The citizen for ``mobile`` if ``code`` is right (creating them on first
    sign-in); ValidationError with a clear message otherwise.

    A wrong guess is counted (and committed) before the error is raised, so
    that a code locks after MAX_ATTEMPTS guesses.
    """
    mobile = check_mobile(mobile)
    code = re.sub(r"\s", "", str(code or ""))
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        accepted = (
            record is not None
            and record.attempts < MAX_ATTEMPTS
            and hmac.compare_digest(record.code_hash, _digest(mobile, code))
        )
        if accepted:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return _citizen_for_mobile(mobile)
        if record is not None:
            OneTimeCode.objects.filter(pk=record.pk).update(attempts=record.attempts + 1)
    raise ValidationError(_("The code is wrong or has expired. Please request a new one."))


def _new_user(prefix):
    User = get_user_model()
    for _attempt in range(5):
        username = f"{prefix}{secrets.token_hex(6)}"
        if not User.objects.filter(username=username).exists():
            user = User(username=username)
            user.set_unusable_password()
            user.save()
            return user
    raise IntegrityError("could not allocate a citizen username")


def _citizen_for_mobile(mobile):
    citizen = Citizen.objects.filter(mobile=mobile).select_related("user").first()
    if citizen is None:
        citizen = Citizen.objects.create(user=_new_user("c_"), mobile=mobile)
    return citizen


@transaction.atomic
def do_sign_in_with_wechat(openid):
    """The citizen linked to a WeChat OpenID, created on first contact."""
    openid = (openid or "").strip()
    if not openid or len(openid) > 64:
        raise ValidationError(_("Invalid WeChat identity."))
    citizen = Citizen.objects.filter(wechat_openid=openid).first()
    if citizen is None:
        citizen = Citizen.objects.create(user=_new_user("w_"), wechat_openid=openid)
    return citizen


@transaction.atomic
def do_link_wechat(citizen, openid):
    """Link a WeChat OpenID to a citizen signed in by mobile."""
    openid = (openid or "").strip()
    other = Citizen.objects.filter(wechat_openid=openid).exclude(pk=citizen.pk).first()
    if other is not None:
        raise ValidationError(_("This WeChat account is already linked to another citizen."))
    citizen.wechat_openid = openid
    citizen.save(update_fields=["wechat_openid"])
    return citizen


@transaction.atomic
def do_verify_identity(citizen, name, id_number, address="unknown"):
    """Real-name verification through the configured identity provider."""
    name = (name or "").strip()
    if not name or len(name) > 30:
        raise ValidationError(_("Please enter your name as on your ID card."))
    if not identity.normalise_id_number(id_number):
        raise ValidationError(_("Please enter your ID number."))
    try:
        provider = identity.get_provider()
    except identity.NoIdentityProvider:
        raise ValidationError(_(
            "Real-name verification is not available on this site: no identity service is configured."
        )) from None
    # Counted after the form checks: a mistyped form is not an attempt.
    if not hit(f"verify:{citizen.pk}", 5, 3600):
        raise RateLimited(_("Too many verification attempts. Please try again in an hour."))
    subject = provider.verify(name, id_number)
    if subject is None:
        raise ValidationError(_("The name and ID number could not be verified. Please check them."))
    holder = Citizen.objects.filter(verified_subject=subject).exclude(pk=citizen.pk).first()
    if holder is not None:
        raise ValidationError(_("This identity is already verified by another account."))
    citizen.verified_subject = subject
    citizen.verified_name_masked = identity.mask_name(name)
    citizen.verified_at = timezone.now()
    citizen.save(update_fields=["verified_subject", "verified_name_masked", "verified_at"])
    log(instance=citizen, action="civichall.citizen.verified", user=citizen.user)
    return citizen


def citizen_of(user):
    """The citizen record of a signed-in user, or None (staff, anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.citizen
    except Citizen.DoesNotExist:
        return None


def access_citizen(user, citizen, action="view"):
    """Return ``citizen`` if ``user`` may ``action`` it, else PermissionDenied.

    ``view``/``edit``: the citizen themself. ``view_personal`` (who they
    are, unmasked): superusers only, through the logged door -- written to
    the audit log and shown to the citizen under "who viewed my data"."""
    if action in ("view", "edit"):
        return policy.check(user, "citizen", "view_own", citizen)
    if action == "view_personal":
        policy.check(user, "citizen", "view_personal", citizen)
        log(instance=citizen, action="civichall.citizen.personal_data_viewed", user=policy.recorded_user(user))
        personal_data.read(user, citizen, personal_data.IDENTITY, citizen, reference=f"citizen:{citizen.pk}",
                           purpose="identity")
        return citizen
    raise PermissionDenied(f"unknown action {action!r}")


def require_verified(user):
    """The verified citizen behind ``user``; PermissionDenied otherwise."""
    citizen = citizen_of(user)
    if citizen is None or not citizen.is_verified:
        raise PermissionDenied
    return citizen
