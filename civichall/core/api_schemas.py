"""Schemas every room's API shares.

``InputSchema`` is the base of every request body the API reads. Ninja's
``Schema`` reads fields from any object, so a body of ``[null]`` or ``"x"``
would pass for a schema whose fields are all optional, and unknown members
would be dropped without a word. ``InputSchema`` forbids members it does not
know; with that, Ninja validates the body as sent first, so that only a JSON
object gets through. The OpenAPI document then says
``additionalProperties: false``, and the server does what it says.

``ErrorOut`` is the one error shape, for operations that declare their
error responses.
"""

from ninja import Schema
from pydantic import ConfigDict, Field


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None
    alternative: str | None = Field(None, description="where to turn instead (unavailable, maintenance, retired)")


class ErrorOut(Schema):
    error: ErrorDetail
