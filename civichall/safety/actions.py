"""Changing the content-safety lexicon.

``check_entry`` validates an entry; the ``do_*`` functions authorise (when a
person acts: ``user`` is None only for the operator's console), change the
lexicon, give it a new version (so every process rebuilds its matcher) and
write Wagtail's audit log. The admin, the CLI and the tests all call these.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts.policy import recorded_user
from civichall.core.i18n import message_lang

from .lexicon import MAX_TERM_LENGTH, parse_lexicon_csv
from .matcher import category_code
from .models import Lexicon, LexiconEntry, Severity
from .normalize import normalize_term

from .permissions import access_lexicon

FIELDS = ("term", "category", "severity", "pinyin", "note")


def _authorise(user):
    """Refuse unless ``user`` may change the lexicon; return who to record."""
    access_lexicon(user, "change")
    return recorded_user(user)


def check_entry(term, category, severity, pinyin=False, note="", instance=None):
    """Return the cleaned fields of an entry (with its normalised ``key``) or
    raise ValidationError with a message per field."""
    errors = {}
    term = (term or "").strip()
    key = normalize_term(term) if term else ""
    if not term:
        errors["term"] = _("Enter the term.")
    elif len(term) > MAX_TERM_LENGTH:
        errors["term"] = _("A term has at most %(max)s characters.") % {"max": MAX_TERM_LENGTH}
    elif not key:
        errors["term"] = _("The term has no letters or characters left once symbols and "
                           "spaces are removed.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose block, review or allow.")
    code = category_code(category or "")
    if code is None:
        if severity == Severity.ALLOW and not (category or "").strip():
            code = "other"
        else:
            errors["category"] = _("Choose a category.")
    if key and "term" not in errors:
        clash = LexiconEntry.objects.filter(key=key)
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        clash = clash.first()
        if clash is not None:
            errors["term"] = _(
                "The lexicon already has “%(term)s”, which matches the same text."
            ) % {"term": clash.term}
    if errors:
        raise ValidationError(errors)
    return {
        "term": term, "key": key, "category": code, "severity": severity,
        "pinyin": bool(pinyin) and severity != Severity.ALLOW, "note": (note or "").strip(),
    }


def _lock_and_refresh(entry):
    """Lock the entry's row for this transaction and read what is stored."""
    LexiconEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk").first()
    entry.refresh_from_db()


def _snapshot(entry):
    return {name: getattr(entry, name) for name in FIELDS}


@transaction.atomic
def do_add_entry(user, term, category, severity, pinyin=False, note="", source=""):
    """Add a term or allow-list phrase; returns the new ``LexiconEntry``."""
    user = _authorise(user)
    data = check_entry(term, category, severity, pinyin, note)
    entry = LexiconEntry.objects.create(**data, created_by=user, updated_by=user)
    Lexicon.bump()
    payload = {"entry": _snapshot(entry)}
    if source:
        payload["source"] = source
    log(instance=entry, action="civichall.safety.lexicon.add", user=user, data=payload)
    return entry


@transaction.atomic
def do_update_entry(user, entry, source="", **changes):
    """Change some of an entry's fields (``term``, ``category``, ``severity``,
    ``pinyin``, ``note``); returns the entry. Logs what changed."""
    user = _authorise(user)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    _lock_and_refresh(entry)
    before = _snapshot(entry)
    merged = {**before, **changes}
    data = check_entry(instance=entry, **merged)
    for name, value in data.items():
        setattr(entry, name, value)
    after = _snapshot(entry)
    changed = {name: [before[name], after[name]] for name in FIELDS if before[name] != after[name]}
    if not changed:
        return entry
    entry.updated_by = user
    entry.save()
    Lexicon.bump()
    payload = {"entry": after, "changed": changed}
    if source:
        payload["source"] = source
    log(instance=entry, action="civichall.safety.lexicon.edit", user=user, data=payload)
    return entry


@transaction.atomic
def do_delete_entry(user, entry, source=""):
    """Remove an entry from the lexicon (the log keeps what it was)."""
    user = _authorise(user)
    _lock_and_refresh(entry)
    payload = {"entry": _snapshot(entry)}
    if source:
        payload["source"] = source
    log(instance=entry, action="civichall.safety.lexicon.delete", user=user, data=payload)
    entry.delete()
    Lexicon.bump()


# --- import ------------------------------------------------------------------------


class LexiconImportError(Exception):
    """A lexicon file with problems; nothing of it was imported.

    ``errors`` is a list of ``(line, Message)`` (both languages).
    """

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s) in the lexicon file")
        self.errors = errors

    def lines(self):
        """One "line N: message" string per problem, in the active language."""
        lang = message_lang()
        return [
            _("Line %(line)s: %(message)s") % {"line": line, "message": message.get(lang)}
            for line, message in self.errors
        ]


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def as_dict(self):
        return dict(self.__dict__)

    def __str__(self):
        return _(
            "%(rows)s rows: %(created)s added, %(updated)s changed, %(unchanged)s unchanged, "
            "%(deleted)s removed."
        ) % self.as_dict()


@transaction.atomic
def do_import_lexicon(user, fileobj, replace=False, progress=None, source="", filename=""):
    """Import a lexicon CSV (see ``lexicon.parse_lexicon_csv``): all or nothing.

    Rows add new entries or update the entry with the same normalised term;
    with ``replace`` the entries missing from the file are removed. Raises
    ``LexiconImportError`` (listing every bad row with its line number) and
    changes nothing if any row is bad. ``progress(n)`` is called as rows are
    written. Returns an ``ImportSummary``; the import is logged once, on the
    lexicon.
    """
    user = _authorise(user)
    entries, allow, errors = parse_lexicon_csv(fileobj)
    if errors:
        raise LexiconImportError(errors)
    summary = ImportSummary(rows=len(entries) + len(allow))
    existing = {e.key: e for e in LexiconEntry.objects.select_for_update()}
    seen, to_create, to_update = set(), [], []
    for item in [*entries, *allow]:
        key = normalize_term(item.term)
        seen.add(key)
        fields = {
            "term": item.term, "category": item.category or "other", "severity": item.severity,
            "pinyin": bool(item.pinyin) and item.severity != Severity.ALLOW,
            "note": item.note or "",
        }
        current = existing.get(key)
        if current is None:
            to_create.append(LexiconEntry(key=key, created_by=user, updated_by=user, **fields))
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.updated_by = user
            to_update.append(current)
        else:
            summary.unchanged += 1
        if progress is not None:
            progress(1)
    LexiconEntry.objects.bulk_create(to_create, batch_size=1000)
    # bulk_update does not run auto_now: stamp the time ourselves.
    now = timezone.now()
    for entry in to_update:
        entry.updated_at = now
    LexiconEntry.objects.bulk_update(to_update, [*FIELDS, "updated_by", "updated_at"],
                                     batch_size=1000)
    summary.created, summary.updated = len(to_create), len(to_update)
    if replace:
        stale = [e.pk for key, e in existing.items() if key not in seen]
        for start in range(0, len(stale), 1000):
            LexiconEntry.objects.filter(pk__in=stale[start:start + 1000]).delete()
        summary.deleted = len(stale)
    if summary.created or summary.updated or summary.deleted:
        Lexicon.bump()
    data = {"summary": summary.as_dict(), "replace": bool(replace)}
    if filename:
        data["file"] = filename
    if source:
        data["source"] = source
    log(instance=Lexicon.load(), action="civichall.safety.lexicon.import", user=user, data=data)
    return summary
