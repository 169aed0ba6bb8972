"""The form engine: a definition document (the agreed format, see
``docs/applications.md``) read as steps, sections and fields; conditions
("show B when A = x"); and validation with a Chinese message per field.

Pure: no Django. ``check_document`` says what is wrong with a document;
the other functions assume a document that passed it.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from civichall.core.lang import Message
from civichall.services.connectors.base import prepare_params, validate_input

__all__ = [
    "LICENCES", "MIME_TYPES", "SOURCE_FIELDS", "check_document", "clean", "coerce", "field_label",
    "field_options", "fields_of_step", "property_of", "steps", "visible_fields", "validate",
]

MIME_TYPES = ("application/pdf", "image/jpeg", "image/png")

#: Prefill sources and the fields each serves.
SOURCE_FIELDS = {
    "identity": ("name", "id_number", "phone"),
    "residence": ("address", "district", "household_type", "hukou_address", "move_in_date"),
    "social_security": ("employer", "employer_credit_code", "contribution_months", "insured_since",
                        "insurance_status"),
    "medical_insurance": ("insured_type", "medical_account_number"),
    "licences": ("id_card", "household_register", "marriage_certificate", "disability_certificate",
                 "disability_category", "disability_level", "birth_certificate", "business_licence"),
}
LICENCES = ("id_card", "household_register", "marriage_certificate", "disability_certificate",
            "birth_certificate", "business_licence")


# --- checking a document ------------------------------------------------------------------------


def check_document(doc: Any) -> list[str]:
    """The problems of a definition document, in Chinese; empty when it is usable."""
    if not isinstance(doc, dict):
        return ["定义必须是一个 JSON 对象。"]
    problems = []
    for key in ("code", "title", "organisation", "schema", "layout"):
        if not doc.get(key):
            problems.append(f"缺少 {key}。")
    if problems:
        return problems
    schema = doc["schema"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [f"schema 不是有效的 JSON Schema（2020-12）：{exc.message}"]
    props = schema.get("properties") or {}
    if schema.get("type") != "object" or not props:
        return ["schema 必须是带 properties 的 object。"]
    for name, prop in props.items():
        if not prop.get("title"):
            problems.append(f"字段 {name} 缺少中文 title。")
        if "enum" in prop and len(prop.get("x-enum-titles") or []) != len(prop["enum"]):
            problems.append(f"字段 {name} 的 x-enum-titles 与 enum 数量不一致。")
    placed: dict[str, int] = {}
    layout_steps = (doc.get("layout") or {}).get("steps") or []
    if not layout_steps:
        problems.append("layout 至少需要一个步骤。")
    for step in layout_steps:
        for section in step.get("sections") or []:
            for name in section.get("fields") or []:
                placed[name] = placed.get(name, 0) + 1
                if name not in props:
                    problems.append(f"布局中的字段 {name} 不在 schema 中。")
    for name in props:
        if placed.get(name, 0) != 1:
            problems.append(f"字段 {name} 必须在布局中恰好出现一次。")
    for cond in doc.get("conditions") or []:
        when = cond.get("show_when") or {}
        if cond.get("field") not in props or when.get("field") not in props:
            problems.append(f"条件 {cond.get('field')} 引用了不存在的字段。")
        if "equals" not in when and not isinstance(when.get("in"), list):
            problems.append(f"条件 {cond.get('field')} 的 show_when 需要 equals 或 in。")
    for material in doc.get("materials") or []:
        code = material.get("code")
        if not code or not material.get("name"):
            problems.append("每项材料都需要 code 和 name。")
        if not material.get("types") or any(t not in MIME_TYPES for t in material.get("types") or []):
            problems.append(f"材料 {code} 的类型只能是 {', '.join(MIME_TYPES)}。")
        size = material.get("max_size_mb")
        if not isinstance(size, (int, float)) or not 1 <= size <= 20:
            problems.append(f"材料 {code} 的大小上限须在 1–20 MB 之间。")
        if material.get("licence") not in (None, *LICENCES):
            problems.append(f"材料 {code} 的电子证照 {material.get('licence')} 未知。")
    for entry in doc.get("prefill") or []:
        source = entry.get("source")
        if source not in SOURCE_FIELDS:
            problems.append(f"预填来源 {source} 未知。")
            continue
        for prop_name, source_field in (entry.get("fields") or {}).items():
            if prop_name not in props:
                problems.append(f"预填字段 {prop_name} 不在 schema 中。")
            if source_field not in SOURCE_FIELDS[source]:
                problems.append(f"来源 {source} 没有字段 {source_field}。")
    limit = doc.get("time_limit_days")
    if not isinstance(limit, int) or not 1 <= limit <= 60:
        problems.append("time_limit_days 须为 1–60 的工作日数。")
    for part in doc.get("parts") or []:
        if not part.get("organisation") or not part.get("title"):
            problems.append("每个分项都需要 organisation 和 title。")
        for name in part.get("fields") or []:
            if name not in props:
                problems.append(f"分项字段 {name} 不在 schema 中。")
    return problems


# --- reading a document -------------------------------------------------------------------------


def steps(doc: dict) -> list[dict]:
    """The layout's steps."""
    return doc["layout"]["steps"]


def fields_of_step(doc: dict, index: int) -> list[str]:
    """The property names on step ``index``, in order."""
    return [name for section in steps(doc)[index].get("sections", []) for name in section.get("fields", [])]


def property_of(doc: dict, name: str) -> dict:
    return doc["schema"]["properties"][name]


def field_label(doc: dict, name: str, lang: str = "zh") -> str:
    prop = property_of(doc, name)
    return Message(prop.get("title") or name, prop.get("x-title-en") or "").get(lang)


def field_options(doc: dict, name: str) -> list[tuple[Any, str]]:
    """(value, Chinese title) of an enum field; [] for others."""
    prop = property_of(doc, name)
    values = prop.get("enum") or []
    titles = prop.get("x-enum-titles") or [str(v) for v in values]
    return list(zip(values, titles))


def _condition_holds(cond: dict, data: dict) -> bool:
    when = cond["show_when"]
    value = data.get(when["field"])
    if "equals" in when:
        return value == when["equals"]
    return value in when.get("in", [])


def visible_fields(doc: dict, data: dict) -> set[str]:
    """The fields shown for ``data``: a field with conditions is shown when
    one of them holds (and the field it depends on is itself shown)."""
    props = list(doc["schema"]["properties"])
    conds: dict[str, list] = {}
    for cond in doc.get("conditions") or []:
        conds.setdefault(cond["field"], []).append(cond)
    def holds(cond, shown):
        source = cond["show_when"]["field"]
        return (source not in conds or source in shown) and _condition_holds(cond, data)

    shown: set[str] = set()
    # Conditions can chain (C depends on B depends on A): settle in a few passes.
    for _ in range(len(conds) + 1):
        now = {n for n in props if n not in conds or any(holds(c, shown) for c in conds[n])}
        if now == shown:
            break
        shown = now
    return shown


def coerce(doc: dict, raw: dict) -> dict:
    """Form input (strings) to typed values where the schema asks for a
    number or a boolean; empty strings dropped; unknown names ignored."""
    props = doc["schema"]["properties"]
    return prepare_params(doc["schema"], {k: v for k, v in raw.items() if k in props})


def clean(doc: dict, data: dict) -> dict:
    """``data`` without the fields that are hidden or unknown."""
    shown = visible_fields(doc, data)
    return {k: v for k, v in data.items() if k in shown}


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return len(str(value)) == 10


def validate(doc: dict, data: dict, only: list[str] | None = None) -> dict[str, Message]:
    """One message per field that is wrong in ``data`` (``only``: check
    just these fields, e.g. one step's). Hidden fields are not checked; a
    condition's ``required_when_shown`` makes its field required when shown."""
    shown = visible_fields(doc, data)
    schema = copy.deepcopy(doc["schema"])
    required = [r for r in schema.get("required", []) if r in shown]
    for cond in doc.get("conditions") or []:
        if cond.get("required_when_shown") and cond["field"] in shown and cond["field"] not in required:
            required.append(cond["field"])
    schema["required"] = required
    data = {k: v for k, v in data.items() if k in shown}
    errors = validate_input(schema, data)
    props = schema["properties"]
    for name, value in data.items():
        prop = props.get(name, {})
        label = Message(prop.get("title") or name, prop.get("x-title-en") or name)
        if "enum" in prop and value not in prop["enum"]:
            errors[name] = Message(f"请从选项中选择{label.zh}。", f"Choose one of the options for {label.en}.")
        elif prop.get("format") == "date" and isinstance(value, str) and not _is_date(value):
            errors[name] = Message(f"{label.zh}应为日期，例如 2026-05-01。", f"{label.en} must be a date like 2026-05-01.")
    if only is not None:
        errors = {k: v for k, v in errors.items() if k in only}
    return errors
