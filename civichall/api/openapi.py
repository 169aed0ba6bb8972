"""The OpenAPI document tells the whole truth about every operation.

Ninja documents what an endpoint returns when all goes well. A client (and
a fuzzer) also needs every refusal it can meet, so ``complete`` adds to
each operation the statuses that follow from how it is built, all with the
one error shape (``#/components/schemas/Error``):

* 400 everywhere: the request guard refuses input that cannot be processed
  (a NUL character, a broken emoji) and endpoints refuse unknown references;
* 413 where a body is accepted (POST, PUT, PATCH, DELETE): over the limit;
* 422 where there are parameters or a body to validate;
* 404 where the path names something (an id, a code, a slug);
* 401 and 403 where a token is asked for (403: a token of the wrong kind);
* and the statuses particular to some operations (``PARTICULAR``): 409 for
  an action the current state does not allow, 429 for rate limits, 410 for
  a retired service, 503 for a department system that does not answer.

Optional authentication (a citizen token that only adds to the answer) is
declared as optional: the operation's security lists the citizen token and
the empty requirement.
"""

import re

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "for programs: not_found, invalid, …"},
                "message": {"type": "string", "description": "for people, in the asked language"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "a message per field"},
                "alternative": {"type": "string", "description": "where to turn instead"},
            },
        },
    },
}

DESCRIPTIONS = {
    "400": "Input that cannot be processed (a NUL character, a broken emoji) or an unknown reference",
    "401": "No valid token",
    "403": "The token's holder may not do this",
    "404": "Nothing with this id, code or slug",
    "409": "Not possible in the current state",
    "410": "Retired",
    "413": "The body is too large",
    "422": "Data that is not valid (a message per field)",
    "429": "Too many requests; try again later",
    "503": "The department's system does not answer or the service is under maintenance",
}

BODY_METHODS = {"post", "put", "patch", "delete"}

# Statuses some operations add: (methods, path pattern, statuses).
PARTICULAR = [
    ({"post"}, r"/citizen/(code|token|verify)$", {"429"}),
    ({"post"}, r"/articles/\{article_id\}/comments$", {"409", "429"}),
    ({"post", "patch", "delete"}, r"/(comments|replies|questions)/\{\w+\}", {"409"}),
    ({"get"}, r"/services/\{code\}$", {"410"}),
    ({"post"}, r"/services/\{code\}/query$", {"401", "410", "503"}),
    ({"get", "put", "post"}, r"/applications/\{code\}/(draft|prefill|materials|submit)$", {"409"}),
    ({"post"}, r"/(staff/)?cases/\{number\}/", {"409"}),
]

OPTIONAL_SCHEME = "OptionalCitizenAuth"
CITIZEN_SCHEME = "CitizenTokenAuth"


def statuses_for(method, path, operation):
    """The error statuses ``operation`` (at ``method path``) can answer."""
    statuses = {"400"}
    parameters = operation.get("parameters") or []
    if method in BODY_METHODS:
        statuses.add("413")
    if parameters or operation.get("requestBody"):
        statuses.add("422")
    if any(p.get("in") == "path" for p in parameters) or "{" in path:
        statuses.add("404")
    if operation.get("security"):
        statuses.update({"401", "403"})
    for methods, pattern, extra in PARTICULAR:
        if method in methods and re.search(pattern, path):
            statuses.update(extra)
    return statuses


def _optional_security(schema):
    """Operations with optional citizen authentication: [citizen token] or nothing."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    optional = schemes.pop(OPTIONAL_SCHEME, None)
    if optional is None:
        return
    schemes.setdefault(CITIZEN_SCHEME, optional)
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if security and any(OPTIONAL_SCHEME in s for s in security):
                operation["security"] = [{CITIZEN_SCHEME: []}, {}]


def complete(schema):
    """``schema`` (Ninja's OpenAPI document) with every error status declared."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    _optional_security(schema)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # Ninja keys declared statuses by int; ours are strings: one key per status.
            responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
            for status in sorted(statuses_for(method, path, operation)):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if str(status)[0] in "45":
                    response.setdefault("description", DESCRIPTIONS.get(str(status), "Error"))
                    response.setdefault("content", error_content)
    return schema
