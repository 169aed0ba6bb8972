"""Problem reports (随手拍): a definition of kind ``report`` and where its
cases go. Pure: no Django.

A report definition is an ordinary definition document with
``"kind": "report"`` and these properties: ``location_mode`` (``pin`` or
``address``), ``lat`` and ``long`` (shown for a pin), ``address`` (shown for
an address), ``district`` (one of Shanghai's districts, optional),
``category`` (the kind of problem) and ``description``; a ``photo``
material. Its ``routing`` says who handles it::

    "routing": {"districts": {"黄浦区": "huangpu", ...}}

A report naming a district listed there goes to that organisation; any
other to the definition's own ``organisation`` (the city-wide bureau).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DISTRICTS", "REPORT", "district_in", "handling_slugs", "is_report", "location_of", "routed_slug"]

REPORT = "report"

#: Shanghai's sixteen districts, as residents write them.
DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")


def is_report(doc: dict) -> bool:
    """Whether ``doc`` defines a problem report."""
    return isinstance(doc, dict) and doc.get("kind") == REPORT


def district_in(text: str) -> str:
    """The district named in an address, or ''. ``浦东`` is 浦东新区."""
    text = text or ""
    for name in DISTRICTS:
        if name in text or name.rstrip("区新") in text and name == "浦东新区":
            return name
    return ""


def routed_slug(doc: dict, data: dict) -> str:
    """The slug of the organisation that handles a case of ``doc`` with
    ``data``: the district's, when the routing names it, else the owner."""
    districts = (doc.get("routing") or {}).get("districts") or {}
    district = data.get("district") or district_in(data.get("address", ""))
    return districts.get(district) or doc["organisation"]


def handling_slugs(doc: dict) -> set[str]:
    """The slugs of every organisation a case of ``doc`` can reach: the
    owner, the organisations of a bundle's parts, the districts a report is
    routed to (what the officers' application filter is built from)."""
    slugs = {doc["organisation"]}
    slugs.update(part["organisation"] for part in doc.get("parts") or [] if part.get("organisation"))
    slugs.update(((doc.get("routing") or {}).get("districts") or {}).values())
    return slugs


def location_of(data: dict) -> dict[str, Any]:
    """The public location of a report: lat/long when pinned, the address when given."""
    return {"lat": data.get("lat"), "long": data.get("long"), "address": data.get("address", ""),
            "district": data.get("district", "")}
