"""Every change the assistant makes, as named actions.

Residents: :func:`do_record_question` (every question is stored before it
is answered), :func:`do_give_feedback`, :func:`do_hand_off` ("ask a
person"). Staff: :func:`do_save_faq`, :func:`do_review_faq`,
:func:`do_retire_faq`, :func:`do_promote_reply_to_faq` (an official answer
from the comment area becomes an FAQ draft) and :func:`do_answer_handoff`
(the answer reaches the resident through their notifications).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from civichall.accounts import policy
from civichall.accounts.models import Organisation
from civichall.core.errors import Refusal

from .models import (
    MAX_QUESTION_LENGTH,
    AnswerFeedback,
    AskedQuestion,
    Faq,
    FaqStatus,
    Handoff,
    HandoffState,
    Outcome,
)
from .permissions import access_faq, access_handoff

CHANNELS = ("web", "api", "cli", "wechat")
MAX_ANSWER_LENGTH = 4000


# --- questions -----------------------------------------------------------------------------


def check_question(text) -> str:
    """The question, stripped; a refusal a resident understands otherwise."""
    if not isinstance(text, str):
        raise Refusal("invalid", _("Please type your question as text."), 422,
                      {"question": _("Please type your question as text.")})
    # NUL and lone surrogates cannot be stored (PostgreSQL refuses them) and mean nothing
    text = "".join(ch for ch in text if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    text = " ".join(text.split())
    if not text:
        raise Refusal("invalid", _("Please type a question, for example “失业了怎么领钱”."), 422,
                      {"question": _("Please type a question.")})
    if len(text) > MAX_QUESTION_LENGTH:
        message = _("Your question is too long; please ask it in at most %(n)d characters.") % {
            "n": MAX_QUESTION_LENGTH}
        raise Refusal("invalid", message, 422, {"question": message})
    return text


def do_record_question(text, *, citizen=None, organisation=None, channel="web", lang="zh-hans"):
    """Store a question as asked (before anything else happens to it)."""
    text = check_question(text)
    return AskedQuestion.objects.create(
        text=text, citizen=citizen, organisation=organisation,
        channel=channel if channel in CHANNELS else "web", lang=(lang or "zh-hans")[:10])


def do_record_answer(asked, result):
    """Keep what was answered to ``asked`` (for the staff's report)."""
    if result.out_of_scope:
        outcome = Outcome.OUT_OF_SCOPE
    elif result.intent:
        outcome = Outcome.QUERY
    elif result.confident:
        outcome = Outcome.ANSWERED
    else:
        outcome = Outcome.UNSURE
    asked.outcome = outcome
    asked.confident = result.confident
    asked.answers = [{k: a.get(k) for k in ("kind", "title", "url", "service_code", "source", "score")}
                     for a in result.answers]
    asked.top_source = result.answers[0]["source"] if result.answers else ""
    asked.save(update_fields=["outcome", "confident", "answers", "top_source"])
    return asked


def access_asked(citizen, asked_id):
    """The question ``asked_id`` if ``citizen`` asked it (another's is missing: 404)."""
    asked = AskedQuestion.objects.filter(pk=asked_id).first()
    if asked is None or (asked.citizen_id is not None and (citizen is None or asked.citizen_id != citizen.pk)):
        raise Refusal("not_found", _("This question was not found."), 404)
    return asked


def do_give_feedback(citizen, asked_id, source, helpful):
    """A resident's "helpful / not helpful" on one answer; a second one replaces the first."""
    asked = access_asked(citizen, asked_id)
    if not isinstance(helpful, bool):
        raise Refusal("invalid", _("Say whether the answer helped."), 422, {"helpful": _("Choose yes or no.")})
    if source not in {a.get("source") for a in asked.answers}:
        raise Refusal("invalid", _("This answer was not given to the question."), 422,
                      {"source": _("Choose one of the answers given.")})
    feedback, _created = AnswerFeedback.objects.update_or_create(
        asked=asked, answer_source=source, defaults={"helpful": helpful})
    return feedback


# --- asking a person -----------------------------------------------------------------------


def _route(asked):
    """(organisation, why): the owner of the best candidate, else the comment
    area's routing rules by keyword, else the municipal account."""
    from civichall.interaction import routing
    from civichall.interaction.models import RoutingRule

    rules = [routing.Rule(id=r.pk, organisation=r.organisation.slug, keywords=routing.parse_keywords(r.keywords),
                          priority=r.priority, name=r.name)
             for r in RoutingRule.objects.filter(active=True).select_related("organisation")]
    rules = [r for r in rules if r.keywords]
    found = routing.route(asked.text, "", (), rules)
    if found.organisation:
        return Organisation.objects.get(slug=found.organisation), f"rule: {found.rule.name}"
    if asked.organisation is not None:
        return asked.organisation, "asked of the organisation"
    for answer in asked.answers[:1]:
        slug = answer.get("organisation")
        if slug:
            org = Organisation.objects.filter(slug=slug).first()
            if org is not None:
                return org, "owner of the best candidate"
    municipal = Organisation.objects.filter(kind="municipal").order_by("pk").first()
    if municipal is None:
        raise Refusal("unavailable", _("Nobody can take questions at the moment; please call the hotline."), 503)
    return municipal, "municipal account"


def do_hand_off(citizen, asked_id):
    """Hand the question ``asked_id`` to a person: routed, with an answer due
    date; asking twice gives the same hand-off."""
    from civichall.interaction.actions.common import interaction_settings
    from civichall.interaction.sla import due_at

    if citizen is None:
        raise Refusal("unauthorized", _("Please sign in so that the answer can reach you."), 401)
    with transaction.atomic():
        asked = access_asked(citizen, asked_id)
        asked = AskedQuestion.objects.select_for_update().get(pk=asked.pk)
        existing = Handoff.objects.filter(asked=asked).first()
        if existing is not None:
            return existing
        if asked.citizen_id is None:
            asked.citizen = citizen
        organisation, why = _route(asked)
        now = timezone.now()
        handoff = Handoff.objects.create(
            asked=asked, citizen=citizen, organisation=organisation, routed_by=why[:200], created_at=now,
            due_at=due_at(now, interaction_settings(organisation).sla_targets))
        asked.handed_off = True
        asked.save(update_fields=["handed_off", "citizen"])
        log(instance=handoff, action="civichall.assistant.hand_off", user=None,
            data={"organisation": organisation.slug, "routed_by": why})
    return handoff


def do_answer_handoff(user, handoff, text):
    """A member of the organisation answers a handed-off question; the
    resident is notified."""
    from civichall.notify.services import notify_citizen

    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise Refusal("invalid", _("Write the answer."), 422, {"answer": _("Write the answer.")})
    if len(text) > MAX_ANSWER_LENGTH:
        raise Refusal("invalid", _("The answer is too long."), 422, {"answer": _("The answer is too long.")})
    with transaction.atomic():
        handoff = Handoff.objects.select_for_update().select_related("asked").get(pk=handoff.pk)
        access_handoff(user, handoff, "answer")
        if handoff.state == HandoffState.ANSWERED:
            raise Refusal("conflict", _("This question has already been answered."), 409)
        handoff.answer = text
        handoff.state = HandoffState.ANSWERED
        handoff.answered_by = policy.recorded_user(user)
        handoff.answered_at = timezone.now()
        handoff.save()
        log(instance=handoff, action="civichall.assistant.answer_handoff", user=policy.recorded_user(user))
        notify_citizen(handoff.citizen, "answer",
                       f"您问的“{handoff.asked.text[:40]}”有了答复：{text}", link="/assistant/")
    return handoff


# --- the FAQ -------------------------------------------------------------------------------


def check_faq(organisation, questions, answer, link_url=""):
    problems = {}
    variants = [q.strip() for q in (questions or "").splitlines() if q.strip()]
    if not variants:
        problems["questions"] = _("Write at least one way of asking.")
    elif any(len(v) > MAX_QUESTION_LENGTH for v in variants):
        problems["questions"] = _("A question variant is too long.")
    if not (answer or "").strip():
        problems["answer"] = _("Write the answer.")
    if link_url and not link_url.startswith(("/", "https://", "http://")):
        problems["link_url"] = _("Enter an address starting with https:// or http://, or a path starting with /.")
    if organisation is None:
        problems["organisation"] = _("Choose the organisation that answers.")
    if problems:
        raise Refusal("invalid", _("The FAQ entry is not complete."), 422, problems)
    return "\n".join(variants)


def do_save_faq(user, faq=None, *, organisation, questions, answer, service=None, link_url=""):
    """Create or change an FAQ entry; a changed entry goes back to review."""
    questions = check_faq(organisation, questions, answer, link_url)
    with transaction.atomic():
        if faq is None or faq.pk is None:
            faq = faq or Faq()
            faq.created_by = policy.recorded_user(user)
            faq.organisation = organisation
            access_faq(user, faq, "edit")
            created = True
        else:
            faq = access_faq(user, Faq.objects.select_for_update().get(pk=faq.pk), "edit")
            faq.organisation = organisation
            access_faq(user, faq, "edit")  # also allowed in the organisation it moves to
            created = False
        faq.questions, faq.answer, faq.service, faq.link_url = questions, answer.strip(), service, link_url
        faq.status = FaqStatus.DRAFT
        faq.reviewed_by = faq.reviewed_at = None
        faq.save()
        log(instance=faq, action="civichall.assistant.faq_create" if created else "civichall.assistant.faq_edit",
            user=policy.recorded_user(user))
    return faq


def do_review_faq(user, faq, approve=True):
    """A reviewer puts a draft live (or sends it back to draft)."""
    with transaction.atomic():
        faq = access_faq(user, Faq.objects.select_for_update().get(pk=faq.pk), "review")
        if faq.created_by_id is not None and faq.created_by_id == getattr(user, "pk", None) \
                and not getattr(user, "is_superuser", False) and approve:
            raise Refusal("forbidden", _("Another reviewer must approve what you wrote."), 403)
        faq.status = FaqStatus.LIVE if approve else FaqStatus.DRAFT
        faq.reviewed_by = policy.recorded_user(user)
        faq.reviewed_at = timezone.now()
        faq.save()
        log(instance=faq, action="civichall.assistant.faq_approve" if approve else "civichall.assistant.faq_return",
            user=policy.recorded_user(user))
    return faq


def do_retire_faq(user, faq):
    """Take an FAQ entry out of the answers."""
    with transaction.atomic():
        faq = access_faq(user, Faq.objects.select_for_update().get(pk=faq.pk), "edit")
        faq.status = FaqStatus.RETIRED
        faq.save()
        log(instance=faq, action="civichall.assistant.faq_retire", user=policy.recorded_user(user))
    return faq


def do_delete_faq(user, faq):
    """Delete an FAQ entry (the admin's delete)."""
    with transaction.atomic():
        faq = access_faq(user, Faq.objects.select_for_update().get(pk=faq.pk), "edit")
        log(instance=faq, action="wagtail.delete", user=policy.recorded_user(user))
        faq.delete()


def do_promote_reply_to_faq(user, reply, questions=None):
    """An official reply from the comment area becomes an FAQ draft of the
    organisation that answered: the comment is the question, the reply the
    answer; a reviewer puts it live."""
    from civichall.interaction.models import OfficialReply

    reply = OfficialReply.objects.select_related("comment", "organisation").get(pk=reply.pk)
    if getattr(reply, "status", "published") != "published":
        raise Refusal("conflict", _("Only a published answer can become an FAQ entry."), 409)
    existing = Faq.objects.filter(source_reply=reply).exclude(status=FaqStatus.RETIRED).first()
    if existing is not None:
        raise Refusal("conflict", _("This answer is already in the FAQ."), 409)
    asked = questions or (reply.comment.public_text or reply.comment.text)
    faq = do_save_faq(user, Faq(source_reply=reply), organisation=reply.organisation, questions=asked,
                      answer=reply.text, link_url=reply.comment.public_url())
    return faq


def check_staff(user):
    if user is None or not getattr(user, "is_authenticated", False) and not policy.is_system(user):
        raise PermissionDenied
