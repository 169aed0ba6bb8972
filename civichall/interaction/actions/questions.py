"""Questions: detection and routing of a comment that asks something, the
staff's actions on a question (mark, un-mark, reassign, close, notes, through
the pure transition table in ``lifecycle``) and the SLA clock."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts.models import Organisation
from civichall.core.memo import remembered
from civichall.notify.services import notify_citizen

from .. import lifecycle, routing
from ..models import (
    RECENT,
    RULES_CACHE_KEY,
    NoteKind,
    Question,
    QuestionNote,
    QuestionState,
    RoutedBy,
    RoutingRule,
)
from ..permissions import access_comment, access_question
from ..questions import detect
from .common import (
    MAX_NOTE_LENGTH,
    InteractionError,
    _locked,
    _thread_ids,
    interaction_settings,
)
from .transitions import comment_next

logger = logging.getLogger("civichall.interaction")


# --- questions: detection and routing --------------------------------------------------


def _rules():
    """The active routing rules as ``routing.Rule`` (cached; a change forgets them)."""
    return RECENT.get(RULES_CACHE_KEY, lambda: remembered(RULES_CACHE_KEY, _load_rules, 60))


def _load_rules():
    return [
        routing.Rule(
            id=rule.pk, organisation=rule.organisation.slug,
            topics=frozenset(t.slug for t in rule.topics.all()),
            keywords=routing.parse_keywords(rule.keywords), priority=rule.priority, name=rule.name,
        )
        for rule in RoutingRule.objects.filter(active=True).select_related("organisation").prefetch_related("topics")
    ]


def route_question(comment):
    """(organisation, routed_by, rule) for a question asked as ``comment``."""
    if comment.parent_id:
        previous = _latest_thread_question(comment)
        if previous is not None:
            return previous.organisation, RoutedBy.FOLLOW_UP, None, previous
    article = comment.article
    owner = article.author_organisation
    # The article's topics change when it is published again; routing may
    # use what this process read within the last second.
    topics = RECENT.get(f"article-topics:{article.pk}",
                        lambda: list(article.topics.values_list("slug", flat=True)))
    found = routing.route(comment.text, owner.slug if owner else "", topics, _rules())
    if found.via == "rule":
        organisation = Organisation.objects.filter(slug=found.organisation).first()
        if organisation is not None:
            return organisation, RoutedBy.RULE, RoutingRule.objects.filter(pk=found.rule.id).first(), None
    return owner, RoutedBy.ARTICLE, None, None


def _latest_thread_question(comment):
    root = comment.root
    return (Question.objects.filter(comment_id__in=_thread_ids(root))
            .exclude(comment_id=comment.pk).exclude(state=QuestionState.UNMARKED)
            .order_by("-asked_at", "-id").first())


def _detect_question(comment, user=None, force=False):
    """Make ``comment`` a question if it asks something (or ``force``)."""
    if not (force or detect(comment.text)) or Question.objects.filter(comment=comment).exists():
        return None
    question = question_for(comment, user=user, force=force)
    if question is not None:
        question.save()
    return question


def question_for(comment, user=None, force=False):
    """The unsaved, routed ``Question`` that ``comment`` asks, or None if it
    asks nothing (unless ``force``) or nobody can answer it."""
    found = detect(comment.text)
    if not (found or force):
        return None
    organisation, routed_by, rule, previous = route_question(comment)
    if organisation is None:
        return None
    return Question(
        comment=comment, organisation=organisation, detected=not force, cues=" ".join(found.cues)[:200],
        marked_by=user, routed_by=routed_by, routing_rule=rule, follows=previous,
        asked_at=comment.created_at,
    )


# --- questions: staff actions -----------------------------------------------------------------


@transaction.atomic
def do_mark_question(user, comment):
    """Staff mark a comment as a question (or mark an un-marked one again)."""
    comment = _locked(comment)
    access_comment(user, comment, "mark")
    comment_next(comment, "mark")
    question = Question.objects.select_for_update().filter(comment=comment).first()
    if question is None:
        question = _detect_question(comment, user=user, force=True)
    elif question.state == QuestionState.UNMARKED:
        access_question(user, question, "mark")
        question.state = lifecycle.next_state(question.state, "mark")
        question.marked_by, question.unmark_reason = user, ""
        question.save()
    else:
        return question
    QuestionNote.objects.create(question=question, author=user, kind=NoteKind.MARK,
                                text=_("Marked as a question."))
    log(instance=question, action="civichall.question.mark", user=user)
    return question


def _transition(question, event, **facts):
    try:
        return lifecycle.next_state(question.state, event, question_id=question.pk,
                                    organisation=question.organisation_id, **facts)
    except lifecycle.TransitionError as error:
        messages = {
            "ended": _("This question has already ended (%(state)s).") % {
                "state": question.get_state_display()},
            "no_reason": _("Please write the reason in at least 5 characters."),
            "no_where_to_go": _("Say where the asker can go instead (at least 5 characters)."),
            "no_duplicate": _("Choose the question this one duplicates."),
            "self_duplicate": _("A question cannot duplicate itself."),
            "bad_duplicate": _("The original question must be open or answered."),
            "same_organisation": _("Choose another organisation."),
        }
        message = messages.get(error.code, _("This cannot be done to the question now."))
        if error.code in ("ended", "not_allowed"):
            raise InteractionError(error.code, message) from error
        raise ValidationError(message) from error


def _locked_question(question):
    return Question.objects.select_for_update().select_related("comment__article").get(pk=question.pk)


@transaction.atomic
def do_unmark_question(user, question, reason):
    """Not a question after all: needs a reason, only before any answer; the
    record stays (state ``unmarked``) and can be marked again."""
    question = _locked_question(question)
    access_question(user, question, "unmark")
    question.state = _transition(question, "unmark", reason=reason)
    question.unmark_reason = reason.strip()[:MAX_NOTE_LENGTH]
    question.save()
    QuestionNote.objects.create(question=question, author=user, kind=NoteKind.MARK,
                                text=_("Un-marked: %(reason)s") % {"reason": question.unmark_reason})
    log(instance=question, action="civichall.question.unmark", user=user,
        data={"reason": question.unmark_reason})
    return question


@transaction.atomic
def do_assign_question(user, question, organisation, note):
    """Hand a question to another organisation with a note; its clock keeps
    running from when the citizen asked."""
    question = _locked_question(question)
    access_question(user, question, "assign")
    if organisation is None:
        raise ValidationError(_("Choose an organisation."))
    question.state = _transition(question, "reassign", new_organisation=organisation.pk, reason=note)
    previous = question.organisation
    question.organisation, question.routed_by, question.routing_rule = organisation, RoutedBy.STAFF, None
    question.escalated_at = None
    question.save()
    QuestionNote.objects.create(
        question=question, author=user, kind=NoteKind.REASSIGN,
        text=_("Reassigned from %(old)s to %(new)s: %(note)s") % {
            "old": previous, "new": organisation, "note": note.strip()[:MAX_NOTE_LENGTH]},
    )
    log(instance=question, action="civichall.question.assign", user=user,
        data={"from": previous.slug, "to": organisation.slug, "note": note.strip()})
    return question


CLOSE_KINDS = ("duplicate", "out_of_scope")


@transaction.atomic
def do_close_question(user, question, kind, *, duplicate_of=None, where_to_go="", public_reason=""):
    """Close a question with a public reason: a duplicate of another question
    (linked), or out of scope with where to go instead. The asker is told."""
    question = _locked_question(question)
    access_question(user, question, "close")
    if kind not in CLOSE_KINDS:
        raise ValidationError(_("Choose how to close: duplicate or out of scope."))
    public_reason = (public_reason or "").strip()[:MAX_NOTE_LENGTH]
    if kind == "duplicate":
        original = Question.objects.filter(pk=getattr(duplicate_of, "pk", duplicate_of)).first()
        question.state = _transition(
            question, "close_duplicate", duplicate_of_id=getattr(original, "pk", None),
            duplicate_of_state=getattr(original, "state", None),
        )
        question.duplicate_of = original
        public_reason = public_reason or _("The same question was asked and is answered here.")
    else:
        question.state = _transition(question, "close_out_of_scope", where_to_go=where_to_go)
        question.where_to_go = where_to_go.strip()[:MAX_NOTE_LENGTH]
        public_reason = public_reason or _("This is not something this account can answer.")
    question.public_reason, question.closed_at, question.closed_by = public_reason, timezone.now(), user
    question.save()
    log(instance=question, action="civichall.question.close", user=user,
        data={"kind": kind, "reason": public_reason, "duplicate_of": question.duplicate_of_id,
              "where_to_go": question.where_to_go})
    citizen = question.comment.citizen
    if citizen is not None:
        text = _("Your question was closed: %(reason)s") % {"reason": public_reason}
        if question.where_to_go:
            text += " " + _("Where to go: %(where)s") % {"where": question.where_to_go}
        notify_citizen(citizen, "question_closed", text, question.comment.public_url())
    return question


@transaction.atomic
def do_add_note(user, question, text):
    """An internal note, read only by staff of the owning organisation."""
    access_question(user, question, "note")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The note is empty."))
    return QuestionNote.objects.create(question=question, author=user, text=text[:MAX_NOTE_LENGTH])


# --- the clock --------------------------------------------------------------------------------


def escalate_overdue_questions(now=None):
    """Escalate every open question past its organisation's first-answer time
    (once each): an internal note, the audit log, and a notice on the
    dashboards of the organisation's reviewers. Safe to run on several
    workers at once. Returns the questions escalated."""
    now = now or timezone.now()
    escalated = []
    orgs = Question.objects.filter(state=QuestionState.OPEN, escalated_at__isnull=True).values_list(
        "organisation_id", flat=True).distinct()
    for org_id in set(orgs):
        hours = interaction_settings(org_id).first_answer_hours
        cutoff = now - timezone.timedelta(hours=hours)
        overdue = Question.objects.filter(organisation_id=org_id, state=QuestionState.OPEN,
                                          escalated_at__isnull=True, asked_at__lte=cutoff)
        for question in overdue:
            with transaction.atomic():
                taken = Question.objects.filter(pk=question.pk, escalated_at__isnull=True,
                                                state=QuestionState.OPEN).update(escalated_at=now)
                if not taken:
                    continue
                QuestionNote.objects.create(
                    question=question, kind=NoteKind.ESCALATION, created_at=now,
                    text=_("Overdue: no answer within %(hours)d hours; the reviewers were alerted.")
                    % {"hours": hours},
                )
                log(instance=question, action="civichall.question.escalate", data={"hours": hours})
            escalated.append(question)
    return escalated

