"""Application definitions, drafts, cases and what hangs off a case.

A definition's document (the agreed format, see ``docs/applications.md``)
is stored as numbered versions; a draft and a case keep the version they
were started with, so editing a definition never changes a filed case.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import STATES, SUBMITTED


class DefinitionStatus(models.TextChoices):
    ACTIVE = "active", _("Open for applications")
    RETIRED = "retired", _("Retired")


class ApplicationDefinition(models.Model):
    """One online application (e.g. 失业保险金申领); its content is in versions."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="application_definitions", verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DefinitionStatus.choices,
                              default=DefinitionStatus.ACTIVE)
    current = models.ForeignKey("DefinitionVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("current version"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Every organisation a case of any version can reach (the owner, a
    # bundle's parts, a report's districts): the officers' application filter
    # is built from this, not from a scan of the cases.
    handlers = models.ManyToManyField("accounts.Organisation", blank=True, related_name="handled_definitions",
                                      verbose_name=_("handled by"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("application definition")
        verbose_name_plural = _("application definitions")

    def __str__(self):
        return self.title


class DefinitionVersion(models.Model):
    """One saved document of a definition; never changed after it is saved."""

    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document = models.JSONField(_("document"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["definition", "-number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="unique_definition_version")]

    def __str__(self):
        return f"{self.definition.code} v{self.number}"


class Draft(models.Model):
    """A citizen's unfinished application, on the server so that it can be
    resumed on another device. One per citizen and application."""

    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="application_drafts")
    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.CASCADE, related_name="drafts")
    version = models.ForeignKey(DefinitionVersion, on_delete=models.PROTECT, related_name="drafts")
    data = models.JSONField(default=dict)
    # field -> {"source": code, "value": value} as fetched (to see corrections)
    prefilled = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["citizen", "definition"], name="one_draft_per_application")]


class Case(models.Model):
    """A filed application (办件)."""

    number = models.CharField(_("tracking number"), max_length=32, unique=True)
    # Empty for a problem report filed through Open311 without an account:
    # then ``reporter`` holds the contact data given (never shown publicly).
    citizen = models.ForeignKey("accounts.Citizen", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="cases", verbose_name=_("citizen"))
    reporter = models.JSONField(_("reporter's contact"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=20, default="web")
    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(DefinitionVersion, on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("organisation"))
    idempotency_key = models.CharField(max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=[(s, s) for s in STATES], default=SUBMITTED,
                             db_index=True)
    data = models.JSONField(default=dict)
    prefilled = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    accepted_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    paused_since = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)  # working days waited for the citizen
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)  # not accepted / rejected / material wanted
    appeal = models.TextField(_("how to appeal"), blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_cases", verbose_name=_("officer"))
    letter_token = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            # The same citizen and key give the same case, whatever the retries.
            models.UniqueConstraint(fields=["citizen", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="case_idempotency_key"),
        ]
        indexes = [
            # The officers' queue: its organisations' cases, due first; by one
            # state, or every open one (the order is read from the index).
            models.Index(fields=["organisation", "state", "due_on", "submitted_at"], name="case_queue"),
            models.Index(fields=["organisation", "due_on", "submitted_at"], name="case_queue_due"),
            # ... and of one application (the queue's application filter).
            models.Index(fields=["definition", "due_on", "submitted_at"], name="case_queue_definition"),
        ]

    def __str__(self):
        return self.number


class CasePart(models.Model):
    """One organisation's part of a bundle case (一件事一次办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="case_parts")
    title = models.CharField(max_length=120)
    fields = models.JSONField(default=list)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["case", "id"]
        # Bundles with a part of the officer's organisation, for the queue.
        indexes = [models.Index(fields=["organisation", "case"], name="case_part_organisation")]


class CaseEvent(models.Model):
    """A line of the case's timeline; internal notes are staff-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=30)
    state = models.CharField(max_length=20, blank=True)  # the state after the event
    note = models.TextField(blank=True)
    internal = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class Material(models.Model):
    """An uploaded file, kept under the var folder (never under the web
    root); on a draft until it is submitted, then on the case."""

    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="materials")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(max_length=60)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    stored_as = models.CharField(max_length=200)  # path relative to the materials folder
    supplement = models.BooleanField(default=False)  # handed in after 补正 was asked
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Consent(models.Model):
    """A citizen agreed that ``source`` may be asked for one application."""

    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="prefill_consents")
    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)
    wording = models.TextField()  # the words the citizen agreed to
    given_at = models.DateTimeField(default=timezone.now)
    # Withdrawn: nothing more is fetched until the citizen agrees again (a new row).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]


class DataUseKind(models.TextChoices):
    FETCH = "fetch", _("Fetched")
    WITHDRAW = "withdraw", _("Consent withdrawn")


class DataUse(models.Model):
    """One fetch of a citizen's data from a department for an application:
    what, from where, when, for which application; or the citizen's
    withdrawal of consent to that source. Shown under "my data use"."""

    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="data_uses")
    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)
    holder = models.CharField(max_length=80)  # the department asked, in words
    fields = models.JSONField(default=list)
    ok = models.BooleanField(default=True)
    kind = models.CharField(max_length=10, choices=DataUseKind.choices, default=DataUseKind.FETCH)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]


class PrefillCorrection(models.Model):
    """A value fetched from a department that the citizen changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=80)
    source = models.CharField(max_length=30)
    fetched = models.JSONField(null=True)
    entered = models.JSONField(null=True)

    class Meta:
        ordering = ["case", "field"]


class PrefillSource(models.Model):
    """Where a prefill source's data comes from: a connector of the
    organisation that holds it, and how the citizen is told about it."""

    code = models.CharField(max_length=30, unique=True)
    connector = models.ForeignKey("services.Connector", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    identity_param = models.CharField(max_length=40, default="resident_id")
    holder = models.CharField(_("held by"), max_length=80)  # 市人社局
    what = models.CharField(_("what"), max_length=120)  # 您的参保记录

    def __str__(self):
        return f"{self.code} ({self.holder})"


class Rating(models.Model):
    """The citizen's rating of a completed case (好差评)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class RatingFollowUp(models.Model):
    """A bad rating (1–2) that the organisation must answer or close with a reason."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="follow_up")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    answer = models.TextField(blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
