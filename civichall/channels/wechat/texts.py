"""What the account says in WeChat, as plain text (pure: no Django).

A WeChat text message has no layout: a query's presentation
(``services.results.present``) becomes a few short lines, and lists of
services become one line each with their link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MAX_TEXT_BYTES = 2000  # WeChat cuts text messages at 2048 bytes
HANDOFF_WORDS = ("人工", "人工客服", "转人工")
HANDOFF_HINT = "回复“人工”，由工作人员为您解答。"


def clip(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes, on a character boundary."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "……"


def service_lines(services: Iterable[tuple[str, str]]) -> str:
    """``(name, url)`` pairs as one line each."""
    return "\n".join(f"· {name}：{url}" for name, url in services)


def presentation_text(shown: Mapping[str, Any], limit: int = 8) -> str:
    """A query answer's presentation as short lines."""
    layout = shown.get("layout")
    if shown.get("empty"):
        return "没有查到相关信息。"
    if layout == "bus":
        head = f"{shown.get('stop', '')} {shown.get('route', '')}".strip()
        lines = [f"🚌 {head}" if head else "🚌 实时公交"]
        for a in shown.get("arrivals", [])[:limit]:
            when = f"约 {a['minutes']} 分钟" if a.get("minutes") is not None else (a.get("expected") or "")
            lines.append(f"{a.get('route', '')} 往 {a.get('headsign', '')}：{when}".strip())
        return "\n".join(lines)
    if layout == "garbage":
        best = shown.get("best") or {}
        text = f"“{best.get('name', shown.get('query', ''))}”属于{best.get('category_label', '')}。"
        if best.get("tip"):
            text += best["tip"]
        return text
    if layout == "status_list":
        lines = []
        for row in shown.get("rows", [])[:limit]:
            bits = [row.get("title", ""), row.get("status", "")]
            if row.get("figure") not in (None, ""):
                bits.append(f"{row.get('figure_label', '')} {row['figure']}")
            lines.append("，".join(b for b in bits if b))
        return "\n".join(lines)
    if layout == "count":
        return f"“{shown.get('name', '')}”共 {shown.get('count')} 人。"
    lines = []
    for card in shown.get("cards", [])[:limit]:
        head = " ".join(b for b in (card.get("title", ""), card.get("status", "")) if b)
        if head:
            lines.append(head)
        for f in card.get("fields", [])[:6]:
            lines.append(f"  {f.get('label', '')}：{f.get('value', '')}")
    return "\n".join(lines) or "没有查到相关信息。"


def is_handoff_request(text: str) -> bool:
    return text.strip() in HANDOFF_WORDS


def pick_keyword_reply(text: str, rules: Iterable[tuple[str, str, str]]) -> str | None:
    """The reply of the first rule that fits ``text``: exact rules before
    contains rules, each in the order given (priority). ``rules``:
    ``(keyword, match, reply)``."""
    rules = list(rules)
    stripped = text.strip()
    for keyword, match, reply in rules:
        if match == "exact" and stripped == keyword:
            return reply
    folded = stripped.casefold()
    for keyword, match, reply in rules:
        if match == "contains" and keyword.casefold() in folded:
            return reply
    return None
