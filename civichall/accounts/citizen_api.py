"""Citizen API: sign in by mobile and code, get a token, real-name verify."""

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from pydantic import Field
from wagtail.models import APIToken

from civichall.api.auth import citizen_token
from civichall.api.main import ApiError
from civichall.core.ratelimit import client_address

from . import citizens

router = Router(tags=["citizens"])


class MobileIn(Schema):
    mobile: str = Field(..., max_length=20, description="mainland mobile number, 11 digits")


class CodeIn(MobileIn):
    code: str = Field(..., max_length=10, description="the code sent by SMS")


class VerifyIn(Schema):
    name: str = Field(..., max_length=30)
    id_number: str = Field(..., max_length=30)


def _citizen_json(citizen):
    return {
        "public_name": citizen.public_name,
        "mobile_masked": citizen.public_name if citizen.mobile and not citizen.display_name else None,
        "verified": citizen.is_verified,
        "verified_name": citizen.verified_name_masked or None,
    }


def _call(func, *args):
    try:
        return func(*args)
    except ValidationError as error:
        raise ApiError("invalid", " ".join(error.messages), 422) from error
    except citizens.RateLimited as error:
        raise ApiError("rate_limited", str(error), 429) from error


@router.post("/citizen/code", summary="Send a sign-in code to a mobile number")
def request_code(request, data: MobileIn):
    _call(citizens.do_request_code, data.mobile, client_address(request))
    return {"sent": True}


@router.post("/citizen/token", summary="Exchange mobile + code for a citizen token")
def create_token(request, data: CodeIn):
    citizen = _call(citizens.do_sign_in_with_code, data.mobile, data.code)
    plain = _new_token(citizen.user)
    return {"token": plain, "citizen": _citizen_json(citizen)}


def _new_token(user):
    _instance, plaintext = APIToken.create_token(user=user, name="citizen sign-in")
    return plaintext


@router.get("/citizen/me", auth=citizen_token, summary="The signed-in citizen")
def me(request):
    return _citizen_json(request.auth)


@router.post("/citizen/verify", auth=citizen_token, summary="Real-name verification")
def verify(request, data: VerifyIn):
    citizen = _call(citizens.do_verify_identity, request.auth, data.name, data.id_number,
                    client_address(request))
    return _citizen_json(citizen)
