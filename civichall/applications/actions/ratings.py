"""Rating a completed case (好差评) and the follow-up of a bad rating."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civichall.accounts import policy
from civichall.core.errors import Refusal

from ..lifecycle import COMPLETED, NOT_ACCEPTED
from ..models import FollowUpState, Rating, RatingFollowUp
from ..permissions import access_case
from .common import audit

#: Reasons a citizen may tick, by kind.
GOOD_REASONS = ("办事便捷", "材料简化", "服务热情", "办理及时")
BAD_REASONS = ("材料重复提交", "办理超时", "答复不清楚", "态度不好", "系统不好用")


def do_rate(user, case, score, reasons=(), comment=""):
    """Rate a finished case once, 1–5; a 1 or 2 opens a follow-up that
    the organisation must answer or close with a reason."""
    access_case(user, case, "rate")
    if case.state not in (COMPLETED, NOT_ACCEPTED):
        raise Refusal("not_finished", _("A case can be rated once it is finished."), 409)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise Refusal("invalid", _("Choose from 1 to 5 stars."), 422, {"score": _("Choose from 1 to 5 stars.")})
    known = set(GOOD_REASONS + BAD_REASONS)
    reasons = [r for r in reasons if r in known]
    try:
        with transaction.atomic():
            rating = Rating.objects.create(case=case, score=score, reasons=reasons, comment=(comment or "")[:1000])
            if score <= 2:
                RatingFollowUp.objects.create(rating=rating, organisation=case.organisation)
            audit(case, "rating", user, score=score)
    except IntegrityError:
        raise Refusal("already_rated", _("You have already rated this case."), 409) from None
    return rating


def do_answer_follow_up(user, follow_up, answer, *, close=False):
    """Answer a bad rating (told to the citizen) or close it with a reason."""
    policy.check(user, "rating_follow_up", "answer", follow_up)
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise Refusal("invalid", _("Write the answer or the reason (at least 5 characters)."), 422,
                      {"answer": _("Write the answer or the reason (at least 5 characters).")})
    if follow_up.state != FollowUpState.OPEN:
        raise Refusal("already_handled", _("This follow-up has already been handled."), 409)
    follow_up.state = FollowUpState.CLOSED if close else FollowUpState.ANSWERED
    follow_up.answer, follow_up.handled_by, follow_up.handled_at = answer, policy.recorded_user(user), timezone.now()
    follow_up.save()
    audit(follow_up.rating.case, "follow_up", user, state=follow_up.state)
    if not close:
        from .common import tell_citizen

        tell_citizen(follow_up.rating.case, f"关于您的评价：{answer}")
    return follow_up
