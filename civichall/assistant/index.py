"""The assistant's index in a running site, following what is published.

One index is built from the knowledge and saved under the site's var
folder; every web process opens that copy memory-mapped instead of building
its own (the first to find none builds it, under a file lock).

Changes follow publishing without a rebuild and without reading everything
again: the receivers in :mod:`signals` append each committed change to the
change log (:mod:`sync`) and move a stamp in the shared cache. Before its
next answer a process that sees a new stamp (or, every
:data:`POLL_SECONDS`, whatever the cache says) reads the entries after the
one it holds and re-reads only those objects: a new or changed item goes
into the index's overlay, a withdrawn or deleted one is masked at once. A
saved copy records the entry it was built at, so a process that opens it
catches up from there. Everything is compared again only when the log
cannot answer (a copy without its position, a process idle for days, a bulk
import). When the overlay has grown past a quarter of the index, the next
rebuild replaces the copy on disk.
"""

from __future__ import annotations

import fcntl
import json
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

from . import embedding, sync
from .ranking import Index

logger = logging.getLogger("civichall.assistant")

#: Moved on whenever the log gains an entry: the processes sharing the cache look at once.
STAMP_KEY = "assistant:knowledge-stamp"
#: Seconds between two looks at the log when the cache says nothing (a cache
#: shared by no other process, or down): changes still arrive within seconds.
POLL_SECONDS = 2.0
SYNC_FILE = "sync.json"


def index_dir() -> Path:
    return Path(settings.VAR_DIR) / "assistant-index"


def _encoder():
    return embedding.encode if setting("CIVICHALL_ASSISTANT_EMBEDDINGS") and embedding.available() else None


def log_changed() -> None:
    """The log has a new entry: every process sharing the cache looks before its next answer."""
    cache.set(STAMP_KEY, uuid.uuid4().hex, None)


def knowledge_changed(**_kwargs) -> None:
    """Something changed that the log cannot name object by object (a bulk
    import, a new kind of knowledge): every process compares everything once."""
    sync.record("all")
    log_changed()


def _current_copy() -> Path | None:
    pointer = index_dir() / "CURRENT"
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    path = index_dir() / name
    return path if (path / "items.json").exists() else None


class _Followed:
    """An index and where it stands in the change log."""

    def __init__(self, index: Index, refs: sync.Refs | None, newest: int = 0, seen=frozenset(),
                 copy: Path | None = None):
        self.index = index
        self.refs = dict(refs) if refs is not None else None  # None: not known, compare everything
        self.newest = newest
        self.seen = frozenset(seen)
        self.copy = copy


def build() -> Index:
    """Build the index from the knowledge, save it as the current copy and
    use it in this process."""
    return _process.adopt(_build())


def _build() -> _Followed:
    started = time.perf_counter()
    newest, seen = sync.position()  # taken first: a change made while reading is read again
    items, refs = sync.collect()
    index = Index.build(items, _encoder())
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    name = f"copy-{uuid.uuid4().hex[:12]}"
    index.save(root / name)
    with open(root / name / SYNC_FILE, "w", encoding="utf-8") as f:
        json.dump({"newest": newest, "seen": sorted(seen), "built_at": time.time(),
                   "refs": {k: list(v) for k, v in refs.items()}}, f, ensure_ascii=False)
    tmp = root / f"CURRENT.{name}"
    tmp.write_text(name)
    os.replace(tmp, root / "CURRENT")
    for old in root.glob("copy-*"):  # earlier copies stay mapped by running processes until they reopen
        if old.name != name and time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    sync.prune()
    logger.info("assistant index built: %d items in %.1f s", len(items), time.perf_counter() - started)
    return _Followed(index, refs, newest, seen, root / name)


_UNREADABLE = (OSError, ValueError, KeyError, TypeError)


def _load(copy: Path) -> _Followed:
    index = Index.load(copy, _encoder(), mmap=True)
    try:
        with open(copy / SYNC_FILE, encoding="utf-8") as f:
            meta = json.load(f)
        if time.time() - meta["built_at"] > sync.RETENTION.total_seconds() / 2:
            raise ValueError("the log may no longer reach back to this copy")
        return _Followed(index, {k: tuple(v) for k, v in meta["refs"].items()}, int(meta["newest"]),
                         meta["seen"], copy)
    except _UNREADABLE as error:  # compared with everything once, then followed
        logger.info("assistant index copy without its place in the log (%s): comparing everything", error)
        return _Followed(index, None, copy=copy)


def _open() -> _Followed:
    copy = _current_copy()
    if copy is not None:
        try:
            return _load(copy)
        except _UNREADABLE as error:  # an older format, a half-written copy
            logger.warning("assistant index copy unreadable, rebuilding: %s", error)
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds; the others wait and open its copy
        fresh = _current_copy()
        if fresh is not None and fresh != copy:  # another process built it meanwhile
            try:
                return _load(fresh)
            except _UNREADABLE as error:
                logger.warning("assistant index copy unreadable, rebuilding: %s", error)
        return _build()


def sync_all(index: Index, items) -> tuple[int, int]:
    """Bring ``index`` in line with ``items`` (all the knowledge): (items put, items removed)."""
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


class LiveIndex:
    """One process's index, following the change log. The web process has
    one (:func:`current`); a test makes a second to stand for another process."""

    def __init__(self, *, takes_pending: bool = False):
        self._lock = threading.RLock()
        self._followed: _Followed | None = None
        self._stamp = None
        self._looked = 0.0
        # the web process also applies its own changes before they are committed
        self._takes_pending = takes_pending

    def adopt(self, followed: _Followed) -> Index:
        with self._lock:
            self._followed = followed
            self._looked = time.monotonic()
        return followed.index

    def current(self) -> Index:
        """The index, opened or built on first use and brought up to date
        with the changes since."""
        stamp = cache.get(STAMP_KEY)
        with self._lock:
            pending = sync.take_pending() if self._takes_pending else set()
            now = time.monotonic()
            opened = self._followed is None
            if opened:
                self._followed = _open()
                self._looked = now
            followed = self._followed
            if followed.refs is None or now - self._looked > sync.RETENTION.total_seconds() / 2:
                self._compare_all(followed)
                self._stamp, self._looked = stamp, now
            elif opened or (stamp is not None and stamp != self._stamp) or now - self._looked >= POLL_SECONDS:
                self._follow(followed, pending)
                self._stamp, self._looked = stamp, now
            elif pending:
                self._apply(followed, pending)
            index = followed.index
            if len(index.overlay) > max(50, len(index.items) // 4):
                index = self._replace_copy(followed)
        return index

    def forget(self) -> None:
        """Drop the index (tests, and after the copy was replaced)."""
        with self._lock:
            self._followed = None
            self._stamp = None

    # --- following ---------------------------------------------------------------------------

    def _follow(self, followed: _Followed, pending: set[str]) -> None:
        entries = sync.entries_after(followed.newest, followed.seen)
        if entries is None or any(kind == "all" for _id, kind, _object in entries):
            self._compare_all(followed)
            return
        self._apply(followed, pending | {sync.ref(kind, object_id) for _id, kind, object_id in entries})
        if entries:
            ids = followed.seen | {entry[0] for entry in entries}
            followed.newest = max(followed.newest, max(ids))
            followed.seen = frozenset(i for i in ids if i > followed.newest - sync.WINDOW)

    def _apply(self, followed: _Followed, refs: set[str]) -> None:
        """Read the objects of ``refs`` again and put, replace or mask their items."""
        if not refs:
            return
        index = followed.index
        for name, items in sync.read(refs).items():
            keys = tuple(dict.fromkeys(item.key for item in items))
            for key in followed.refs.get(name, ()):
                if key not in keys:
                    index.remove(key)
            for item in items:
                if index.get(item.key) != item:
                    index.put(item)
            if keys:
                followed.refs[name] = keys
            else:
                followed.refs.pop(name, None)

    def _compare_all(self, followed: _Followed) -> None:
        started = time.perf_counter()
        newest, seen = sync.position()
        items, refs = sync.collect()
        put, removed = sync_all(followed.index, items)
        followed.refs, followed.newest, followed.seen = dict(refs), newest, seen
        logger.info("assistant index compared with all %d items in %.1f s: %d put, %d removed",
                    len(items), time.perf_counter() - started, put, removed)

    def _replace_copy(self, followed: _Followed) -> Index:
        """The overlay has grown: open the copy another process built since, or build one."""
        fresh = _current_copy()
        if fresh is not None and fresh != followed.copy:
            try:
                self._followed = _load(fresh)
                if self._followed.refs is None:
                    self._compare_all(self._followed)
                else:
                    self._follow(self._followed, set())
                return self._followed.index
            except _UNREADABLE as error:
                logger.warning("assistant index copy unreadable, rebuilding: %s", error)
        self._followed = _build()
        return self._followed.index


_process = LiveIndex(takes_pending=True)


def current() -> Index:
    """This process's index, up to date with the knowledge."""
    return _process.current()


def forget() -> None:
    """Drop this process's index and its uncommitted changes (tests, and after the copy was replaced)."""
    sync.take_pending()
    _process.forget()
