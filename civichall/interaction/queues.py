"""What staff see: the moderation queue, the question queues, replies waiting
for approval -- each limited to the organisations the person works for.

Read-only helpers for the admin, the API and the dashboards.
"""

from django.db.models import Q
from django.utils import timezone

from civichall.accounts import policy

from .models import (
    MODERATION_QUEUE, Comment, OfficialReply, OrganisationInteractionSettings, Question,
    QuestionState, ReplyStatus,
)


def moderation_queryset(user):
    """Comments waiting for a person (not yet checked, flagged, hidden after
    reports) under the articles of the organisations ``user`` moderates for;
    oldest first."""
    qs = Comment.objects.filter(status__in=MODERATION_QUEUE).select_related(
        "article", "citizen", "article__author_organisation")
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


__all__ = ["moderation_queryset", "question_queue", "replies_awaiting", "returned_replies",
           "escalated_for", "with_sla", "Q"]
