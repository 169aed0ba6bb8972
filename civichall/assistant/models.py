"""The assistant's records: the curated FAQ of each organisation, every
question asked (stored before it is answered), feedback on answers, and the
questions handed to a person."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_QUESTION_LENGTH = 500


class FaqStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting review")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class Faq(models.Model):
    """A curated answer: the ways residents ask it and the organisation's
    answer. It is answered from only once a reviewer has approved it."""

    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="faqs")
    questions = models.TextField(_("question variants"),
                                 help_text=_("One way of asking per line, as residents ask it."))
    answer = models.TextField(_("answer"))
    service = models.ForeignKey("services.Service", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    link_url = models.CharField(_("link"), max_length=500, blank=True,
                                help_text=_("A page of this site (starting with /) that says more."))
    status = models.CharField(_("status"), max_length=20, choices=FaqStatus.choices, default=FaqStatus.DRAFT)
    source_reply = models.ForeignKey("interaction.OfficialReply", verbose_name=_("from the answer"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

    def __str__(self):
        return self.first_question()

    def variants(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def first_question(self):
        variants = self.variants()
        return variants[0] if variants else ""


class Outcome(models.TextChoices):
    PENDING = "pending", _("Being answered")
    ANSWERED = "answered", _("Answered")
    UNSURE = "unsure", _("Low confidence")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    QUERY = "query", _("Ran a query")


class AskedQuestion(models.Model):
    """A question as asked, stored before it is answered; what was answered."""

    text = models.TextField(_("question"))
    channel = models.CharField(_("channel"), max_length=20, default="web")
    lang = models.CharField(_("language"), max_length=10, default="zh-hans")
    citizen = models.ForeignKey("accounts.Citizen", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    confident = models.BooleanField(_("confident"), default=False)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    top_source = models.CharField(_("first answer"), max_length=200, blank=True)
    handed_off = models.BooleanField(_("handed to a person"), default=False)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("question asked")
        verbose_name_plural = _("questions asked")

    def __str__(self):
        return self.text[:40]


class AnswerFeedback(models.Model):
    """A resident's "helpful / not helpful" on one answer."""

    asked = models.ForeignKey(AskedQuestion, on_delete=models.CASCADE, related_name="feedback")
    answer_source = models.CharField(_("answer"), max_length=200)
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer feedback")
        constraints = [models.UniqueConstraint(fields=["asked", "answer_source"], name="one_feedback_per_answer")]


class HandoffState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class Handoff(models.Model):
    """A question the assistant could not answer, handed to the organisation
    the routing rules name, with a first-answer deadline."""

    asked = models.OneToOneField(AskedQuestion, on_delete=models.PROTECT, related_name="handoff")
    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="assistant_handoffs")
    routed_by = models.CharField(_("routed by"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=HandoffState.choices, default=HandoffState.OPEN)
    created_at = models.DateTimeField(_("handed over at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("question for a person")
        verbose_name_plural = _("questions for a person")

    def __str__(self):
        return self.asked.text[:40]


class KnowledgeChange(models.Model):
    """One committed change to what the assistant answers from: a service, a
    page, an FAQ entry or an application's definition (``kind`` and the
    object's id), or ``all`` when everything must be compared again. Each web
    process re-reads only the objects changed after the entry it holds
    (``assistant.index``); entries older than a week are pruned."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("knowledge change")
        verbose_name_plural = _("knowledge changes")

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
