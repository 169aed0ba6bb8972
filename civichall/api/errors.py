"""The API's one error shape: ``{"error": {"code": ..., "message": ...}}``.

Messages are in Chinese unless the client asked for English
(``Accept-Language: en`` or ``?lang=en``); never a stack trace.
"""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "bad_request": _("The request is not valid."),
    "invalid": _("Some of the data sent is not valid."),
    "unauthorized": _("Please sign in (send a valid token) first."),
    "forbidden": _("You do not have permission to do this."),
    "not_found": _("Nothing was found at this address."),
    "method_not_allowed": _("This method is not allowed here."),
    "rate_limited": _("Too many requests; please wait a moment and try again."),
    "too_large": _("The request is too large. Please send less and try again."),
    "server_error": _("Something went wrong on our side. Please try again later."),
}


def error_body(code, message=None, fields=None):
    body = {"code": code, "message": str(message or MESSAGES.get(code, MESSAGES["bad_request"]))}
    if fields:
        body["fields"] = {k: str(v) for k, v in fields.items()}
    return {"error": body}


def error_response(code, message=None, status=400, request=None, fields=None):
    """A JSON error response in the active language."""
    return JsonResponse(
        error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )
