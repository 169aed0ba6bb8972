"""Staff API tokens: one action creates them, whoever asks (the operator's
console, or a staff member for themselves in the admin's API tokens screen,
which Wagtail audits the same way)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import APIToken

from .permissions import is_staff_member
from .policy import is_system, recorded_user


@transaction.atomic
def do_create_staff_token(actor, user, name="", source=""):
    """A personal API token for staff member ``user``; returns (token, plain
    text). Only the system (the operator) or the person themselves may ask;
    only staff get one. The plain text is shown once and never stored."""
    if not (is_system(actor) or (actor is not None and getattr(actor, "pk", None) == user.pk)):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError(_("The user “%(username)s” is not active.") % {"username": user.get_username()})
    if not is_staff_member(user):
        raise ValidationError(_(
            "“%(username)s” is not a staff member (no role in any organisation and not a superuser): "
            "API tokens are for staff only.") % {"username": user.get_username()})
    name = (name or "").strip() or f"{user.get_username()} {timezone.localdate():%Y-%m-%d}"
    token, plaintext = APIToken.create_token(user=user, name=name[:255])
    log(token, "wagtail.apitoken.create", user=recorded_user(actor), data={"source": source or "action"})
    return token, plaintext
