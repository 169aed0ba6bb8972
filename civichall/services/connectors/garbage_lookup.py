"""Connector kind ``garbage_lookup``: the garbage sorting query, answered
from the built-in item list (no department call), so that it runs through
the same runner, cache and page as every other query service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import garbage
from .base import Connector, FetchContext, register

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["item"],
    "additionalProperties": False,
    "properties": {
        "item": {"type": "string", "minLength": 1, "maxLength": 30, "title": "物品名称", "x-title-en": "Item",
                 "x-example": "奶茶杯"},
    },
}

OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["query", "matches"],
    "properties": {
        "query": {"type": "string"},
        "certain": {"type": "boolean"},
        "matches": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "category", "tip"],
                "properties": {
                    "name": {"type": "string"},
                    "category": {"enum": list(garbage.CATEGORIES)},
                    "category_en": {"type": "string"},
                    "tip": {"type": "string"},
                },
            },
        },
        "hint": {"type": ["object", "null"]},
    },
}


@register("garbage_lookup")
class GarbageLookupConnector(Connector):
    """Which bin an item goes in (Shanghai's four categories)."""

    default_input_schema = INPUT_SCHEMA
    default_output_schema = OUTPUT_SCHEMA

    def __init__(self, *, input_schema: Mapping[str, Any] | None = None,
                 output_schema: Mapping[str, Any] | None = None, name: str = "") -> None:
        super().__init__(input_schema=input_schema, output_schema=output_schema, name=name)

    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> dict[str, Any]:
        result = garbage.lookup(str(params["item"]))
        return {**result.as_dict(), "certain": result.certain}

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "status": "ok", "items": len(garbage.default_index().items)}
