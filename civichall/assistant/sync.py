"""The change log the assistant's index follows, and the reading of the
objects it names.

Every committed change to what the assistant answers from appends one
:class:`~.models.KnowledgeChange` row (``kind`` + the object's id). A web
process that holds the index as of some entry reads the entries after it
and re-reads *only those objects'* items — a publish costs each process a
few queries whatever the size of the knowledge. The items of each object
are kept under its *reference* (``page:12``, ``service:3``, ``faq:7``), so
that a Q&A pair taken out of an article, or a whole article withdrawn,
leaves with the object.

The items themselves come from :mod:`knowledge`'s builders; this module
only groups them by object. A new kind of knowledge needs a reader here too.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import knowledge
from .ranking import Item

#: Kinds of object the log names; ``all`` asks every process for a full compare.
KINDS = ("service", "page", "faq", "application", "all")
#: Entries kept; a process idle for longer compares everything again.
RETENTION = timedelta(days=7)
#: Ids below the newest one still read again: a change committed late, under
#: an id lower than one already read, is not missed.
WINDOW = 100
#: More entries than this at once (a bulk import): compare everything instead.
MAX_BATCH = 5_000

Refs = dict[str, tuple[str, ...]]


def ref(kind: str, object_id) -> str:
    return f"{kind}:{object_id}"


# --- the log ---------------------------------------------------------------------------------


def record(kind: str, object_id=0) -> None:
    """Append one change to the log (called once the change is committed)."""
    from .models import KnowledgeChange

    entry = KnowledgeChange.objects.create(kind=kind, object_id=int(object_id or 0))
    if entry.pk % 1000 == 0:  # now and again, not on every write
        prune()


def prune() -> int:
    """Drop the entries older than :data:`RETENTION`; how many went."""
    from .models import KnowledgeChange

    deleted, _ = KnowledgeChange.objects.filter(changed_at__lt=timezone.now() - RETENTION).delete()
    return deleted


def position() -> tuple[int, frozenset]:
    """The newest entry's id and the ids of the entries just before it
    (:data:`WINDOW`): where a copy built now starts following the log."""
    from .models import KnowledgeChange

    newest = KnowledgeChange.objects.aggregate(newest=Max("id"))["newest"] or 0
    recent = KnowledgeChange.objects.filter(id__gt=newest - WINDOW).values_list("id", flat=True)
    return newest, frozenset(recent)


def entries_after(newest: int, seen: frozenset) -> list[tuple[int, str, int]] | None:
    """The entries not yet applied by a process at ``newest`` that has applied
    ``seen`` of the ones just before: ``(id, kind, object_id)``, oldest first;
    None when there are too many to apply one by one."""
    from .models import KnowledgeChange

    rows = list(KnowledgeChange.objects.filter(id__gt=newest - WINDOW).order_by("id")
                .values_list("id", "kind", "object_id")[: MAX_BATCH + WINDOW + 1])
    fresh = [row for row in rows if row[0] not in seen]
    # at most WINDOW of the rows read were seen: a cut-off read leaves more than MAX_BATCH unseen
    return None if len(fresh) > MAX_BATCH else fresh


# --- changes of this process, before they are committed -------------------------------------

_pending: set[str] = set()
_pending_lock = threading.Lock()


def changed(kind: str, object_id) -> None:
    """``kind``/``object_id`` changed: this process reads it again before its
    next answer (it sees its own uncommitted change), and every process once
    the change is committed."""
    with _pending_lock:
        _pending.add(ref(kind, object_id))
    # robust: a log that cannot be written (a database being migrated) must
    # not fail the publication; the processes then catch up at the next entry
    # or comparison
    transaction.on_commit(lambda: record(kind, object_id), robust=True)


def take_pending() -> set[str]:
    """The references this process changed since it last asked."""
    with _pending_lock:
        taken = set(_pending)
        _pending.clear()
    return taken


# --- reading the objects ---------------------------------------------------------------------


def _application_texts(codes) -> dict[str, str]:
    """Materials and conditions of the applications of ``codes`` (as
    :func:`knowledge.application_texts`, for those codes only)."""
    if not codes or not apps.is_installed("civichall.applications"):
        return {}
    try:
        model = apps.get_model("applications", "ApplicationDefinition")
        rows = list(model.objects.filter(code__in=codes).exclude(current=None).select_related("current"))
    except Exception:  # a room being built or migrated must not stop answering
        return {}
    return {row.code: knowledge.application_text(row.current.document) for row in rows}


def _services(query) -> dict[str, list[Item]]:
    services = list(query.select_related("organisation"))
    extra = _application_texts([s.code for s in services])
    return {ref("service", s.pk): knowledge.service_items(s, extra.get(s.code, "")) for s in services}


def read(refs) -> dict[str, list[Item]]:
    """The items of each object named in ``refs`` now (an empty list for one
    that is gone, retired, withdrawn or not live), in a few queries per kind."""
    from civichall.services.models import Service

    from .models import Faq

    wanted: dict[str, set[int]] = defaultdict(set)
    for name in refs:
        kind, _, object_id = name.partition(":")
        if kind in KINDS and object_id.isdigit():
            wanted[kind].add(int(object_id))
    found: dict[str, list[Item]] = {name: [] for name in refs}
    if wanted["application"] and apps.is_installed("civichall.applications"):
        model = apps.get_model("applications", "ApplicationDefinition")
        codes = list(model.objects.filter(pk__in=wanted["application"]).values_list("code", flat=True))
        for name, items in _services(Service.objects.filter(code__in=codes)).items():
            found[name] = items
    if wanted["service"]:
        found.update(_services(Service.objects.filter(pk__in=wanted["service"])))
    if wanted["page"]:
        for page in knowledge.live_articles().filter(pk__in=wanted["page"]):
            found[ref("page", page.pk)] = knowledge.article_items(page)
    if wanted["faq"]:
        for faq in Faq.objects.filter(pk__in=wanted["faq"]).select_related("organisation", "service"):
            found[ref("faq", faq.pk)] = knowledge.faq_items(faq)
    return found


def collect() -> tuple[list[Item], Refs]:
    """Every item the assistant answers from, with the keys of each object's
    items (the same items as :func:`knowledge.collect`)."""
    from civichall.services.models import Service

    from .models import Faq

    by_ref: dict[str, list[Item]] = {}
    by_ref.update(_services(Service.objects.exclude(status="retired")))
    for page in knowledge.live_articles():
        by_ref[ref("page", page.pk)] = knowledge.article_items(page)
    for faq in Faq.objects.filter(status="live").select_related("organisation", "service"):
        by_ref[ref("faq", faq.pk)] = knowledge.faq_items(faq)
    items = [item for group in by_ref.values() for item in group]
    return items, {name: tuple(i.key for i in group) for name, group in by_ref.items() if group}
