"""Records of the content-safety room: the lexicon and every check made.

The matching itself is pure Python (``engine``, ``matcher`` …). Here live:

* ``LexiconEntry`` -- one term (``block`` / ``review``) or allow-list phrase
  (``allow``) of the operator's lexicon; unique by its normalised form, the
  same rule the CSV import applies.
* ``Lexicon`` -- the lexicon as a whole (one row): a version that changes with
  every edit, so that each process rebuilds its matcher when, and only when,
  the lexicon changed; imports are logged against it.
* ``SafetyCheck`` / ``SafetyHit`` -- what was checked, when, with what result;
  ``SafetyHit`` rows make "which content did this term hit" a plain query.

Change the lexicon only through ``actions`` (they validate, bump the version
and write the audit log).
"""

import time
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .engine import KINDS
from .lexicon import MAX_TERM_LENGTH
from .matcher import CATEGORIES, Entry

# English labels of the engine's category codes (Chinese through the catalogue).
CATEGORY_LABELS = {
    "political": _("Politically sensitive"),
    "vulgar": _("Vulgar"),
    "violence": _("Violence / terror"),
    "gambling_drugs": _("Gambling / drugs"),
    "fraud_spam": _("Fraud / ads / spam"),
    "personal_data": _("Personal data"),
    "other": _("Other"),
}
CATEGORY_CHOICES = [(code, CATEGORY_LABELS.get(code, label)) for code, label in CATEGORIES.items()]


class Severity(models.TextChoices):
    BLOCK = "block", _("Block")
    REVIEW = "review", _("Review by a person")
    ALLOW = "allow", _("Allow (allow-list phrase)")


class Decision(models.TextChoices):
    PASS = "pass", _("Pass")
    REVIEW = "review", _("Review by a person")
    BLOCK = "block", _("Block")


KIND_LABELS = {
    "title": _("Title"),
    "body": _("Body"),
    "comment": _("Comment"),
    "reply": _("Official reply"),
}
KIND_CHOICES = [(kind, KIND_LABELS.get(kind, kind)) for kind in KINDS]


class LexiconEntry(models.Model):
    """A lexicon term or allow-list phrase."""

    term = models.CharField(_("term"), max_length=MAX_TERM_LENGTH)
    # The normalised form (see ``normalize.normalize_term``): two spellings that
    # match the same text are the same entry.
    key = models.CharField(max_length=4 * MAX_TERM_LENGTH, unique=True, editable=False)
    category = models.CharField(
        _("category"), max_length=20, choices=CATEGORY_CHOICES, default="other"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    pinyin = models.BooleanField(
        _("match by pinyin"),
        default=False,
        help_text=_(
            "Also catch homophones and pinyin spellings. Costs false alarms: such hits are "
            "sent to review, never blocked."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["category", "term"]
        verbose_name = _("lexicon entry")
        verbose_name_plural = _("lexicon entries")
        indexes = [models.Index(fields=["severity", "category"])]

    def __str__(self):
        return self.term

    def to_entry(self):
        """The engine's ``Entry`` for this row."""
        return Entry(self.term, self.category, self.severity, self.pinyin, self.note)


class Lexicon(models.Model):
    """The lexicon as a whole: one row whose ``version`` changes with every edit."""

    version = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("content-safety lexicon")
        verbose_name_plural = _("content-safety lexicons")

    def __str__(self):
        return str(_("Content-safety lexicon"))

    @classmethod
    def load(cls):
        lexicon, _created = cls.objects.get_or_create(pk=1)
        return lexicon

    @classmethod
    def current_version(cls):
        """The current version ("" before anything was loaded).

        Outside a transaction a version read less than
        ``LEXICON_RECHECK_SECONDS`` ago is reused: the version is asked
        before every comment check, the hot path of a push, and an edit made
        in another process reaches this one within that bound (an edit made
        in this one, at once). Inside a transaction the database is asked,
        so the transaction sees its own edit, and what it saw is not kept.
        """
        in_transaction = transaction.get_connection().in_atomic_block
        now = time.monotonic()
        if not in_transaction and _version_read["version"] is not None \
                and now - _version_read["at"] < LEXICON_RECHECK_SECONDS:
            return _version_read["version"]
        version = cls.objects.filter(pk=1).values_list("version", flat=True).first() or ""
        if in_transaction:  # maybe not committed, maybe rolled back: not for others
            _forget_version()
        else:
            _version_read.update(version=version, at=now)
        return version

    @classmethod
    def bump(cls):
        """Give the lexicon a new version (call inside the changing transaction)."""
        _forget_version()
        transaction.on_commit(_forget_version)
        version = uuid.uuid4().hex
        updated = cls.objects.filter(pk=1).update(version=version, changed_at=timezone.now())
        if not updated:
            cls.objects.create(pk=1, version=version, changed_at=timezone.now())
        return version


#: Seconds a process trusts the lexicon version it last read outside a transaction.
LEXICON_RECHECK_SECONDS = 1.0
_version_read = {"version": None, "at": 0.0}


def _forget_version():
    _version_read["version"] = None


class SafetyCheck(models.Model):
    """One run of the engine over one text, and its result."""

    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=255, blank=True, default="")
    content_object = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KIND_CHOICES)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    text = models.TextField(_("checked text"), blank=True)
    hits = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_decision_display()}"


class SafetyHit(models.Model):
    """One hit of a check, kept as a row so that hits can be listed per term."""

    safety_check = models.ForeignKey(SafetyCheck, on_delete=models.CASCADE, related_name="hit_rows")
    term = models.CharField(_("term"), max_length=4 * MAX_TERM_LENGTH, db_index=True)
    category = models.CharField(_("category"), max_length=20)
    severity = models.CharField(_("severity"), max_length=10)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    matched = models.TextField(_("as written"))

    class Meta:
        ordering = ["-safety_check__created_at", "start"]
        verbose_name = _("safety hit")
        verbose_name_plural = _("safety hits")

    def __str__(self):
        return f"{self.term} ({self.matched})"


# The review workflow's automatic step is a model too (Wagtail tasks are).
from .workflow import SafetyCheckTask  # noqa: E402,F401
