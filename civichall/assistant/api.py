"""The assistant's API.

* ``POST /assistant/ask`` ``{"question": "..."}`` — anyone; a citizen's
  token lets personal services and hand-offs know who asks. Answers
  ``{"question_id", "question", "answers": [{"kind", "title", "url",
  "service_code", "snippet", "score", "source", "source_title", ...}],
  "confident", "handoff", "message", "out_of_scope"}``, best first.
* ``POST /assistant/questions/{id}/feedback`` ``{"source", "helpful"}`` —
  "helpful / not helpful" on one answer.
* ``POST /assistant/questions/{id}/handoff`` — a signed-in citizen hands the
  question to a person; the answer reaches their notifications.
"""

from typing import Any

from ninja import Router

from civichall.accounts.api_auth import citizen_token, optional_citizen
from civichall.core.api_schemas import InputSchema
from civichall.core.i18n import wants_english

from . import actions
from .answering import ask

router = Router(tags=["assistant"])


class AskIn(InputSchema):
    # Any: a number or a list is refused by the action with a sentence, not a type error
    question: Any = None


class FeedbackIn(InputSchema):
    source: str = ""
    helpful: Any = None


def _user(request):
    citizen = request.auth if getattr(request.auth, "pk", None) else None
    return citizen.user if citizen is not None else None


@router.post("/assistant/ask", auth=optional_citizen, response=dict, summary="Ask the smart assistant")
def ask_question(request, body: AskIn):
    """Answer a question in the resident's words; the question is stored first."""
    result = ask(body.question, actor=_user(request), channel="api", lang="en" if wants_english() else "zh-hans")
    return result.to_dict()


@router.post("/assistant/questions/{question_id}/feedback", auth=optional_citizen, response=dict,
             summary="Say whether an answer helped")
def give_feedback(request, question_id: int, body: FeedbackIn):
    citizen = request.auth if getattr(request.auth, "pk", None) else None
    feedback = actions.do_give_feedback(citizen, question_id, body.source, body.helpful)
    return {"question_id": question_id, "source": feedback.answer_source, "helpful": feedback.helpful}


@router.post("/assistant/questions/{question_id}/handoff", auth=citizen_token, response=dict,
             summary="Hand the question to a person")
def hand_off(request, question_id: int):
    handoff = actions.do_hand_off(request.auth, question_id)
    return {"question_id": question_id, "organisation": handoff.organisation.name_zh,
            "state": handoff.state, "due_at": handoff.due_at.isoformat()}
