"""The content-safety room's one door.

Other rooms (content review, comments, official replies, the API, the CLI)
call these functions, never the models or the engine's internals:

* ``check_content(text, kind, body=None)`` -- the engine's decision using the
  operator's lexicon from the database;
* ``record_check(result, ...)`` -- keep a check and its hits (for reports and
  for "the content each term hit");
* ``check_page(page, revision=None)`` -- check a page's title and body text
  and record both (what the review workflow's safety task does);
* ``validate_check_input(text, kind, body)`` -- the limits a caller from
  outside (API, CLI) must respect, with messages a person understands.

The lexicon is compiled into a matcher once per process and rebuilt when its
version (``models.Lexicon``, changed by every edit) differs from the one the
matcher was built from: one primary-key read per check, no stale lexicon in
any process, whatever the cache backend.
"""

import html
import re
import threading

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from civichall.core.i18n import message_lang
from civichall.core.lang import Message

from . import engine
from .lexicon import export_lexicon_csv
from .matcher import Entry

__all__ = [
    "KINDS",
    "MAX_TEXT_LENGTH",
    "check_content",
    "check_page",
    "content_texts",
    "current_matcher",
    "export_lexicon",
    "latest_page_checks",
    "lexicon_version",
    "reason_message",
    "record_check",
    "validate_check_input",
    "worst",
]

KINDS = engine.KINDS
#: Longest text accepted from outside (API, CLI): a long article is ~20,000 characters.
MAX_TEXT_LENGTH = 100_000
_RANK = {"pass": 0, "review": 1, "block": 2}

_lock = threading.Lock()
_compiled = {"version": None, "matcher": None}


# --- the lexicon --------------------------------------------------------------------


def lexicon_version():
    """The current lexicon version ("" before anything was loaded); see
    :meth:`Lexicon.current_version` for how long a process trusts it."""
    from .models import Lexicon

    return Lexicon.current_version()


def _build_matcher():
    from .models import LexiconEntry, Severity

    entries, allow = [], []
    rows = LexiconEntry.objects.order_by("pk").values_list(
        "term", "category", "severity", "pinyin", "note"
    )
    for term, category, severity, pinyin, note in rows.iterator(chunk_size=5000):
        if severity == Severity.ALLOW:
            allow.append(term)
        else:
            entries.append(Entry(term, category, severity, pinyin, note))
    return engine.build_matcher(entries, allow)


def current_matcher():
    """The compiled matcher for the lexicon in the database, rebuilt after changes."""
    version = lexicon_version()
    with _lock:
        if _compiled["matcher"] is None or _compiled["version"] != version:
            _compiled["matcher"] = _build_matcher()
            _compiled["version"] = version
        return _compiled["matcher"]


def export_lexicon(fileobj):
    """Write the whole lexicon to ``fileobj`` as a CSV that the import reads back."""
    from .models import LexiconEntry, Severity

    entries, allow = [], []
    for row in LexiconEntry.objects.order_by("severity", "category", "term").iterator():
        (allow if row.severity == Severity.ALLOW else entries).append(row.to_entry())
    export_lexicon_csv(entries, allow, fileobj)


# --- checking -----------------------------------------------------------------------


def check_content(text, kind, body=None):
    """Check ``text`` of ``kind`` (title, body, comment, reply) with the
    operator's lexicon; returns the engine's result dict (see ``engine.check``).

    ``body`` is the article body for a title (to spot a title the body does not
    bear out). Raises ValueError for an unknown kind.
    """
    return engine.check(text or "", kind, lexicon=current_matcher(), body=body)


def validate_check_input(text, kind, body=None):
    """Raise ValidationError (a message per field) unless the input is fit to check."""
    errors = {}
    if kind not in KINDS:
        errors["kind"] = _("Unknown kind “%(kind)s”: use one of %(kinds)s.") % {
            "kind": kind, "kinds": ", ".join(KINDS)}
    if text is None or not str(text).strip():
        errors["text"] = _("The text is empty.")
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = _("The text is too long: at most %(max)s characters.") % {
            "max": MAX_TEXT_LENGTH}
    if body is not None and len(body) > MAX_TEXT_LENGTH:
        errors["body"] = _("The body is too long: at most %(max)s characters.") % {
            "max": MAX_TEXT_LENGTH}
    if errors:
        raise ValidationError(errors)


def worst(*decisions):
    """The strictest of several decisions."""
    return max(decisions, key=lambda d: _RANK.get(d, 0), default="pass")


def reason_message(reason):
    """A reason's message in the active language (a stored reason keeps
    "message", the Chinese, and "message_en")."""
    return Message(reason.get("message", ""), reason.get("message_en", "")).get(message_lang())


# No savepoint: a failure rolls back whatever transaction holds the check
# (a comment's check then stays undone and is tried again).
@transaction.atomic(savepoint=False)
def record_check(result, *, text, kind, obj=None, revision=None, source="", user=None):
    """Keep ``result`` (from ``check_content``) of checking ``text`` of ``kind``
    about ``obj`` (any model instance, or None) and return the ``SafetyCheck``."""
    from .models import SafetyHit

    check, hits = check_record(result, text=text, kind=kind, obj=obj, revision=revision, source=source, user=user)
    check.save()
    for hit in hits:
        hit.safety_check = check
    SafetyHit.objects.bulk_create(hits)
    return check


def check_record(result, *, text, kind, obj=None, revision=None, source="", user=None):
    """The unsaved ``SafetyCheck`` and ``SafetyHit`` rows that keep ``result``
    (for a caller that writes them together with other rows)."""
    from .models import SafetyCheck, SafetyHit

    content_type, object_id = None, ""
    if obj is not None:
        model = Page if isinstance(obj, Page) else type(obj)
        content_type = ContentType.objects.get_for_model(model)
        object_id = str(obj.pk)
    check = SafetyCheck(
        content_type=content_type, object_id=object_id, revision=revision, kind=kind,
        decision=result["decision"], text=text or "", hits=result.get("hits", []),
        reasons=result.get("reasons", []), scores=result.get("scores", {}), source=source,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    hits = [SafetyHit(term=h["term"], category=h["category"], severity=h["severity"],
                      start=h["start"], end=h["end"], matched=h["matched"])
            for h in result.get("hits", [])]
    return check, hits


# --- pages ---------------------------------------------------------------------------

_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|div|tr)>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value):
    """Rich text (HTML) as plain text, one line per paragraph or list item."""
    source = getattr(value, "source", value) or ""
    text = _TAG.sub("", _BLOCK_END.sub("\n", str(source)))
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


# Values that are codes or addresses rather than prose.
_SKIP_BLOCKS = (blocks.ChoiceBlock, blocks.URLBlock, blocks.EmailBlock, blocks.RegexBlock)


def _block_text(block, value, out):
    if value is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            _block_text(child.block, child.value, out)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _block_text(block.child_block, item, out)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            _block_text(child_block, value.get(name), out)
    elif isinstance(block, blocks.RichTextBlock):
        out.append(html_to_text(value))
    elif isinstance(block, _SKIP_BLOCKS):
        return
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        out.append(str(value))
    elif isinstance(value, dict) and isinstance(value.get("data"), list):
        # A table (TableBlock, the data of a chart): one line per row.
        for row in value["data"]:
            out.append(" ".join(str(cell) for cell in row or [] if cell not in (None, "")))


def content_texts(page):
    """``(title, body_text)`` of a page (or of a page as in a revision).

    The body text is everything a reader sees besides the title, in order:
    the page type's own text fields (an article's summary), rich text stripped
    of tags, every text of the StreamField blocks (headings, captions, alt
    texts, Q&A, key points, poster texts, video transcripts, chart and table
    labels, step guides, extra reading …), and the search description shown
    in search results and shares; one paragraph per line.
    """
    page = page.specific if isinstance(page, Page) and type(page) is Page else page
    parts = [getattr(page, "search_description", "") or ""]
    for field in type(page)._meta.concrete_fields:
        if field.model is Page or getattr(field, "remote_field", None) is not None:
            continue
        value = getattr(page, field.attname, None)
        if isinstance(field, StreamField):
            _block_text(field.stream_block, value, parts)
        elif isinstance(field, RichTextField):
            parts.append(html_to_text(value))
        elif field.get_internal_type() == "TextField":
            parts.append(str(value or ""))
    body = "\n".join(p.strip() for p in parts if p and p.strip())
    return page.title or "", body


def check_page(page, revision=None, user=None, source="workflow"):
    """Check a page's title and body (as in ``revision``, default: the latest)
    and record both checks. Returns ``(decision, [title_check, body_check])``."""
    revision = revision or page.get_latest_revision()
    obj = revision.as_object() if revision is not None else page.specific
    title, body = content_texts(obj)
    checks = []
    for text, kind, extra in ((title, "title", body), (body, "body", None)):
        result = check_content(text, kind, body=extra)
        checks.append(record_check(result, text=text, kind=kind, obj=page, revision=revision,
                                   source=source, user=user))
    return worst(*(c.decision for c in checks)), checks


def latest_page_checks(page):
    """The checks of the page's most recently checked revision (title first), or []."""
    from .models import SafetyCheck

    checks = SafetyCheck.objects.filter(
        content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    )
    latest = checks.order_by("-created_at", "-id").first()
    if latest is None:
        return []
    same_run = checks.filter(revision_id=latest.revision_id, source=latest.source)
    # The newest check per kind in that revision.
    by_kind = {}
    for check in same_run.order_by("-created_at", "-id"):
        by_kind.setdefault(check.kind, check)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(by_kind.values(), key=lambda c: order.get(c.kind, 99))
