"""Lexicon CSV files: parse and validate for import, export for editing.

Format: UTF-8 (a BOM is fine), a header row, columns ``term,category,severity``
and optionally ``pinyin`` and ``note``, in any order.

* ``severity`` is ``block``, ``review`` or ``allow`` (Chinese 拦截 / 人工审核 /
  放行 are accepted); ``allow`` rows are allow-list phrases.
* ``category`` is an English code or its Chinese label (``gambling_drugs`` or
  ``赌毒``); allow rows may leave it empty.
* ``pinyin`` is empty, 0/1, true/false, yes/no or 是/否.

Import is all-or-nothing: ``parse_lexicon_csv`` returns the entries only when
the whole file is valid; otherwise it returns no entries and every problem
with its line number, so a person can fix the file and try again.
"""

from __future__ import annotations

import csv
import io
from typing import IO, Iterable

from civichall.core.lang import Message

from .matcher import CATEGORIES, Entry, category_code
from .normalize import normalize_term

__all__ = ["COLUMNS", "parse_lexicon_csv", "export_lexicon_csv"]

COLUMNS = ("term", "category", "severity", "pinyin", "note")
_REQUIRED = ("term", "category", "severity")
_SEVERITY = {
    "block": "block", "拦截": "block",
    "review": "review", "人工审核": "review", "审核": "review",
    "allow": "allow", "放行": "allow", "白名单": "allow",
}
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"", "0", "false", "no", "n", "否"}
MAX_TERM_LENGTH = 50

Error = tuple[int, Message]  # line number, what is wrong in both languages


def _error(line: int, zh: str, en: str) -> Error:
    return line, Message(zh, en)


def _lines(fileobj: IO) -> Iterable[str]:
    """Text lines from a text or binary file object."""
    data = fileobj.read()
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    return io.StringIO(data.lstrip("\ufeff"), newline="")


def parse_lexicon_csv(fileobj: IO) -> tuple[list[Entry], list[Entry], list[Error]]:
    """Parse a lexicon CSV into (entries, allow, errors); all-or-nothing.

    ``entries`` are block/review terms, ``allow`` are allow-list phrases (as
    ``Entry`` with severity ``allow``). If ``errors`` is not empty, both lists
    are empty: nothing from a faulty file is importable.
    """
    errors: list[Error] = []
    try:
        reader = csv.reader(_lines(fileobj))
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        return [], [], [_error(1, f"文件无法读取（需为 UTF-8 编码的 CSV）：{exc}",
                         f"file cannot be read (UTF-8 CSV expected): {exc}")]
    if header is None:
        return [], [], [_error(1, "文件为空，缺少表头", "empty file, header row missing")]
    names = [h.strip().lower() for h in header]
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        return [], [], [_error(1, "表头缺少列：" + "、".join(missing),
                         "header is missing columns: " + ", ".join(missing))]
    unknown = [h for h in names if h and h not in COLUMNS]
    if unknown:
        errors.append(_error(1, "表头含未知列：" + "、".join(unknown),
                       "header has unknown columns: " + ", ".join(unknown)))
    col = {name: i for i, name in enumerate(names)}

    entries: list[Entry] = []
    allow: list[Entry] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line
            if len(row) > len(names):
                errors.append(_error(line, f"列数过多（{len(row)} 列，表头 {len(names)} 列）",
                               f"too many columns ({len(row)}, header has {len(names)})"))
                continue

            def cell(name: str) -> str:
                i = col.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""

            term, cat_raw, sev_raw = cell("term"), cell("category"), cell("severity")
            pinyin_raw, note = cell("pinyin").lower(), cell("note")
            row_errors: list[Error] = []
            if not term:
                row_errors.append(_error(line, "词条为空", "term is empty"))
            elif len(term) > MAX_TERM_LENGTH:
                row_errors.append(_error(line, f"词条过长（超过 {MAX_TERM_LENGTH} 字）",
                                   f"term longer than {MAX_TERM_LENGTH} characters"))
            severity = _SEVERITY.get(sev_raw.lower())
            if severity is None:
                row_errors.append(_error(line, f"处理方式“{sev_raw}”无效，应为 block、review 或 allow",
                                   f"invalid severity {sev_raw!r}: expected block, review or allow"))
            category = category_code(cat_raw)
            if category is None and not (severity == "allow" and not cat_raw):
                row_errors.append(_error(line, f"类别“{cat_raw}”无效，应为：" + "、".join(
                    f"{c}（{label}）" for c, label in CATEGORIES.items()),
                    f"invalid category {cat_raw!r}: expected one of " + ", ".join(CATEGORIES)))
            if pinyin_raw in _TRUE:
                pinyin = True
            elif pinyin_raw in _FALSE:
                pinyin = False
            else:
                pinyin = False
                row_errors.append(_error(line, f"拼音列“{pinyin_raw}”无效，应为 0 或 1",
                                   f"invalid pinyin value {pinyin_raw!r}: expected 0 or 1"))
            key = normalize_term(term) if term else ""
            if term and not key:
                row_errors.append(_error(line, "词条规范化后为空（只含符号或空白）",
                                   "term is empty after normalisation (symbols or spaces only)"))
            if key and not row_errors:
                if key in seen:
                    row_errors.append(_error(line, f"与第 {seen[key]} 行重复（规范化后相同）",
                                       f"duplicate of line {seen[key]} (same after normalisation)"))
                else:
                    seen[key] = line
            if row_errors:
                errors.extend(row_errors)
                continue
            if severity == "allow":
                allow.append(Entry(term, category or "other", "allow", False, note))
            else:
                entries.append(Entry(term, category, severity, pinyin, note))
    except csv.Error as exc:
        errors.append(_error(reader.line_num, f"CSV 格式错误：{exc}", f"CSV format error: {exc}"))
    if errors:
        return [], [], errors
    return entries, allow, []


def export_lexicon_csv(entries: Iterable[Entry], allow: Iterable, fileobj: IO[str]) -> None:
    """Write entries and allow phrases as a lexicon CSV that ``parse_lexicon_csv`` reads back."""
    w = csv.writer(fileobj, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in entries:
        w.writerow([e.term, e.category, e.severity, "1" if e.pinyin else "0", e.note])
    for a in allow:
        if isinstance(a, str):
            w.writerow([a, "", "allow", "", ""])
        else:
            w.writerow([a.term, "" if a.category == "other" else a.category, "allow", "", a.note])
