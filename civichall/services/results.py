"""Query answers as readable cards.

A query service answers JSON shaped by its department (a list of rows, one
record, a nested envelope). A citizen should read an answer, not JSON: this
module turns ``data`` into one *presentation*, a plain dict the service page
renders, in the language asked:

* ``garbage`` — which bin an item goes in, coloured per category
  (recyclable blue, hazardous red, wet brown, dry grey/black), with the
  item's tip and the category's disposal rules;
* ``bus`` — the next buses at a stop, in minutes, real-time or timetable;
* ``status_list`` — places or road sections with a status badge (road
  waterlogging, road conditions);
* ``count`` — one figure with its breakdown (same-name count);
* ``cards`` — anything else: one card per record, each field labelled with
  the output schema's ``title`` / ``x-title-en`` (or a known label), internal
  ids and personal identifiers left out;
* ``empty`` — nothing found.

Pure Python: no Django imports, so it can be tested on its own and reused by
any channel that shows an answer (the site, a WeChat reply).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from civichall.core.lang import is_english

# "Real-time" answers (road conditions, waterlogging) older than this are
# shown with their date and a warning; a service sets its own limit with
# ``"x-fresh-for-minutes"`` in its output schema.
FRESH_FOR_MINUTES = 60
# Departments write local times without a zone: Shanghai's.
DEPARTMENT_TIME_ZONE = ZoneInfo("Asia/Shanghai")

# Shanghai's four categories and the colour of their bins.
GARBAGE_COLOURS = {
    "可回收物": "recyclable",
    "有害垃圾": "hazardous",
    "湿垃圾": "wet",
    "干垃圾": "dry",
}
GARBAGE_MATCHES_SHOWN = 8

# How a status word reads at a glance: ok (green), warn (amber), bad (red),
# info (blue: in progress).
STATUS_LEVELS = {
    "正常": "ok", "畅通": "ok", "已出报告": "ok", "已处理": "ok", "已领取": "ok",
    "轻度积水": "warn", "中度积水": "warn", "缓行": "warn", "未处理": "warn",
    "严重积水": "bad", "已封闭": "bad", "封闭": "bad", "拥堵": "bad", "已挂失": "bad",
    "检验中": "info", "待审核": "info", "制卡中": "info", "待领取": "info",
}

# Labels for fields departments commonly answer with, used when the output
# schema gives no title: (Chinese, English).
FIELD_LABELS = {
    "place": ("地点", "Place"),
    "district": ("所在区", "District"),
    "status": ("状态", "Status"),
    "card_status": ("卡片状态", "Card status"),
    "depth_cm": ("积水深度", "Water depth"),
    "updated_at": ("更新时间", "Updated"),
    "road": ("道路", "Road"),
    "direction": ("方向", "Direction"),
    "section": ("路段", "Section"),
    "speed_kmh": ("平均车速", "Average speed"),
    "note": ("提示", "Note"),
    "school": ("学校", "School"),
    "stage": ("学段", "Stage"),
    "address": ("地址", "Address"),
    "scope": ("对口地段", "Catchment area"),
    "places": ("招生计划", "Places"),
    "hotline": ("咨询电话", "Enquiries"),
    "phone": ("电话", "Phone"),
    "hospital": ("医院", "Hospital"),
    "report_type": ("报告项目", "Report"),
    "date": ("日期", "Date"),
    "summary": ("说明", "Summary"),
    "issuing_bank": ("发卡银行", "Issuing bank"),
    "pickup_place": ("领卡地点", "Pick-up place"),
    "time": ("时间", "Time"),
    "behaviour": ("违法行为", "Offence"),
    "points": ("记分", "Points"),
    "fine": ("罚款", "Fine"),
    "plate": ("车牌号", "Plate"),
    "vehicle_type": ("车辆类型", "Vehicle type"),
    "name": ("名称", "Name"),
    "count": ("人数", "People"),
    "male": ("男性", "Male"),
    "female": ("女性", "Female"),
    "value": ("结果", "Result"),
}

# (Chinese unit, English unit) shown after a number.
UNITS = {
    "depth_cm": ("厘米", "cm"),
    "speed_kmh": ("公里/小时", "km/h"),
    "points": ("分", "points"),
    "fine": ("元", "yuan"),
    "places": ("人", "places"),
    "count": ("人", "people"),
    "male": ("人", ""),
    "female": ("人", ""),
}

# Never shown: internal identifiers and personal identifiers (the citizen
# knows who they are; a public screen should not repeat it).
HIDDEN_FIELDS = frozenset({
    "resident_id", "trip_id", "stop_id", "ids", "id_number", "mobile", "openid", "subject",
    "certain", "matched_by", "matched_term", "score",
})

# The field that names a record, in order of preference.
TITLE_FIELDS = ("school", "report_type", "behaviour", "place", "road", "hospital", "title", "name")
STATUS_FIELDS = ("status", "card_status")
PHONE_FIELDS = frozenset({"hotline", "phone", "telephone"})


def _en(lang: str | None) -> bool:
    return is_english(lang)


def _pick(pair: Any, lang: str | None) -> str:
    """Text of a ``{"zh", "en"}`` pair (or a plain string) in ``lang``."""
    if isinstance(pair, Mapping):
        if _en(lang) and pair.get("en"):
            return str(pair["en"])
        return str(pair.get("zh") or pair.get("en") or "")
    return "" if pair is None else str(pair)


def status_level(status: Any) -> str:
    """``ok`` / ``warn`` / ``bad`` / ``info`` for a status word."""
    text = str(status or "").strip()
    if text in STATUS_LEVELS:
        return STATUS_LEVELS[text]
    for word, level in (("封闭", "bad"), ("严重", "bad"), ("拥堵", "bad"), ("积水", "warn"),
                        ("缓", "warn"), ("中", "info"), ("待", "info"), ("正常", "ok"), ("畅通", "ok")):
        if word in text:
            return level
    return "info"


# ------------------------------------------------------------------ schemas


def _properties(schema: Any) -> dict[str, Any]:
    """Field schemas of the records in an output schema (array or object)."""
    if not isinstance(schema, Mapping):
        return {}
    if schema.get("type") == "array" or "items" in schema:
        return _properties(schema.get("items"))
    props = schema.get("properties")
    out: dict[str, Any] = {}
    if isinstance(props, Mapping):
        for name, prop in props.items():
            if isinstance(prop, Mapping):
                out[str(name)] = prop
                # Nested records (an envelope like {"card": {...}}) lend their titles too.
                for inner, inner_prop in _properties(prop).items():
                    out.setdefault(inner, inner_prop)
    return out


def field_label(name: str, props: Mapping[str, Any], lang: str | None) -> str:
    prop = props.get(name) or {}
    if _en(lang):
        if prop.get("x-title-en"):
            return str(prop["x-title-en"])
        if name in FIELD_LABELS:
            return FIELD_LABELS[name][1]
        return str(prop.get("title") or name.replace("_", " ").capitalize())
    if prop.get("title"):
        return str(prop["title"])
    if name in FIELD_LABELS:
        return FIELD_LABELS[name][0]
    return name.replace("_", " ")


def format_value(name: str, value: Any, lang: str | None) -> str:
    """A value as a citizen reads it: units after numbers, yes/no, lists joined."""
    if isinstance(value, bool):
        return ("Yes" if value else "No") if _en(lang) else ("是" if value else "否")
    if isinstance(value, (int, float)):
        unit = UNITS.get(name, ("", ""))[1 if _en(lang) else 0]
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number} {unit}".strip() if _en(lang) else f"{number}{unit}"
    if isinstance(value, (list, tuple)):
        return ("; " if _en(lang) else "、").join(format_value(name, v, lang) for v in value if v not in (None, ""))
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {format_value(str(k), v, lang)}" for k, v in value.items()
                         if str(k) not in HIDDEN_FIELDS and v not in (None, ""))
    return "" if value is None else str(value)


# ------------------------------------------------------------------ layouts


def _garbage(data: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    matches = []
    for i, match in enumerate(data.get("matches") or []):
        if not isinstance(match, Mapping) or i >= GARBAGE_MATCHES_SHOWN:
            continue
        category = str(match.get("category") or "")
        matches.append({
            "name": str(match.get("name") or ""),
            "category": category,
            "category_label": (match.get("category_en") or category) if _en(lang) else category,
            "colour": GARBAGE_COLOURS.get(category, "dry"),
            "tip": str(match.get("tip") or ""),
            "category_tip": _pick(match.get("category_tip"), lang),
        })
    certain = bool(data.get("certain")) if "certain" in data else bool(matches)
    return {
        "layout": "garbage",
        "query": str(data.get("query") or ""),
        "certain": certain and bool(matches),
        "best": matches[0] if matches else None,
        "others": matches[1:],
        "hint": _pick(data.get("hint"), lang) if data.get("hint") else "",
        "empty": not matches,
    }


def _bus(data: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    stop = data.get("stop") if isinstance(data.get("stop"), Mapping) else {}
    arrivals = []
    for a in data.get("arrivals") or []:
        if not isinstance(a, Mapping):
            continue
        try:
            minutes = max(0, int(a.get("minutes") or 0))
        except (TypeError, ValueError):
            minutes = 0
        delay = a.get("delay_s")
        late = int(delay) // 60 if isinstance(delay, (int, float)) and delay >= 60 else 0
        early = -int(delay) // 60 if isinstance(delay, (int, float)) and delay <= -60 else 0
        arrivals.append({
            "route": str(a.get("route") or ""),
            "headsign": str(a.get("headsign") or ""),
            "minutes": minutes,
            "expected": str(a.get("expected") or ""),
            "scheduled": str(a.get("scheduled") or ""),
            "late_min": late,
            "early_min": early,
            "realtime": bool(a.get("realtime")),
        })
    candidates = [str(c) for c in (data.get("candidates") or []) if c and str(c) != stop.get("name")]
    return {
        "layout": "bus",
        "stop": str(stop.get("name") or ""),
        "route": str(data.get("route") or ""),
        "realtime": bool(data.get("realtime")),
        "arrivals": arrivals,
        "candidates": candidates[:8],
        "empty": not arrivals,
    }


def _status_row(row: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    if "place" in row:
        title = str(row.get("place") or "")
        subtitle = str(row.get("district") or "")
        figure_key = "depth_cm"
    else:
        title = str(row.get("road") or "")
        subtitle = " · ".join(str(row[k]) for k in ("direction", "section") if row.get(k))
        figure_key = "speed_kmh"
    figure = ""
    if isinstance(row.get(figure_key), (int, float)) and not (figure_key == "depth_cm" and row[figure_key] == 0):
        figure = format_value(figure_key, row[figure_key], lang)
    return {
        "title": title,
        "subtitle": subtitle,
        "status": str(row.get("status") or ""),
        "level": status_level(row.get("status")),
        "figure_label": FIELD_LABELS[figure_key][1 if _en(lang) else 0],
        "figure": figure,
        "updated_at": str(row.get("updated_at") or ""),
        "note": str(row.get("note") or ""),
    }


def _is_status_row(row: Mapping[str, Any]) -> bool:
    """A place with its water depth, or a road section with its traffic."""
    if "status" not in row:
        return False
    if "place" in row and ("depth_cm" in row or "district" in row) and "behaviour" not in row:
        return True
    return "road" in row and any(k in row for k in ("speed_kmh", "section", "direction"))


def _status_list(rows: list[Mapping[str, Any]], lang: str | None) -> dict[str, Any]:
    shown = [_status_row(r, lang) for r in rows]
    counts: dict[str, int] = {}
    for r in shown:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    return {
        "layout": "status_list",
        "kind": "waterlogging" if rows and "place" in rows[0] else "road",
        "rows": shown,
        "total": len(shown),
        "alerts": counts.get("warn", 0) + counts.get("bad", 0),
        "empty": not shown,
    }


def _parse_time(text: Any) -> datetime.datetime | None:
    """``2025-07-15 08:00`` (department local time) or ISO 8601 with a zone; None if unreadable."""
    try:
        moment = datetime.datetime.fromisoformat(str(text).strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=DEPARTMENT_TIME_ZONE)


def stale_since(rows: list[Mapping[str, Any]], fresh_for_minutes: Any, now: datetime.datetime | None = None) -> str:
    """The date of the newest row ("2025-07-15 08:07") when even that is older
    than ``fresh_for_minutes``, else "" (fresh, or no readable date)."""
    try:
        limit = datetime.timedelta(minutes=float(fresh_for_minutes))
    except (TypeError, ValueError):
        limit = datetime.timedelta(minutes=FRESH_FOR_MINUTES)
    times = [t for t in (_parse_time(r.get("updated_at")) for r in rows if r.get("updated_at")) if t]
    if not times:
        return ""
    newest = max(times)
    now = now or datetime.datetime.now(DEPARTMENT_TIME_ZONE)
    if now - newest <= limit:
        return ""
    return newest.astimezone(DEPARTMENT_TIME_ZONE).strftime("%Y-%m-%d %H:%M")


def _records(data: Any) -> list[Mapping[str, Any]]:
    """The records in an answer: a list's items, an envelope's inner rows, or the one record."""
    if data is None:
        return []
    if isinstance(data, list):
        return [r if isinstance(r, Mapping) else {"value": r} for r in data if r is not None]
    if isinstance(data, Mapping):
        shown = {k: v for k, v in data.items() if str(k) not in HIDDEN_FIELDS and not str(k).startswith("_")}
        if len(shown) == 1:
            (only,) = shown.values()
            if isinstance(only, (list, Mapping)) or only is None:
                return _records(only)
        return [data] if shown else []
    return [{"value": data}]


def _card(record: Mapping[str, Any], props: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        key = str(key)
        if key in HIDDEN_FIELDS or key.startswith("_"):
            continue
        if isinstance(value, Mapping):  # one level of nesting is flattened
            for inner, inner_value in value.items():
                if str(inner) not in HIDDEN_FIELDS and not str(inner).startswith("_"):
                    flat.setdefault(str(inner), inner_value)
        else:
            flat.setdefault(key, value)
    title_key = next((k for k in TITLE_FIELDS if flat.get(k) not in (None, "")), None)
    status_key = next((k for k in STATUS_FIELDS if flat.get(k) not in (None, "")), None)
    fields = []
    for key, value in flat.items():
        if key in (title_key, status_key) or value in (None, "", [], {}):
            continue
        text = format_value(key, value, lang)
        if not text:
            continue
        fields.append({
            "key": key,
            "label": field_label(key, props, lang),
            "value": text,
            "tel": "".join(ch for ch in text if ch.isdigit() or ch == "-") if key in PHONE_FIELDS else "",
        })
    return {
        "title": format_value(title_key, flat[title_key], lang) if title_key else "",
        "status": str(flat[status_key]) if status_key else "",
        "status_label": field_label(status_key, props, lang) if status_key else "",
        "level": status_level(flat[status_key]) if status_key else "",
        "fields": fields,
    }


def present(data: Any, *, output_schema: Mapping[str, Any] | None = None, lang: str | None = "zh",
            now: datetime.datetime | None = None) -> dict[str, Any]:
    """The presentation of a query's ``data`` (see the module docstring);
    ``now`` (aware) decides whether real-time data is out of date."""
    if isinstance(data, Mapping):
        if isinstance(data.get("matches"), list) and "query" in data:
            return _garbage(data, lang)
        if isinstance(data.get("arrivals"), list):
            return _bus(data, lang)
        if "count" in data and "name" in data and isinstance(data.get("count"), (int, float)):
            return {
                "layout": "count",
                "name": str(data.get("name") or ""),
                "count": data.get("count"),
                "male": data.get("male") if isinstance(data.get("male"), (int, float)) else None,
                "female": data.get("female") if isinstance(data.get("female"), (int, float)) else None,
                "empty": False,
            }
    records = _records(data)
    if records and all(_is_status_row(r) for r in records):
        shown = _status_list(records, lang)
        limit = (output_schema or {}).get("x-fresh-for-minutes", FRESH_FOR_MINUTES)
        shown["stale_since"] = stale_since(records, limit, now)
        return shown
    props = _properties(output_schema or {})
    cards = [c for c in (_card(r, props, lang) for r in records) if c["title"] or c["fields"] or c["status"]]
    return {"layout": "cards" if cards else "empty", "cards": cards, "total": len(cards), "empty": not cards}
