"""The life of a citizen's comment.

Pure Python, no Django. A comment is stored as ``received`` and the
automatic check decides where it goes; staff and its author move it on.
Only ``visible`` comments are public.

=================  ===================================  ===============================
event              from                                 to
=================  ===================================  ===============================
check              received                             visible, held (pre-moderation),
                                                        moderation (review) or blocked
edit               received, moderation, visible, held  received (checked again)
delete             every state but deleted              deleted
feature            visible, held                        visible
unfeature          visible, held                        visible, or held under
                                                        pre-moderation
approve            received, moderation, hidden         visible, or held under
                                                        pre-moderation unless featured
reject             received, moderation, hidden         blocked
hide               visible, held                        hidden
hide_by_reports    visible, held                        hidden
show_answered      held                                 visible (its answer is public)
=================  ===================================  ===============================

Events that keep the state but need the right one: ``reply`` and ``mark``
(as a question) need a comment that passed the checks, or one its author
deleted; ``follow_up`` needs a thread that is not blocked or deleted;
``like`` and ``report`` need a visible comment.

``deleted`` is the only end: nothing a citizen deleted comes back, and the
text stays for audit.
"""

from __future__ import annotations

__all__ = [
    "BLOCKED", "DELETED", "ENDS", "EVENTS", "HELD", "HIDDEN", "MODERATION", "PASSED", "QUEUE",
    "RECEIVED", "STATES", "TransitionError", "VISIBLE", "allowed_events", "allows", "is_end",
    "next_state", "refusal", "sources",
]

from .lifecycle import TransitionError
from .transition_table import TransitionTable, gettext_noop

RECEIVED = "received"
VISIBLE = "visible"
HELD = "held"
MODERATION = "moderation"
BLOCKED = "blocked"
HIDDEN = "hidden"
DELETED = "deleted"

STATES = (RECEIVED, VISIBLE, HELD, MODERATION, BLOCKED, HIDDEN, DELETED)
ENDS = frozenset({DELETED})
#: Passed the checks: public, or waiting to be featured.
PASSED = frozenset({VISIBLE, HELD})
#: What a moderator decides on.
QUEUE = frozenset({RECEIVED, MODERATION, HIDDEN})

#: The target of an event that keeps the state.
_STAY = "stay"
#: The target of an event whose facts decide it (see ``next_state``).
_DECIDED = "decided"

_TABLE = {
    "check": (frozenset({RECEIVED}), _DECIDED),
    "edit": (frozenset({RECEIVED, MODERATION, VISIBLE, HELD}), RECEIVED),
    "delete": (frozenset(STATES) - ENDS, DELETED),
    "feature": (PASSED, VISIBLE),
    "unfeature": (PASSED, _DECIDED),
    "approve": (QUEUE, _DECIDED),
    "reject": (QUEUE, BLOCKED),
    "hide": (PASSED, HIDDEN),
    "hide_by_reports": (PASSED, HIDDEN),
    "show_answered": (frozenset({HELD}), VISIBLE),
    "reply": (PASSED | {DELETED}, _STAY),
    "mark": (PASSED | {DELETED}, _STAY),
    "follow_up": (frozenset(STATES) - {BLOCKED, DELETED}, _STAY),
    "like": (frozenset({VISIBLE}), _STAY),
    "report": (frozenset({VISIBLE}), _STAY),
}
EVENTS = tuple(_TABLE)

#: Why an event is refused, for the person who tried: (code, message).
_REFUSALS = {
    "check": ("already_checked", gettext_noop("This comment has already been checked.")),
    "edit": ("not_editable", gettext_noop("This comment can no longer be edited.")),
    "delete": ("deleted", gettext_noop("This comment has been deleted.")),
    "feature": ("not_featurable", gettext_noop("Only a comment that passed the checks can be featured.")),
    "unfeature": ("not_featurable", gettext_noop("Only a comment that passed the checks can be featured.")),
    "approve": ("not_in_queue", gettext_noop("This comment is not waiting for moderation.")),
    "reject": ("not_in_queue", gettext_noop("This comment is not waiting for moderation.")),
    "hide": ("not_visible", gettext_noop("Only a visible comment can be hidden.")),
    "hide_by_reports": ("not_visible", gettext_noop("Only a visible comment can be hidden.")),
    "show_answered": ("not_held", gettext_noop("This comment is not waiting to be featured.")),
    "reply": ("not_answerable", gettext_noop("Moderate this comment before replying to it.")),
    "mark": ("not_markable", gettext_noop("Moderate this comment first.")),
    "follow_up": ("thread_closed", gettext_noop("This thread is closed.")),
    "like": ("not_visible", gettext_noop("Only a visible comment can be liked.")),
    "report": ("not_visible", gettext_noop("Only a visible comment can be reported.")),
}


# What any table answers (transition_table.py), for this one.
_LIFECYCLE = TransitionTable(STATES, _TABLE, _REFUSALS, ENDS)
is_end = _LIFECYCLE.is_end
sources = _LIFECYCLE.sources
allows = _LIFECYCLE.allows
allowed_events = _LIFECYCLE.allowed_events
refusal = _LIFECYCLE.refusal


def _after_check(decision, pre_moderation):
    if decision == "block":
        return BLOCKED
    if decision == "review":
        return MODERATION
    return HELD if pre_moderation else VISIBLE


def next_state(state: str, event: str, *, decision: str | None = None, pre_moderation: bool = False,
               featured: bool = False) -> str:
    """The state after ``event``, or TransitionError with the refusal's code
    and message.

    ``check`` needs the safety ``decision`` (pass, review, block) and
    ``pre_moderation`` (the organisation shows featured comments only);
    ``unfeature`` needs ``pre_moderation``; ``approve`` needs
    ``pre_moderation`` and whether the comment is ``featured``.
    """
    target = _LIFECYCLE.target(state, event)
    if target == _STAY:
        return state
    if event == "check":
        return _after_check(decision, pre_moderation)
    if event == "unfeature":
        return HELD if pre_moderation else state
    if event == "approve":
        return HELD if pre_moderation and not featured else VISIBLE
    return target
