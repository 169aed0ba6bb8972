"""Staff API of the safety room: ``POST /api/v1/safety/check``.

Thin: parse, validate (``services.validate_check_input``), call
``services.check_content``, return the engine's JSON. Staff only (a personal
bearer token, see ``civichall.accounts.api_auth``).
"""

from typing import Annotated, Any, Literal

from ninja import Router, Schema
from pydantic import Field, WithJsonSchema

from civichall.accounts.api_auth import staff_token
from civichall.core.api_schemas import InputSchema

from . import services

router = Router(tags=["safety"], auth=staff_token)

# Documented as an enum, validated by ``services`` (so that a wrong kind gets
# a message a person understands, in their language).
Kind = Annotated[str, WithJsonSchema({"type": "string", "enum": list(services.KINDS)})]


class HitOut(Schema):
    term: str = Field(..., description="the lexicon term (or the kind of personal data)")
    category: str
    severity: str = Field(..., description="block, review, or mask (personal data in a comment)")
    start: int = Field(..., description="offset of the hit in the text as sent")
    end: int
    matched: str = Field(..., description="the hit as written in the text")


class CheckOut(Schema):
    decision: Literal["pass", "review", "block"]
    hits: list[HitOut]
    scores: dict[str, int | float]
    reasons: list[dict[str, Any]] = Field(
        ..., description="why: each with code, message (Chinese) and message_en"
    )
    masked: str | None = Field(
        None, description="comments only: the text with personal data masked for display"
    )


class CheckIn(InputSchema):
    text: str = Field(..., min_length=1, description=f"the text to check (at most {services.MAX_TEXT_LENGTH:,} "
                      "characters)", examples=["震惊！地铁竟然这样"])
    kind: Kind = Field(..., description="what the text is: " + ", ".join(services.KINDS),
                       examples=["title"])
    body: str | None = Field(None, description="for a title: the article body, to spot a title "
                             "the body does not bear out")


@router.post("/safety/check", response=CheckOut, exclude_none=True,
             summary="Check a text with the content-safety engine")
def check(request, data: CheckIn):
    """The automatic first pass over a title, body, comment or official reply:
    the decision (pass / review / block), the hits with their offsets in the
    text, the scores and the reasons. Staff only.

    Request: ``{"text": ..., "kind": ...}`` (and ``body`` for a title)."""
    text, kind, body = data.text, data.kind, data.body
    services.validate_check_input(text, kind, body)  # or ValidationError: 422 with a message per field
    return services.check_content(text, kind, body=body)
