"""The life of a case (办件), as a table. Pure Python, no Django.

=============  ==========================  ==============  ==============================
event          from                        to              needs
=============  ==========================  ==============  ==============================
accept         submitted                   accepted        --  (受理: the clock starts)
not_accept     submitted                   not_accepted    a reason (不予受理)
start_review   accepted                    in_review       --
ask_material   accepted, in_review         needs_material  what is wanted (补正; clock paused)
supplement     needs_material              in_review       the citizen's supplement (clock runs)
approve        in_review                   approved        --
reject         in_review                   rejected        a reason and how to appeal
complete       approved, rejected          completed       -- (the decision letter is issued)
=============  ==========================  ==============  ==============================

``not_accepted`` and ``completed`` are the ends. A bundle case (一件事一次办)
is approved only when every part is done (a fact the action checks).
"""

from __future__ import annotations

from civichall.interaction.lifecycle import TransitionError
from civichall.interaction.transition_table import TransitionTable, gettext_noop

__all__ = [
    "ACCEPTED", "APPROVED", "COMPLETED", "ENDS", "EVENTS", "IN_REVIEW", "NEEDS_MATERIAL", "NOT_ACCEPTED",
    "OPEN_STATES", "REJECTED", "STATES", "SUBMITTED", "TransitionError", "allowed_events", "check_facts",
    "next_state",
]

SUBMITTED = "submitted"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
IN_REVIEW = "in_review"
NEEDS_MATERIAL = "needs_material"
APPROVED = "approved"
REJECTED = "rejected"
COMPLETED = "completed"

STATES = (SUBMITTED, ACCEPTED, NOT_ACCEPTED, IN_REVIEW, NEEDS_MATERIAL, APPROVED, REJECTED, COMPLETED)
ENDS = frozenset({NOT_ACCEPTED, COMPLETED})
#: States in which the organisation owes the citizen something.
OPEN_STATES = frozenset({SUBMITTED, ACCEPTED, IN_REVIEW, APPROVED, REJECTED})

_TABLE = {
    "accept": (frozenset({SUBMITTED}), ACCEPTED),
    "not_accept": (frozenset({SUBMITTED}), NOT_ACCEPTED),
    "start_review": (frozenset({ACCEPTED}), IN_REVIEW),
    "ask_material": (frozenset({ACCEPTED, IN_REVIEW}), NEEDS_MATERIAL),
    "supplement": (frozenset({NEEDS_MATERIAL}), IN_REVIEW),
    "approve": (frozenset({IN_REVIEW}), APPROVED),
    "reject": (frozenset({IN_REVIEW}), REJECTED),
    "complete": (frozenset({APPROVED, REJECTED}), COMPLETED),
}
EVENTS = tuple(_TABLE)

_REFUSALS = {
    "accept": ("not_submitted", gettext_noop("Only a newly submitted case can be accepted.")),
    "not_accept": ("not_submitted", gettext_noop("Only a newly submitted case can be refused.")),
    "start_review": ("not_accepted_yet", gettext_noop("Accept the case before reviewing it.")),
    "ask_material": ("not_in_review", gettext_noop("More material can be asked for only while the case is handled.")),
    "supplement": ("no_material_asked", gettext_noop("No material has been asked for on this case.")),
    "approve": ("not_in_review", gettext_noop("Only a case in review can be decided.")),
    "reject": ("not_in_review", gettext_noop("Only a case in review can be decided.")),
    "complete": ("not_decided", gettext_noop("Only a decided case can be completed.")),
}

_TABLE_OBJ = TransitionTable(STATES, _TABLE, _REFUSALS, ENDS)

#: Facts an event needs: name -> (minimum length, code, untranslated message).
_NEEDS = {
    "not_accept": {"reason": (5, "reason_required", gettext_noop("Give the reason (at least 5 characters)."))},
    "ask_material": {"reason": (5, "reason_required",
                                gettext_noop("Say what material is needed (at least 5 characters)."))},
    "reject": {"reason": (5, "reason_required", gettext_noop("Give the reason (at least 5 characters).")),
               "appeal": (5, "appeal_required",
                          gettext_noop("Say how the citizen can appeal (at least 5 characters)."))},
}

#: Which events the citizen makes; all others are the organisation's.
CITIZEN_EVENTS = frozenset({"supplement"})


def allowed_events(state: str) -> tuple:
    """The events possible from ``state``."""
    return _TABLE_OBJ.allowed_events(state)


def is_end(state: str) -> bool:
    return _TABLE_OBJ.is_end(state)


def next_state(state: str, event: str, **facts) -> str:
    """The state after ``event``; ``TransitionError(code, message)`` if the
    event is not possible from ``state`` or a fact it needs is missing."""
    target = _TABLE_OBJ.target(state, event)
    check_facts(event, **facts)
    return target


def check_facts(event: str, **facts) -> None:
    """``TransitionError(code, message)`` if a fact ``event`` needs is
    missing (a reason, how to appeal), whatever the state: a bulk decision
    checks its one reason before it touches any case."""
    for name, (minimum, code, message) in _NEEDS.get(event, {}).items():
        if len(str(facts.get(name) or "").strip()) < minimum:
            raise TransitionError(code, message)
