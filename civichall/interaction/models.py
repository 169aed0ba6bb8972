"""Records of the comment area: comments, likes, reports, official replies,
questions with their internal notes, routing rules and each organisation's
settings.

Change them only through ``actions`` (they validate, authorise through
``permissions`` and write the audit log). Nothing a citizen wrote is ever
deleted: a comment deleted by its author keeps its text for audit, and a
question cannot be deleted at all (see ``Question.delete``).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civichall.core.memo import Recent, forget, remembered

from . import lifecycle, sla

# --- settings per organisation ------------------------------------------------------

SETTINGS_CACHE_SECONDS = 60


class OrganisationInteractionSettings(models.Model):
    """How an organisation runs the comment area under its articles."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="interaction_settings",
        verbose_name=_("organisation"),
    )
    comments_open_by_default = models.BooleanField(
        _("comments open on new articles"), default=True,
        help_text=_("New articles start with comments open or closed; each article can change it."),
    )
    pre_moderation = models.BooleanField(
        _("show featured comments only"), default=False,
        help_text=_("Comments that pass the safety check wait until a member of staff features them."),
    )
    replies_need_approval = models.BooleanField(
        _("official replies need a reviewer's approval"), default=False,
    )
    first_answer_hours = models.PositiveIntegerField(
        _("first answer within (hours)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment is hidden"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    edit_window_minutes = models.PositiveIntegerField(
        _("authors may edit or delete for (minutes)"), default=30,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Deleting is always possible; editing only within this window."),
    )

    class Meta:
        verbose_name = _("comment settings")
        verbose_name_plural = _("comment settings")

    def __str__(self):
        return str(self.organisation)

    @classmethod
    def for_organisation(cls, organisation):
        """The organisation's settings, or the defaults (unsaved) if it has none.

        Read on every comment, so kept in the cache for a minute and by each
        process for a second (``RECENT``); saving settings forgets both (other
        processes see the change within that second; with a local-memory
        cache, within ``SETTINGS_CACHE_SECONDS``).
        """
        if organisation is None:
            return cls()
        org_id = getattr(organisation, "pk", organisation)
        key = settings_key(org_id)
        values = RECENT.get(key, lambda: remembered(
            key, lambda: cls.objects.filter(organisation_id=org_id).values().first() or {},
            SETTINGS_CACHE_SECONDS))
        if values:
            return cls(**values)
        return cls(organisation_id=org_id)

    @property
    def sla_targets(self):
        return sla.SlaTargets(first_answer_hours=self.first_answer_hours)


# --- comments ------------------------------------------------------------------------


class CommentStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not yet checked")
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Waiting to be featured")
    MODERATION = "moderation", _("Waiting for moderation")
    BLOCKED = "blocked", _("Blocked")
    HIDDEN = "hidden", _("Hidden pending review")
    DELETED = "deleted", _("Deleted by the author")


#: Statuses a moderator looks at.
MODERATION_QUEUE = (CommentStatus.RECEIVED, CommentStatus.MODERATION, CommentStatus.HIDDEN)


class Comment(models.Model):
    """A citizen's comment under an article, or a follow-up in a thread.

    ``text`` is what the citizen wrote, kept for staff and audit;
    ``public_text`` is what the public sees (personal data masked). Only
    ``visible`` comments are public.
    """

    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.PROTECT, related_name="citizen_comments",
        verbose_name=_("article"),
    )
    citizen = models.ForeignKey(
        "accounts.Citizen", null=True, on_delete=models.SET_NULL, related_name="comments",
        verbose_name=_("citizen"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups",
        verbose_name=_("thread"),
    )
    text = models.TextField(_("text as written"))
    public_text = models.TextField(_("public text"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.RECEIVED,
        db_index=True,
    )
    safety = models.JSONField(_("safety check"), default=dict, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    likes_count = models.PositiveIntegerField(_("likes"), default=0)
    reports_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    history = models.JSONField(default=list, blank=True, help_text="earlier texts, for audit")
    address_hash = models.CharField(max_length=64, blank=True)
    client_key = models.CharField(
        max_length=64, null=True, blank=True,
        help_text="the client's idempotency key: a retried post returns the same comment",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(_("moderation note"), blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "client_key"], name="unique_comment_client_key"),
        ]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status")]

    def __str__(self):
        return f"#{self.pk} {self.text[:30]}"

    @property
    def is_public(self):
        return self.status == CommentStatus.VISIBLE

    @property
    def author_name(self):
        if self.citizen_id is None:
            return str(_("Former user"))
        return self.citizen.public_name

    @property
    def root(self):
        return self.parent if self.parent_id else self

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    def public_url(self):
        return f"{self.article.url}#{self.anchor}" if self.article.url else f"#{self.anchor}"

    @property
    def organisation(self):
        """The organisation whose article this comment is under."""
        return self.article.author_organisation


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "citizen"], name="unique_comment_like")]


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off_topic", _("Off topic")


class CommentReport(models.Model):
    """A citizen's report of a comment; one per citizen and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        constraints = [models.UniqueConstraint(fields=["comment", "citizen"], name="unique_comment_report")]


# --- official replies ---------------------------------------------------------------


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for a reviewer")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned to the writer")


class OfficialReply(models.Model):
    """A reply in the account's name to a comment. Published only after the
    safety ``reply`` check passed (and a reviewer approved it, where the
    organisation asks for that)."""

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="official_replies", verbose_name=_("comment"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="official_replies",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT, db_index=True,
    )
    tone = models.JSONField(_("tone check"), default=dict, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    supplement = models.ForeignKey(
        "content.SupplementPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("promoted to supplement"),
    )

    class Meta:
        verbose_name = _("official reply")
        verbose_name_plural = _("official replies")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.organisation}: {self.text[:30]}"

    @property
    def is_published(self):
        return self.status == ReplyStatus.PUBLISHED

    def tone_reasons(self):
        return self.tone.get("reasons", []) if isinstance(self.tone, dict) else []


# --- routing rules ------------------------------------------------------------------

#: The compiled rules are cached under this key; saving or deleting a rule clears it.
RULES_CACHE_KEY = "interaction-routing-rules"


class RoutingRule(models.Model):
    """Topics and/or keywords -> the organisation that owns such questions."""

    name = models.CharField(_("name"), max_length=80)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="routing_rules",
        verbose_name=_("route to"),
    )
    topics = models.ManyToManyField(
        "content.Topic", blank=True, related_name="+", verbose_name=_("topics"),
        help_text=_("Matches questions under articles with any of these topics."),
    )
    keywords = models.TextField(
        _("keywords"), blank=True,
        help_text=_("Matches questions containing any of these words (comma or one per line). "
                    "With topics too, both must match."),
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("When several rules match, the highest priority wins."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["-priority", "id"]

    def __str__(self):
        return self.name


# --- questions ------------------------------------------------------------------------


class QuestionState(models.TextChoices):
    OPEN = lifecycle.OPEN, _("Open")
    ANSWERED = lifecycle.ANSWERED, _("Answered")
    CLOSED_DUPLICATE = lifecycle.CLOSED_DUPLICATE, _("Closed: duplicate")
    CLOSED_OUT_OF_SCOPE = lifecycle.CLOSED_OUT_OF_SCOPE, _("Closed: out of scope")
    UNMARKED = lifecycle.UNMARKED, _("Not a question (un-marked)")


class RoutedBy(models.TextChoices):
    ARTICLE = "article", _("The article's organisation")
    RULE = "rule", _("A routing rule")
    FOLLOW_UP = "follow_up", _("Follow-up in a thread")
    STAFF = "staff", _("Reassigned by staff")


class QuestionQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionDenied("questions are never deleted; answer or close them")

    def open(self):
        return self.filter(state=QuestionState.OPEN)


class Question(models.Model):
    """A comment that asks something, owned by one organisation until it ends
    (answered, or closed with a public reason; see ``lifecycle``)."""

    comment = models.OneToOneField(
        Comment, on_delete=models.PROTECT, related_name="question", verbose_name=_("comment"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="questions",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=24, choices=QuestionState.choices, default=QuestionState.OPEN,
        db_index=True,
    )
    detected = models.BooleanField(_("detected automatically"), default=True)
    cues = models.CharField(_("question cues"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    routed_by = models.CharField(_("routed by"), max_length=20, choices=RoutedBy.choices,
                                 default=RoutedBy.ARTICLE)
    routing_rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("routing rule"),
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up_questions",
        verbose_name=_("follows"),
    )
    asked_at = models.DateTimeField(_("asked at"), db_index=True)
    first_answer_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answer = models.ForeignKey(
        OfficialReply, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("answer"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    public_reason = models.TextField(_("public reason"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    where_to_go = models.TextField(_("where to go instead"), blank=True)
    unmark_reason = models.TextField(_("why it is not a question"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["organisation", "state", "asked_at"], name="question_queue")]

    def __str__(self):
        return f"Q{self.pk} {self.comment.text[:30]}"

    def delete(self, *args, **kwargs):
        """Refused: a question ends only answered or closed with a public reason."""
        raise PermissionDenied("questions are never deleted; answer or close them")

    @property
    def is_open(self):
        return self.state == QuestionState.OPEN

    @property
    def has_ended(self):
        return lifecycle.is_end(self.state)

    @property
    def responded_at(self):
        """The first public response: the first answer, or the closing."""
        return self.first_answer_at or self.closed_at

    def sla_targets(self):
        return OrganisationInteractionSettings.for_organisation(self.organisation_id).sla_targets

    def sla_state(self, now=None, targets=None):
        """ok / due_soon / overdue / answered; None for an un-marked question."""
        if self.state == QuestionState.UNMARKED:
            return None
        targets = targets or self.sla_targets()
        return sla.sla_state(self.asked_at, self.responded_at, now or timezone.now(), targets)

    def due_at(self, targets=None):
        return sla.due_at(self.asked_at, targets or self.sla_targets())


#: What this process read lately of the settings and rules asked on every comment.
RECENT = Recent(seconds=1.0)


def settings_key(org_id):
    return f"interaction-settings:{org_id}"


@receiver(post_save, sender=OrganisationInteractionSettings)
@receiver(post_delete, sender=OrganisationInteractionSettings)
def _forget_settings(sender, instance, **kwargs):
    key = settings_key(instance.organisation_id)
    forget(key)
    RECENT.forget(key)


@receiver(post_save, sender=RoutingRule)
@receiver(post_delete, sender=RoutingRule)
@receiver(m2m_changed, sender=RoutingRule.topics.through)
def _forget_rules(sender, **kwargs):
    forget(RULES_CACHE_KEY)
    RECENT.forget(RULES_CACHE_KEY)


@receiver(pre_delete, sender=Question)
def _refuse_question_delete(sender, instance, **kwargs):
    """Also refused when a delete cascades from elsewhere."""
    raise PermissionDenied("questions are never deleted; answer or close them")


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    REASSIGN = "reassign", _("Reassigned")
    ESCALATION = "escalation", _("Escalated")
    MARK = "mark", _("Marked / un-marked")
    SYSTEM = "system", _("System")


class QuestionNote(models.Model):
    """An internal note on a question: only staff of the owning organisation read it."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    kind = models.CharField(max_length=20, choices=NoteKind.choices, default=NoteKind.NOTE)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        ordering = ["created_at", "id"]
