"""The assistant's index in a running site, following what is published.

One index is built from :func:`knowledge.collect` and saved under the
site's var folder; every web process opens that copy memory-mapped instead
of building its own (the first to find none builds it, under a file lock).

Changes follow publishing without a rebuild: the receivers in
:mod:`signals` move the *knowledge version* on (in the shared cache, so
every process hears of it); a process that sees a new version reads the
knowledge again and compares it with what it holds — a new or changed item
goes into the index's overlay, a withdrawn or deleted one is masked at once.
When the overlay has grown past a quarter of the index, the next rebuild
replaces the copy on disk.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from civichall.core.config import setting

from . import embedding, knowledge
from .ranking import Index

logger = logging.getLogger("civichall.assistant")

VERSION_KEY = "assistant:knowledge-version"
_lock = threading.RLock()
_state = {"index": None, "version": None}


def index_dir() -> Path:
    return Path(settings.VAR_DIR) / "assistant-index"


def _encoder():
    return embedding.encode if setting("CIVICHALL_ASSISTANT_EMBEDDINGS") and embedding.available() else None


def knowledge_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def knowledge_changed(**_kwargs) -> None:
    """Something the assistant answers from changed: every process re-reads
    what it knows before its next answer."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _current_copy() -> Path | None:
    pointer = index_dir() / "CURRENT"
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    path = index_dir() / name
    return path if (path / "items.json").exists() else None


def build(items=None) -> Index:
    """Build the index from the knowledge, save it as the current copy and
    use it in this process."""
    started = time.perf_counter()
    version = knowledge_version()
    items = knowledge.collect() if items is None else items
    index = Index.build(items, _encoder())
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    name = f"copy-{uuid.uuid4().hex[:12]}"
    index.save(root / name)
    tmp = root / f"CURRENT.{name}"
    tmp.write_text(name)
    os.replace(tmp, root / "CURRENT")
    for old in root.glob("copy-*"):  # earlier copies stay mapped by running processes until they reopen
        if old.name != name and time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    with _lock:
        _state.update(index=index, version=version)
    logger.info("assistant index built: %d items in %.1f s", len(items), time.perf_counter() - started)
    return index


_UNREADABLE = (OSError, ValueError, KeyError, TypeError)


def _open() -> Index:
    copy = _current_copy()
    if copy is not None:
        try:
            return Index.load(copy, _encoder(), mmap=True)
        except _UNREADABLE as error:  # an older format, a half-written copy
            logger.warning("assistant index copy unreadable, rebuilding: %s", error)
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds; the others wait and open its copy
        fresh = _current_copy()
        if fresh is not None and fresh != copy:  # another process built it meanwhile
            try:
                return Index.load(fresh, _encoder(), mmap=True)
            except _UNREADABLE as error:
                logger.warning("assistant index copy unreadable, rebuilding: %s", error)
        return build()


def sync(index: Index, items=None) -> tuple[int, int]:
    """Bring ``index`` in line with the knowledge: (items put, items removed)."""
    items = knowledge.collect() if items is None else items
    fresh = {item.key: item for item in items}
    put = removed = 0
    for key in index.keys() - set(fresh):
        index.remove(key)
        removed += 1
    for key, item in fresh.items():
        if index.get(key) != item:
            index.put(item)
            put += 1
    return put, removed


def current() -> Index:
    """The index, opened or built on first use and brought up to date when
    the knowledge has changed since."""
    version = knowledge_version()
    with _lock:
        index = _state["index"]
        if index is None:
            index = _open()
            _state.update(index=index, version=None)
        if _state["version"] != version:
            items = knowledge.collect()
            sync(index, items)
            _state["version"] = version
            if len(index.overlay) > max(50, len(index.items) // 4):
                index = build(items)
    return index


def forget() -> None:
    """Drop this process's index (tests, and after the copy was replaced)."""
    with _lock:
        _state.update(index=None, version=None)
