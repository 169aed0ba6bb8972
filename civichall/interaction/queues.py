"""What staff see: the moderation queue, the question queues, replies waiting
for approval -- each limited to the organisations the person works for.

Read-only helpers for the admin, the API and the dashboards.
"""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from civichall.accounts import policy

from .models import (
    MODERATION_QUEUE,
    Comment,
    CommentReport,
    OfficialReply,
    OrganisationInteractionSettings,
    Question,
    QuestionState,
    ReplyStatus,
)
from .sla import DUE_SOON, OK, OVERDUE


def moderation_queryset(user):
    """Comments waiting for a person (not yet checked, flagged, hidden after
    reports) under the articles of the organisations ``user`` moderates for;
    oldest first."""
    open_reports = Prefetch("reports", queryset=CommentReport.objects.filter(resolved_at__isnull=True),
                            to_attr="open_reports")
    qs = Comment.objects.filter(status__in=MODERATION_QUEUE).select_related(
        "article", "citizen", "article__author_organisation", "question").prefetch_related(open_reports)
    return policy.filter_allowed(user, "comment", "moderate", qs).order_by("created_at", "id")


def question_queue(user, organisation=None, state=QuestionState.OPEN):
    """Questions owned by the organisations ``user`` works for, oldest first."""
    qs = Question.objects.select_related(
        "comment", "comment__article", "comment__citizen", "organisation", "routing_rule")
    qs = policy.filter_allowed(user, "question", "answer", qs)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("asked_at", "id")


def replies_awaiting(user):
    """Replies waiting for approval by ``user`` (a reviewer of the replying organisation)."""
    qs = OfficialReply.objects.filter(status=ReplyStatus.PENDING_APPROVAL).select_related(
        "comment", "comment__article", "organisation", "author")
    return policy.filter_allowed(user, "reply", "approve", qs).order_by("created_at", "id")


def returned_replies(user):
    """Replies sent back to ``user`` (the writer)."""
    return OfficialReply.objects.filter(status=ReplyStatus.RETURNED, author=user).select_related(
        "comment", "comment__article", "organisation").order_by("-updated_at")


def escalated_for(user):
    """Overdue, escalated open questions of the organisations ``user`` reviews."""
    qs = Question.objects.filter(state=QuestionState.OPEN, escalated_at__isnull=False).select_related(
        "comment", "comment__article", "organisation")
    escalated_to = policy.organisations_where(user, "organisation", "see_escalations")
    return qs.filter(organisation__in=escalated_to).order_by("asked_at", "id")


def with_sla(questions, now=None):
    """Pairs (question, sla state, due at) using each organisation's targets (one query)."""
    now = now or timezone.now()
    questions = list(questions)
    org_ids = {q.organisation_id for q in questions}
    saved = {s.organisation_id: s for s in
             OrganisationInteractionSettings.objects.filter(organisation_id__in=org_ids)}
    out = []
    for q in questions:
        targets = (saved.get(q.organisation_id) or OrganisationInteractionSettings()).sla_targets
        out.append((q, q.sla_state(now, targets), q.due_at(targets)))
    return out


def sla_counts(questions, now=None):
    """``{"ok": n, "due_soon": n, "overdue": n}`` for the unanswered questions
    of ``questions`` (a queryset), counted by the database: the same states
    as :func:`with_sla` gives one by one, without loading a question. Each
    organisation's targets turn into two cut-offs on ``asked_at``."""
    now = now or timezone.now()
    questions = questions.filter(first_answer_at__isnull=True).order_by()
    org_ids = set(questions.values_list("organisation_id", flat=True).distinct())
    saved = {s.organisation_id: s.sla_targets for s in
             OrganisationInteractionSettings.objects.filter(organisation_id__in=org_ids)}
    default = OrganisationInteractionSettings().sla_targets
    groups = {}
    for org_id in org_ids:
        groups.setdefault(saved.get(org_id, default), []).append(org_id)
    counts = {OK: 0, DUE_SOON: 0, OVERDUE: 0}
    for targets, ids in groups.items():
        overdue_from = now - timedelta(hours=targets.first_answer_hours)  # asked at or before: overdue
        due_soon_from = overdue_from + targets.window
        found = questions.filter(organisation_id__in=ids).aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(asked_at__lte=overdue_from)),
            due_soon=Count("pk", filter=Q(asked_at__gt=overdue_from, asked_at__lte=due_soon_from)),
        )
        counts[OVERDUE] += found["overdue"]
        counts[DUE_SOON] += found["due_soon"]
        counts[OK] += found["total"] - found["overdue"] - found["due_soon"]
    return counts


__all__ = ["sla_counts", "moderation_queryset", "question_queue", "replies_awaiting", "returned_replies",
           "escalated_for", "with_sla", "Q"]
