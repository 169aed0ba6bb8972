"""GeoReport v2 answers in JSON or XML, and its error shape:
``[{"code": 400, "description": "…"}]`` or
``<errors><error><code>400</code><description>…</description></error></errors>``."""

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from civichall.core.errors import Refusal

#: list name -> the element name of each item, as the specification writes them.
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
              "values": "value", "endpoints": "endpoint", "formats": "format"}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(name, value):
    node = ET.Element(name)
    if isinstance(value, dict):
        for key, item in value.items():
            node.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            node.append(_element(ITEM_NAMES.get(name, "item"), item))
    else:
        node.text = _text(value)
    return node


def to_xml(root, value):
    """``value`` (a list of items or one object) as the spec's XML under ``root``."""
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(_element(root, value), encoding="utf-8",
                                                                   xml_declaration=False)


def answer(fmt, root, value, status=200):
    """The response for ``fmt`` (``json`` or ``xml``)."""
    if fmt == "xml":
        response = HttpResponse(to_xml(root, value), status=status, content_type="text/xml; charset=utf-8")
    else:
        response = HttpResponse(json.dumps(value, ensure_ascii=False), status=status,
                                content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def errors(fmt, refusal: Refusal):
    """A refusal in the spec's error shape; a form's 422 is the spec's 400."""
    status = 400 if refusal.status == 422 else refusal.status
    items = [{"code": status, "description": str(refusal.message)}]
    for field, message in (refusal.fields or {}).items():
        items.append({"code": status, "description": f"{field}: {message}"})
    return answer(fmt, "errors", items, status)
