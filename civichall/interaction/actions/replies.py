"""Official replies: written through the tone check, approved where the
organisation asks for it, published, revised, returned, and promoted into a
supplement of the article."""

import html
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from civichall.accounts import policy
from civichall.notify.services import notify_citizen
from civichall.safety import services as safety

from .. import comment_lifecycle, lifecycle, reply_lifecycle
from ..models import (
    Comment,
    OfficialReply,
    Question,
    QuestionState,
)
from ..permissions import access_comment, access_reply
from .comments import _safety_summary
from .common import (
    InteractionError,
    _check_reason,
    _locked,
    check_reply_text,
    interaction_settings,
)
from .transitions import comment_next, reply_next

logger = logging.getLogger("civichall.interaction")


# --- official replies -----------------------------------------------------------------------


def _answering_organisation(user, comment, organisation=None):
    from ..permissions import answering_organisation

    owner = answering_organisation(comment)
    if organisation is not None and organisation.pk != getattr(owner, "pk", None):
        raise PermissionDenied
    return owner


def _check_tone(reply):
    """Run the safety ``reply`` check; None if the check itself failed."""
    try:
        result = safety.check_content(reply.text, "reply")
    except Exception:
        logger.exception("reply check failed for reply %s", reply.pk)
        return None
    safety.record_check(result, text=reply.text, kind="reply", obj=reply, source="reply", user=reply.author)
    return result


def _route_reply(user, reply, request_approval):
    """After writing or revising: returned, pending approval or published."""
    result = _check_tone(reply)
    org_settings = interaction_settings(reply.organisation_id)
    decision = None
    if result is None:
        reply.tone = {"decision": "error", "reasons": [{
            "code": "check_failed", "message": "自动检查暂时不可用，已转交审核人",
            "message_en": "the automatic check is unavailable; sent to a reviewer"}]}
    else:
        reply.tone = _safety_summary(result)
        reply.tone["scores"] = result.get("scores", {})
        decision = result["decision"]
    # Who may approve is asked only where the organisation wants approval.
    needs_approval = (decision not in (None, "block", "review") and org_settings.replies_need_approval
                      and not policy.allows(user, "reply", "approve", reply))
    reply.status = reply_next(reply, "check", decision=decision, request_approval=request_approval,
                              needs_approval=needs_approval)
    reply.save()
    if reply.status == reply_lifecycle.PUBLISHED:
        _publish(reply, user)
    return reply


def _publish(reply, user, approved_by=None):
    now = timezone.now()
    reply.status, reply.published_at = reply_lifecycle.PUBLISHED, now
    if approved_by is not None:
        reply.approved_by = approved_by
    reply.save(update_fields=["status", "published_at", "approved_by", "updated_at"])
    comment = Comment.objects.select_for_update().get(pk=reply.comment_id)
    if comment_lifecycle.allows(comment.status, "show_answered"):
        # An answered comment is shown with its answer: answers are public.
        comment.status, comment.featured, comment.featured_at = comment_next(comment, "show_answered"), True, now
        comment.save(update_fields=["status", "featured", "featured_at"])
    question = Question.objects.select_for_update().filter(comment=comment).first()
    answered = False
    if question is not None and question.state == QuestionState.OPEN:
        question.state = lifecycle.next_state(question.state, "answer", reply_published=True)
        question.first_answer_at, question.answer = now, reply
        question.save(update_fields=["state", "first_answer_at", "answer", "updated_at"])
        log(instance=question, action="civichall.question.answer", user=user, data={"reply": reply.pk})
        answered = True
    log(instance=reply, action="civichall.reply.publish", user=user)
    if comment.citizen_id:
        account = reply.organisation.display_account_name
        if answered:
            notify_citizen(comment.citizen, "answer",
                           _("%(account)s answered your question: %(text)s") % {
                               "account": account, "text": reply.text[:200]}, comment.public_url())
        else:
            notify_citizen(comment.citizen, "reply",
                           _("%(account)s replied to your comment: %(text)s") % {
                               "account": account, "text": reply.text[:200]}, comment.public_url())


@transaction.atomic
def do_reply(user, comment, text, *, request_approval=False, organisation=None):
    """Write an official reply to ``comment`` in the answering organisation's
    name. It passes the safety ``reply`` check first: a flippant, empty or
    bureaucratic reply is *returned* to the writer with the reasons (or, if
    the writer asks, sent to a reviewer); a blocked term always returns it.
    Where the organisation requires it, a reviewer approves before publication.
    """
    comment = _locked(comment)
    access_comment(user, comment, "reply")
    text = check_reply_text(text)
    comment_next(comment, "reply")
    owner = _answering_organisation(user, comment, organisation)
    reply = OfficialReply.objects.create(comment=comment, organisation=owner, author=user, text=text)
    return _route_reply(user, reply, request_approval)


@transaction.atomic
def do_revise_reply(user, reply, text, *, request_approval=False):
    """Rewrite a returned (or waiting) reply; it is checked again."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "revise")
    reply_next(reply, "check")  # a published reply is refused before its text is checked
    reply.text, reply.return_note = check_reply_text(text), ""
    return _route_reply(user, reply, request_approval)


@transaction.atomic
def do_approve_reply(user, reply):
    """A reviewer of the replying organisation publishes a waiting reply."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "approve")
    reply_next(reply, "approve")
    _publish(reply, user, approved_by=user)
    log(instance=reply, action="civichall.reply.approve", user=user)
    return reply


@transaction.atomic
def do_return_reply(user, reply, note):
    """A reviewer sends a waiting reply back to its writer with a note."""
    reply = OfficialReply.objects.select_for_update().get(pk=reply.pk)
    access_reply(user, reply, "approve")
    status = reply_next(reply, "return")
    reply.status, reply.return_note = status, _check_reason(note)
    reply.save(update_fields=["status", "return_note", "updated_at"])
    log(instance=reply, action="civichall.reply.return", user=user, data={"note": reply.return_note})
    return reply


def do_promote_reply(user, reply, title=None):
    """Turn a published answer into a follow-up supplement on the article,
    linking back to the question, and submit it for review."""
    from civichall.content.actions import do_add_supplement
    from civichall.content.models import SupplementKind

    with transaction.atomic():
        reply = OfficialReply.objects.select_for_update().select_related("comment__article").get(pk=reply.pk)
        access_reply(user, reply, "promote")
        article = reply.comment.article
        reply_next(reply, "promote")
        if reply.supplement_id:
            raise InteractionError("already_promoted", _("This answer is already a supplement."))
        comment = reply.comment
        asked = comment.public_text or comment.text
        title = (title or "").strip() or _("Answer in the comments: %(q)s") % {"q": _excerpt(asked, 30)}
        body = "".join(
            f"<p>{html.escape(line)}</p>" for line in
            [_("Question: %(q)s") % {"q": asked}, _("Answer: %(a)s") % {"a": reply.text}] if line
        )
        supplement = do_add_supplement(user, article, title=title, text=body, kind=SupplementKind.FOLLOW_UP,
                                       slug=f"comment-answer-{reply.pk}", source_url=comment.public_url())
        reply.supplement = supplement
        reply.save(update_fields=["supplement", "updated_at"])
        log(instance=reply, action="civichall.reply.promote", user=user, data={"supplement": supplement.pk})
    return supplement


def _excerpt(text, n):
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


