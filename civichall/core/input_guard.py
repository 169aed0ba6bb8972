"""The request guard: input that cannot be processed is refused at the door.

Every request passes here before any view, API endpoint or form sees it.
Refused, with a message a person understands and never with a 500:

* a NUL character or an unpaired surrogate anywhere in the address, the
  query string, the form fields, the cookies or a JSON body (keys too) ->
  400, naming the field. PostgreSQL cannot store the first and no encoding
  the second, so without this the database would fail deep inside a view;
* a JSON body nested deeper than any form of ours -> 400;
* an id in the address too large for a database column -> 404;
* a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (files in a multipart upload
  do not count) or with too many fields -> 413, or a form that cannot be
  read -> 400.

Under ``/api/`` the answer is the API's JSON error shape; elsewhere the
site's error page. The rules themselves are in ``civichall.core.inputs``.
"""

import json

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import error_response
from .inputs import MAX_ID, bad_character, bad_character_in_json

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def is_api(request):
    return request.path_info.startswith("/api/")


def bad_character_message():
    return _("The request contains a character that cannot be processed (a NUL character or a "
             "broken emoji). Please remove it and try again.")


def refuse(request, status, code, message, field=None):
    """The refusal in the form the client reads: JSON under /api/, a page elsewhere."""
    if is_api(request):
        return error_response(code, message, status, request, fields={field: message} if field else None)
    return render(request, "400.html", {"message": message}, status=status)


def _first_bad_in_query(querydict):
    for key, values in querydict.lists():
        if bad_character(key) is not None:
            return key
        if any(isinstance(v, str) and bad_character(v) is not None for v in values):
            return key
    return None


def _json_field(value, path=()):
    """The dotted name of the first JSON member holding a bad character."""
    if isinstance(value, dict):
        for key, item in value.items():
            if bad_character(key) is not None:
                return ".".join(path + ("(key)",))
            found = _json_field(item, path + (key,))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _json_field(item, path + (str(index),))
            if found is not None:
                return found
    elif isinstance(value, str) and bad_character(value) is not None:
        return ".".join(path) or "body"
    return None


def check_request(request):
    """None when the request may go on; otherwise the refusal to send."""
    if bad_character(request.path_info) is not None:
        return refuse(request, 400, "bad_request", bad_character_message())
    field = _first_bad_in_query(request.GET)
    if field is not None:
        return refuse(request, 400, "bad_request", bad_character_message(), field)
    for key, value in request.COOKIES.items():
        if bad_character(key) is not None or bad_character(value) is not None:
            return refuse(request, 400, "bad_request", bad_character_message())
    if request.method not in BODY_METHODS:
        return None
    content_type = (request.content_type or "").lower()
    try:
        if content_type in FORM_TYPES:
            if is_api(request):
                # Keep the raw body readable for the API's own parser
                # (the form is then parsed from the copy).
                request.body  # noqa: B018
            field = _first_bad_in_query(request.POST)
            if field is not None:
                return refuse(request, 400, "bad_request", bad_character_message(), field)
        elif content_type == "application/json" or content_type.endswith("+json"):
            return _check_json(request)
        elif is_api(request) and _content_length_too_big(request):
            raise RequestDataTooBig
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return refuse(request, 413, "too_large", _(
            "The request is too large (at most %(size)s KB of data, files not counted). "
            "Please send less and try again."
        ) % {"size": (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) // 1024})
    except MultiPartParserError:
        return refuse(request, 400, "bad_request", _("The form could not be read. Please send it again."))
    return None


def _check_json(request):
    body = request.body  # may raise RequestDataTooBig
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        if b"\\u0000" in body or b"\x00" in body:
            return refuse(request, 400, "bad_request", bad_character_message())
        return None  # not JSON: the endpoint's own parser says so
    found = bad_character_in_json(data)
    if found == "{":
        return refuse(request, 400, "bad_request", _("The data sent is nested too deeply."))
    if found is not None:
        return refuse(request, 400, "bad_request", bad_character_message(), _json_field(data))
    return None


def _content_length_too_big(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


class InputGuardMiddleware:
    """Refuses requests whose input cannot be processed (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = check_request(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """An id in the address (``<int:pk>``) too large for any database
        column names nothing: 404, before a view asks the database."""
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and not -MAX_ID - 1 <= value <= MAX_ID:
                raise Http404
        return None
