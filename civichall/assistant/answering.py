"""The assistant's door: :func:`ask` answers a resident's question.

The web page, the API, the console and the WeChat channel all call it::

    from civichall.assistant.answering import ask
    result = ask("失业了怎么领钱", actor=request.user)
    result.answers      # [{"kind", "title", "url", "service_code", "snippet", "score", ...}], best first
    result.confident    # False: the answers are candidates, and a person is offered
    result.handoff      # None, or how to hand the question to a person
    result.to_dict()    # the API's JSON

The question is stored before it is answered (``AskedQuestion``). Then, in
order: a subject the account does not answer (flights, stocks, films) is
declined with what the assistant can help with; a question that is really a
query (a bus route's arrivals, which bin a thing goes in) is answered by
that service with the slots read from the text; anything else is ranked
over the knowledge (:mod:`ranking`). Below the confidence threshold the
assistant says it is unsure, offers its three best candidates and a person.
Every answer names its source; nothing is made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from civichall.core.config import setting

from . import intents
from .actions import check_question, do_record_answer, do_record_question

CANDIDATES = 3
# a best answer this far ahead of the next one is trusted even if it is a little under the threshold
CLEAR_LEAD = 0.25


@dataclass
class AssistantAnswer:
    """What the assistant says to one question."""

    question: str
    answers: list = field(default_factory=list)
    confident: bool = False
    handoff: dict | None = None
    message: str = ""
    out_of_scope: bool = False
    intent: dict | None = None
    question_id: int | None = None

    def to_dict(self) -> dict:
        """The API's shape."""
        return {
            "question_id": self.question_id,
            "question": self.question,
            "answers": self.answers,
            "confident": self.confident,
            "handoff": self.handoff,
            "message": self.message,
            "out_of_scope": self.out_of_scope,
        }


def _answer(item, score, **extra) -> dict:
    return {
        "kind": item.kind, "title": item.title, "url": item.url, "service_code": item.service_code,
        "snippet": item.snippet, "score": round(float(score), 3), "source": item.source,
        "source_title": item.source_title or item.title, "slug": item.slug, "organisation": item.organisation,
        **extra,
    }


def _service(code):
    from civichall.services.models import Service

    return Service.objects.filter(code=code).exclude(status="retired").select_related("organisation").first()


def _intent_answer(intent, citizen) -> dict | None:
    """The inline answer of a query question, or None when the service is not offered."""
    service = _service(intent.service_code)
    if service is None:
        return None
    base = reverse("service", args=[service.code])
    common = {"kind": "answer", "service_code": service.code, "score": 1.0,
              "source": f"service:{service.code}", "source_title": service.name_zh, "slug": None,
              "organisation": service.organisation.slug}
    if intent.service_code == intents.BUS_SERVICE:
        route = intent.slots["route"]
        return {**common, "title": _("%(service)s: route %(route)s") % {"service": service.name_zh, "route": route},
                "url": f"{base}?{urlencode({'route': route})}#answer",
                "snippet": _("See when the next bus of route %(route)s arrives.") % {"route": route},
                "slots": {"route": route}}
    if intent.service_code == intents.GARBAGE_SERVICE:
        from civichall.services.garbage import lookup

        thing = intent.slots["item"]
        found = lookup(thing)
        if not found:
            return None
        best = found[0]
        snippet = _("%(item)s goes in: %(category)s.") % {"item": best.name, "category": best.category}
        if best.tip:
            snippet += " " + best.tip
        return {**common, "title": _("%(item)s is %(category)s") % {"item": best.name, "category": best.category},
                "url": f"{base}?{urlencode({'q': thing})}#answer", "snippet": snippet,
                "slots": {"item": thing, "category": best.category}}
    return None


def _known_garbage(name) -> bool:
    """Whether ``name`` names or contains a thing the garbage lookup knows."""
    from civichall.services.garbage import lookup

    found = lookup(name)
    return bool(found) and found[0].matched_by in ("exact", "alias", "contained", "related")


def _personal(answers, citizen):
    """Personal services ask the resident to sign in first."""
    codes = [a["service_code"] for a in answers if a.get("service_code")]
    if not codes or citizen is not None:
        return
    from civichall.services.models import Service

    personal = set(Service.objects.filter(code__in=codes).filter(requires_login=True).values_list("code", flat=True))
    personal |= set(Service.objects.filter(code__in=codes, requires_verified=True).values_list("code", flat=True))
    for answer in answers:
        if answer.get("service_code") in personal:
            answer["needs_sign_in"] = True
            answer["snippet"] = _("(Sign in first) ") + answer["snippet"]


def _handoff_offer(asked_id, citizen) -> dict:
    return {
        "offered": True,
        "question_id": asked_id,
        "url": reverse("assistant:handoff", args=[asked_id]) if asked_id else None,
        "needs_sign_in": citizen is None,
        "message": _("Not what you need? Hand your question to a member of staff; the answer comes to your "
                     "messages."),
    }


def scope_message() -> str:
    return _("I can help with the city's services (bus, social security, registration, school places, "
             "garbage sorting …), the account's articles and common questions about public matters. "
             "I cannot answer that question.")


def answer_question(text, citizen=None, asked_id=None, index=None) -> AssistantAnswer:
    """Answer ``text`` (already checked) without storing anything."""
    from . import index as index_module

    result = AssistantAnswer(question=text, question_id=asked_id)
    subject = intents.out_of_scope(text)
    if subject:
        result.out_of_scope = True
        result.message = scope_message()
        result.intent = {"declined": subject}
        return result
    answers = []
    intent = intents.detect(text, known_item=_known_garbage)
    if intent is not None:
        inline = _intent_answer(intent, citizen)
        if inline is not None:
            answers.append(inline)
            result.intent = {"service_code": intent.service_code, "slots": intent.slots}
    hits = (index or index_module.current()).search(text, limit=CANDIDATES + 1)
    seen = {a["source"] for a in answers}
    answers.extend(_answer(h.item, h.score) for h in hits if h.item.source not in seen)
    answers = answers[:CANDIDATES]
    _personal(answers, citizen)
    result.answers = answers
    threshold = setting("CIVICHALL_ASSISTANT_CONFIDENCE")
    if result.intent is not None:
        result.confident = True
    elif hits:
        top = hits[0].score
        lead = top - (hits[1].score if len(hits) > 1 else 0.0)
        result.confident = top >= threshold or (top >= threshold * 0.8 and lead >= CLEAR_LEAD)
    if result.confident:
        result.message = _("Here is what I found. The source is shown with each answer.")
    elif answers:
        result.message = _("I am not sure I understood. Is it one of these?")
        result.handoff = _handoff_offer(asked_id, citizen)
    else:
        result.message = _("I could not find an answer to that.") + " " + scope_message().split("。")[0]
        result.handoff = _handoff_offer(asked_id, citizen)
    return result


def ask(question, actor=None, organisation=None, *, channel="api", lang="zh-hans") -> AssistantAnswer:
    """Store ``question`` and answer it for ``actor`` (a signed-in user,
    anonymous or None); ``organisation``: the account it was asked of.
    Bad input raises ``Refusal`` with a message in the resident's language."""
    from civichall.accounts.citizens import citizen_of

    text = check_question(question)
    citizen = citizen_of(actor) if actor is not None and hasattr(actor, "is_authenticated") else None
    asked = do_record_question(text, citizen=citizen, organisation=organisation, channel=channel, lang=lang)
    result = answer_question(text, citizen, asked.pk)
    do_record_answer(asked, result)
    return result
