"""Connector kind ``csv_file``: an open-data file published by a department.

The file (given as a path, or as bytes/text) is loaded once and indexed; a
changed file on disk is picked up on the next query. Configuration::

    path / data     where the CSV comes from
    lookups         {"input field": {"column": "...", "match": "exact" | "prefix"
                                     | "contains" | "words"}}
                    "words" segments Chinese text with jieba, so "华泾路"
                    finds "龙吴路华泾路口"
    key_columns     shorthand: exact lookups whose input field is the column name
    field_map       {"output field": "column"} (default: every column)
    limit           at most this many rows
    allow_all       with no input given, return the first rows (a list page)
    sort_by         a column to order matches by (descending with a leading "-")

Values are compared after folding (full-width → half-width, case, spaces and
separators such as "·" removed), so "沪A D12345" finds "沪A·D12345". Several
lookups combine with AND. Output values are converted to the types the output
schema declares (integer, number, boolean).
"""

from __future__ import annotations

import bisect
import csv
import io
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _text
from ..messages import Message
from .base import Connector, ConnectorConfigError, ConnectorUnavailable, FetchContext, register

MATCH_MODES = ("exact", "prefix", "contains", "words")


@dataclass
class _Index:
    rows: list[dict[str, str]]
    columns: list[str]
    exact: dict[str, dict[str, list[int]]]
    prefix: dict[str, tuple[list[str], list[int]]]
    folded: dict[str, list[str]]
    words: dict[str, dict[str, set[int]]]
    stamp: tuple[float, int] | None


@register("csv_file")
class CsvFileConnector(Connector):
    """Searches rows of a CSV file by configured columns."""

    default_input_schema = {"type": "object", "properties": {}}
    default_output_schema = {"type": "array", "items": {"type": "object"}}

    def __init__(
        self,
        *,
        path: str | os.PathLike[str] | None = None,
        data: bytes | str | None = None,
        encoding: str = "utf-8-sig",
        delimiter: str = ",",
        lookups: Mapping[str, Mapping[str, str]] | None = None,
        key_columns: Sequence[str] = (),
        field_map: Mapping[str, str] | None = None,
        limit: int = 50,
        allow_all: bool = False,
        sort_by: str | None = None,
        input_schema: Mapping[str, Any] | None = None,
        output_schema: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        super().__init__(input_schema=input_schema, output_schema=output_schema, name=name)
        if (path is None) == (data is None):
            raise ConnectorConfigError(
                Message("请提供 CSV 文件路径或文件内容（二选一）。", "Give either a CSV path or CSV data, not both.")
            )
        self.path = Path(path) if path is not None else None
        self._data = data
        self.encoding = encoding
        self.delimiter = delimiter
        lk: dict[str, dict[str, str]] = {str(c): {"column": str(c), "match": "exact"} for c in key_columns}
        for field_name, spec in (lookups or {}).items():
            spec = dict(spec)
            spec.setdefault("match", "exact")
            if "column" not in spec:
                spec["column"] = field_name
            if spec["match"] not in MATCH_MODES:
                raise ConnectorConfigError(
                    Message(f"不支持的匹配方式“{spec['match']}”。", f"Unknown match mode '{spec['match']}'."),
                    detail=f"use one of {', '.join(MATCH_MODES)}",
                )
            lk[str(field_name)] = spec
        self.lookups = lk
        self.field_map = dict(field_map or {})
        self.limit = int(limit)
        self.allow_all = allow_all
        self.sort_by = sort_by
        self._lock = threading.Lock()
        self._index: _Index | None = None
        self._index = self._load()  # fail early on a broken file or a wrong column

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "source": self.path.name if self.path else "inline data",
            "lookups": self.lookups,
            "limit": self.limit,
        }

    # -- loading

    def _stamp(self) -> tuple[float, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            raise ConnectorUnavailable(
                Message("数据文件暂时无法读取。", "The data file cannot be read right now."), detail="file missing"
            ) from None
        return (st.st_mtime, st.st_size)

    def _load(self) -> _Index:
        stamp = self._stamp()
        if self.path is not None:
            try:
                raw: bytes | str = self.path.read_bytes()
            except OSError:
                raise ConnectorUnavailable(
                    Message("数据文件暂时无法读取。", "The data file cannot be read right now."), detail="file unreadable"
                ) from None
        else:
            raw = self._data  # type: ignore[assignment]
        try:
            text = raw.decode(self.encoding) if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            raise ConnectorConfigError(
                Message("数据文件的编码不对。", "The data file has the wrong text encoding."),
                detail=f"not {self.encoding}",
            ) from None
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
        needed = {spec["column"] for spec in self.lookups.values()} | set(self.field_map.values())
        if self.sort_by:
            needed.add(self.sort_by.lstrip("-"))
        missing = sorted(needed - set(columns))
        if missing:
            raise ConnectorConfigError(
                Message(f"数据文件缺少列：{'、'.join(missing)}。", f"The data file lacks columns: {', '.join(missing)}."),
            )
        exact: dict[str, dict[str, list[int]]] = {}
        prefix: dict[str, tuple[list[str], list[int]]] = {}
        folded: dict[str, list[str]] = {}
        words: dict[str, dict[str, set[int]]] = {}
        for spec in self.lookups.values():
            col, mode = spec["column"], spec["match"]
            values = [_text.normalize(r.get(col, "")) for r in rows]
            folded[col] = values
            if mode == "exact":
                idx: dict[str, list[int]] = {}
                for i, v in enumerate(values):
                    idx.setdefault(v, []).append(i)
                exact[col] = idx
            elif mode == "prefix":
                pairs = sorted((v, i) for i, v in enumerate(values))
                prefix[col] = ([p[0] for p in pairs], [p[1] for p in pairs])
            elif mode == "words":
                # The column's own values become dictionary words, so a place
                # name is not cut in the middle.
                _text.add_words(r.get(col, "") for r in rows)
                inverted: dict[str, set[int]] = {}
                for i, r in enumerate(rows):
                    for term in _text.terms(r.get(col, "")):
                        inverted.setdefault(term, set()).add(i)
                words[col] = inverted
        return _Index(rows, columns, exact, prefix, folded, words, stamp)

    def _current(self) -> _Index:
        index = self._index
        if self.path is not None and index is not None and self._stamp() != index.stamp:
            with self._lock:
                if self._index is None or self._stamp() != self._index.stamp:
                    self._index = self._load()
                index = self._index
        assert index is not None
        return index

    # -- searching

    def _match(self, index: _Index, spec: Mapping[str, str], value: Any) -> list[int]:
        col, mode = spec["column"], spec["match"]
        q = _text.normalize(value)
        if not q:
            return list(range(len(index.rows)))
        if mode == "exact":
            return list(index.exact[col].get(q, []))
        if mode == "prefix":
            keys, ids = index.prefix[col]
            start = bisect.bisect_left(keys, q)
            out = []
            for pos in range(start, len(keys)):
                if not keys[pos].startswith(q):
                    break
                out.append(ids[pos])
            return sorted(out)
        if mode == "contains":
            return [i for i, v in enumerate(index.folded[col]) if q in v]
        # words: rows holding every term of the query; else a plain substring
        # match; else rows holding most of the terms.
        inverted = index.words[col]
        query_terms = [t for t in _text.terms(str(value)) if t in inverted or len(t) > 1]
        sets = [inverted.get(t, set()) for t in query_terms]
        if sets and all(sets):
            hits = set.intersection(*sets)
            if hits:
                return sorted(hits)
        contained = [i for i, v in enumerate(index.folded[col]) if q in v]
        if contained:
            return contained
        scores: dict[int, int] = {}
        for t in query_terms:
            if len(t) < 2:
                continue
            for i in inverted.get(t, ()):
                scores[i] = scores.get(i, 0) + len(t)
        if not scores:
            return []
        best = max(scores.values())
        return sorted(i for i, s in scores.items() if s == best)

    def fetch(self, params: dict[str, Any], ctx: FetchContext) -> list[dict[str, Any]]:
        """Rows matching every given lookup field, mapped and typed."""
        index = self._current()
        selected: list[int] | None = None
        for field_name, spec in self.lookups.items():
            if params.get(field_name) in (None, ""):
                continue
            hits = self._match(index, spec, params[field_name])
            if selected is None:
                selected = hits
            else:
                keep = set(hits)
                selected = [i for i in selected if i in keep]
        if selected is None:
            if not self.allow_all:
                return []
            selected = list(range(len(index.rows)))
        rows = [index.rows[i] for i in selected]
        if self.sort_by:
            col = self.sort_by.lstrip("-")
            rows.sort(key=lambda r: _sort_key(r.get(col, "")), reverse=self.sort_by.startswith("-"))
        return [self._output(r) for r in rows[: self.limit]]

    def _output(self, row: Mapping[str, str]) -> dict[str, Any]:
        mapped = {out: row.get(col, "") for out, col in self.field_map.items()} if self.field_map else dict(row)
        item_schema = self.output_schema.get("items") if self.output_schema.get("type") == "array" else None
        props = (item_schema or {}).get("properties") or {}
        for key, value in list(mapped.items()):
            types = (props.get(key) or {}).get("type")
            types = types if isinstance(types, list) else [types]
            mapped[key] = _convert(value, types)
        return mapped

    def health(self, ctx: FetchContext | None = None) -> dict[str, Any]:
        try:
            index = self._current()
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return {"kind": self.kind, "name": self.name, "status": "down", "error": type(exc).__name__}
        return {"kind": self.kind, "name": self.name, "status": "ok", "rows": len(index.rows)}


def _convert(value: Any, types: list[Any]) -> Any:
    if not isinstance(value, str):
        return value
    if value == "" and "null" in types:
        return None
    try:
        if "integer" in types:
            return int(value)
        if "number" in types:
            return float(value)
    except ValueError:
        return value
    if "boolean" in types:
        return value.strip().lower() in ("1", "true", "yes", "是", "y")
    return value


def _sort_key(value: str) -> tuple[int, Any]:
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)
