"""Citizen API: sign in by mobile and code, get a token, real-name verify."""

from django.utils import timezone
from ninja import Router
from pydantic import Field
from wagtail.models import APIToken

from civichall.core.api_schemas import InputSchema
from civichall.core.ratelimit import client_address

from . import citizen_sessions, citizens, personal_data
from .api_auth import citizen_token

router = Router(tags=["citizens"])


class MobileIn(InputSchema):
    mobile: str = Field(..., min_length=1, max_length=20, description="mainland mobile number, 11 digits")


class CodeIn(MobileIn):
    code: str = Field(..., min_length=1, max_length=10, description="the code sent by SMS")


class VerifyIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=30)
    id_number: str = Field(..., min_length=1, max_length=30)


def _citizen_json(citizen):
    return {
        "public_name": citizen.public_name,
        "mobile_masked": citizen.public_name if citizen.mobile and not citizen.display_name else None,
        "verified": citizen.is_verified,
        "verified_name": citizen.verified_name_masked or None,
    }


@router.post("/citizen/code", summary="Send a sign-in code to a mobile number")
def request_code(request, data: MobileIn):
    citizens.do_request_code(data.mobile, client_address(request))
    return {"sent": True}


@router.post("/citizen/token", summary="Exchange mobile + code for a citizen token")
def create_token(request, data: CodeIn):
    """The token is shown once and lives ``CIVICHALL_CITIZEN_TOKEN_DAYS``
    days (``expires_at``); after that, or once ended, it is answered 401."""
    citizen = citizens.do_sign_in_with_code(data.mobile, data.code)
    plain, record = citizen_sessions.do_issue_token(citizen, request.META.get("HTTP_USER_AGENT", ""))
    return {"token": plain, "expires_at": record.expires_at.isoformat(), "citizen": _citizen_json(citizen)}


def _session_json(record, current):
    return {
        "id": record.pk,
        "kind": record.kind,
        "device": record.user_agent,
        "signed_in_at": record.created_at.isoformat(),
        "last_used_at": record.last_used_at.isoformat() if record.last_used_at else None,
        "expires_at": record.expires_at.isoformat(),
        "current": current is not None and record.pk == current.pk,
    }


@router.get("/citizen/sessions", auth=citizen_token, summary="Where the citizen is signed in")
def list_sessions(request):
    current = citizen_sessions.current_session(request)
    return {"results": [_session_json(r, current) for r in citizen_sessions.active_sessions(request.auth)]}


@router.post("/citizen/sessions/{session_id}/end", auth=citizen_token,
             summary="End one sign-in (its token stops working, its browser is signed out)")
def end_session(request, session_id: int):
    record = citizen_sessions.access_citizen_session(request.user, session_id)
    citizen_sessions.do_end_session(request.auth, record)
    return {"ended": True}


@router.post("/citizen/sign-out", auth=citizen_token, summary="End the sign-in of this token")
def sign_out(request):
    current = citizen_sessions.current_session(request)
    if current is not None:
        citizen_sessions.do_end_session(request.auth, current)
    else:  # a token from before sign-ins were recorded
        APIToken.objects.filter(pk=request.api_token.pk).update(revoked_at=timezone.now())
    return {"ended": True}


@router.post("/citizen/sign-out-everywhere", auth=citizen_token,
             summary="End every sign-in of the citizen: all tokens and browser sessions")
def sign_out_everywhere(request):
    return {"ended": citizen_sessions.do_sign_out_everywhere(request.auth)}


@router.get("/citizen/data-access", auth=citizen_token, summary="Who among the staff read my personal data")
def data_access(request):
    """Each time a staff member read the citizen's personal data unmasked."""
    return {"results": [
        {"at": a.at.isoformat(), "what": a.what, "what_label": str(personal_data.label(a.what)),
         "organisation": a.organisation.slug if a.organisation_id else None, "purpose": a.purpose}
        for a in personal_data.accesses_for(request.auth)[:200]
    ]}


@router.get("/citizen/me", auth=citizen_token, summary="The signed-in citizen")
def me(request):
    return _citizen_json(request.auth)


@router.post("/citizen/verify", auth=citizen_token, summary="Real-name verification")
def verify(request, data: VerifyIn):
    citizen = citizens.do_verify_identity(request.auth, data.name, data.id_number,
                    client_address(request))
    return _citizen_json(citizen)
