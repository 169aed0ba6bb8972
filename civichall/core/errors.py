"""The one refusal: what every layer raises to say "no" to a person, and the
one way each kind of client is told.

An action, a permission check or an endpoint refuses by raising
``Refusal(code, message, status, fields)`` (or a subclass: the comment
area's ``InteractionError``, ``RateLimited``, accounts' ``SignInRefused``). Django's
own ``ValidationError`` and ``PermissionDenied`` are refusals too;
``as_refusal`` reads any of them as a ``Refusal``. Each shell maps that to
its answer once:

* the API: the error handlers installed by ``civichall.core.api_errors``
  answer ``{"error": {"code", "message", "fields"?}}`` with the status;
* public pages: ``refusal_message`` for the flash message or the form error;
* the Wagtail admin: ``report_refusal`` (a message on the next page, or the
  errors on the form being saved).

Messages are lazily translated: Chinese unless the client asked for English
(``Accept-Language: en`` or ``?lang=en``). This module imports nothing of
the product, so that every room may raise and map refusals.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
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

class Refusal(Exception):
    """A refusal a person should read.

    ``code`` is for programs (``invalid``, ``forbidden``, ``rate_limited``,
    ``not_allowed`` …), ``message`` for people (a lazy translation; the
    code's standard message when omitted), ``status`` the HTTP status that
    fits, ``fields`` a message per field the refusal is about. Subclasses
    set ``code`` and ``status`` as class defaults.
    """

    code = "bad_request"
    status = 400

    def __init__(self, code=None, message=None, status=None, fields=None):
        self.code = code or type(self).code
        self.status = status or type(self).status
        self.message = message if message is not None else MESSAGES.get(self.code, MESSAGES["bad_request"])
        self.fields = dict(fields) if fields else None
        super().__init__(str(self.message))


class RateLimited(Refusal):
    """Too many requests: 429, the message says how to go on."""

    code = "rate_limited"
    status = 429

    def __init__(self, message=None):
        super().__init__(message=message)


#: What means "refused" rather than "broken", for ``except`` clauses.
REFUSALS = (Refusal, ValidationError, PermissionDenied)


def _validation_fields(error):
    """A message per field of a ``ValidationError`` raised for named fields."""
    if not hasattr(error, "error_dict"):
        return None
    return {name: " ".join(str(m) for m in messages) for name, messages in error.message_dict.items()}


def as_refusal(error):
    """``error`` read as a ``Refusal``, or None when it is not a refusal:

    * a ``Refusal`` as is;
    * ``ValidationError`` -> ``invalid``, 422, its messages (and a message per field);
    * ``PermissionDenied`` -> ``forbidden``, 403;
    * ``Http404`` -> ``not_found``, 404.
    """
    if isinstance(error, Refusal):
        return error
    if isinstance(error, ValidationError):
        return Refusal("invalid", " ".join(str(m) for m in error.messages), 422,
                       fields=_validation_fields(error))
    if isinstance(error, PermissionDenied):
        return Refusal("forbidden", None, 403)
    if isinstance(error, Http404):
        return Refusal("not_found", None, 404)
    return None


def refusal_message(error):
    """The sentence a person reads for a refusal (in the active language)."""
    refusal = as_refusal(error)
    return str(refusal.message) if refusal is not None else str(error)


# --- the API's shape ----------------------------------------------------------------------


def error_body(code, message=None, fields=None):
    """``{"error": {"code", "message", "fields"?}}``; the code's standard message when none is given."""
    body = {"code": code, "message": str(message or MESSAGES.get(code, MESSAGES["bad_request"]))}
    if fields:
        body["fields"] = {k: str(v) for k, v in fields.items()}
    return {"error": body}


def error_response(code, message=None, status=400, request=None, fields=None):
    """A JSON error response in the active language."""
    return JsonResponse(
        error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )


def refusal_response(error, request=None):
    """The JSON answer for a refusal (``Refusal``, ``ValidationError``, ``PermissionDenied``, ``Http404``)."""
    refusal = as_refusal(error)
    return error_response(refusal.code, refusal.message, refusal.status, request, fields=refusal.fields)


# --- the Wagtail admin ------------------------------------------------------------------------


def report_refusal(request, error, form=None):
    """Tell a staff member in the admin why an action was refused.

    With a ``form``: a refusal naming the form's fields goes to those fields,
    anything else to the form's top; the view then shows the form again.
    Without: a message on the next page the admin shows."""
    if form is not None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():  # each message on its own line
            form.add_error(name if name in form.fields else None, messages)
        return
    refusal = as_refusal(error)
    if form is not None:
        for name, message in (refusal.fields or {}).items():
            form.add_error(name if name in form.fields else None, message)
        if not refusal.fields:
            form.add_error(None, str(refusal.message))
        return
    from django.contrib import messages

    messages.error(request, str(refusal.message))
