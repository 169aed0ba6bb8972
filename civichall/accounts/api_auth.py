"""Staff authentication for the API: a personal bearer token.

Staff send ``Authorization: Bearer <token>``. Tokens are Wagtail's
``APIToken``: only a digest is stored, the plain token is shown once when it
is created (``civichall api_token USERNAME`` or *Settings → API tokens* in the
admin), and a token revoked in the admin stops working at once.

* no token, an unknown, malformed or revoked token, or an inactive user -> 401;
* a valid token of someone who is not a staff member (no membership in any
  organisation and not a superuser, e.g. a citizen) -> 403.

A session cookie never authenticates these endpoints: ``request.user`` is
whoever the token says, or anonymous.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from wagtail.models import APIToken

from civichall.core.errors import Refusal

from .permissions import is_staff_member

# Touch ``last_used_at`` at most this often (seconds): one write per minute.
LAST_USED_INTERVAL = 60


NOT_STAFF = _("Only staff members may use this part of the API.")


def token_user(token):
    """The active user a plain token belongs to, with the ``APIToken``; or (None, None)."""
    if not token or not APIToken.validate_token_format(token):
        return None, None
    api_token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None, None
    return api_token.user, api_token


class StaffTokenAuth(HttpBearer):
    """Ninja auth: a staff member's personal token."""

    openapi_description = "A staff member's personal API token (`civichall api_token USERNAME`)."

    def authenticate(self, request, token):
        user, api_token = token_user(token)
        request.user = user or AnonymousUser()
        if user is None:
            return None  # Ninja answers 401
        if not is_staff_member(user):
            raise Refusal("forbidden", NOT_STAFF, status=403)
        now = timezone.now()
        if api_token.last_used_at is None or (
            now - api_token.last_used_at
        ).total_seconds() >= LAST_USED_INTERVAL:
            APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token


staff_token = StaffTokenAuth()


class CitizenTokenAuth(HttpBearer):
    """Ninja auth: a citizen's token (from ``POST /api/v1/citizen/token``).

    Returns the Citizen and sets ``request.citizen_session``. A token that
    has expired or was ended (signed out, or "sign out everywhere") -> 401
    with a message saying so; a valid token of someone who is not a citizen
    (e.g. staff) -> 403.
    """

    openapi_description = "A citizen's token from POST /api/v1/citizen/token."

    def authenticate(self, request, token):
        from .citizen_sessions import check_token
        from .citizens import citizen_of

        request.user = AnonymousUser()
        api_token = _known_token(token)
        if api_token is None or not api_token.user.is_active:
            return None
        citizen = citizen_of(api_token.user)
        if citizen is None:
            if api_token.revoked_at is not None:
                return None
            raise Refusal("forbidden", NOT_CITIZEN, status=403)
        request.citizen_session = check_token(api_token)  # or SignInRefused: 401 with its message
        request.user, request.api_token = api_token.user, api_token
        return citizen


def _known_token(token):
    """The ``APIToken`` for a plain token, revoked or not (so that a revoked
    citizen token can be told apart from a wrong one); or None."""
    if not token or not APIToken.validate_token_format(token):
        return None
    return (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token))
        .first()
    )


NOT_CITIZEN = _("This part of the API is for signed-in citizens.")
citizen_token = CitizenTokenAuth()


class OptionalCitizenAuth(CitizenTokenAuth):
    """Like ``citizen_token`` but lets anonymous callers through, for
    endpoints that answer everyone and tell citizens more: ``request.auth``
    is the Citizen, or an ``AnonymousCitizen`` (``is_authenticated`` False,
    ``user`` None) for no token or a token that is not valid."""

    def __call__(self, request):
        try:
            result = super().__call__(request)
        except Refusal as error:
            if error.status != 401:
                raise
            result = None  # an expired or ended token reads as nobody
        return result if result is not None else AnonymousCitizen()


class AnonymousCitizen:
    """Stands for "nobody signed in" where a citizen is optional. Truthy,
    because Ninja lets a request through only when its auth answers
    something truthy: test ``is_authenticated`` instead."""

    is_authenticated = False
    is_verified = False
    pk = None
    user = None


optional_citizen = OptionalCitizenAuth()
