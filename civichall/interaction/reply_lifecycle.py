"""The life of an official reply.

Pure Python, no Django. A reply is written as a ``draft`` and goes through
the safety ``reply`` check at once; a reviewer approves it where the check
or the organisation asks for that. Once published it is never changed.

========  =================================  =====================================
event     from                               to
========  =================================  =====================================
check     draft, pending_approval, returned  returned, pending_approval or published
approve   pending_approval                   published
return    pending_approval                   returned
promote   published                          published (becomes a supplement too)
========  =================================  =====================================

Where ``check`` leads: a blocked term always returns the reply to its
writer; a doubtful tone returns it too, unless the writer asked for a
reviewer; a doubtful tone, a check that failed, or an organisation that
wants approval (and a writer who may not approve) sends it to a reviewer;
otherwise it is published. Revising a reply is writing it again: ``check``.

``published`` is the only end.
"""

from __future__ import annotations

__all__ = [
    "DRAFT", "ENDS", "EVENTS", "PENDING_APPROVAL", "PUBLISHED", "RETURNED", "STATES",
    "TransitionError", "allowed_events", "allows", "is_end", "next_state", "refusal",
]

from .lifecycle import TransitionError
from .transition_table import TransitionTable, gettext_noop

DRAFT = "draft"
PENDING_APPROVAL = "pending_approval"
PUBLISHED = "published"
RETURNED = "returned"

STATES = (DRAFT, PENDING_APPROVAL, PUBLISHED, RETURNED)
ENDS = frozenset({PUBLISHED})

_TABLE = {
    "check": (frozenset({DRAFT, PENDING_APPROVAL, RETURNED}), None),
    "approve": (frozenset({PENDING_APPROVAL}), PUBLISHED),
    "return": (frozenset({PENDING_APPROVAL}), RETURNED),
    "promote": (frozenset({PUBLISHED}), PUBLISHED),
}
EVENTS = tuple(_TABLE)

#: Why an event is refused, for the person who tried: (code, message).
_REFUSALS = {
    "check": ("published", gettext_noop("A published reply cannot be changed.")),
    "approve": ("not_pending", gettext_noop("This reply is not waiting for approval.")),
    "return": ("not_pending", gettext_noop("This reply is not waiting for approval.")),
    "promote": ("not_published", gettext_noop("Only a published answer can become a supplement.")),
}


# What any table answers (transition_table.py), for this one.
_LIFECYCLE = TransitionTable(STATES, _TABLE, _REFUSALS, ENDS)
is_end = _LIFECYCLE.is_end
allows = _LIFECYCLE.allows
allowed_events = _LIFECYCLE.allowed_events
refusal = _LIFECYCLE.refusal


def _after_check(decision, request_approval, needs_approval):
    if decision is None:  # the check itself failed: a person looks at it
        return PENDING_APPROVAL
    if decision == "block" or (decision == "review" and not request_approval):
        return RETURNED
    if decision == "review" or needs_approval:
        return PENDING_APPROVAL
    return PUBLISHED


def next_state(state: str, event: str, *, decision: str | None = None, request_approval: bool = False,
               needs_approval: bool = False) -> str:
    """The state after ``event``, or TransitionError with the refusal's code
    and message.

    ``check`` needs the safety ``decision`` (pass, review, block, or None
    when the check failed), whether the writer asked for a reviewer
    (``request_approval``) and whether the organisation wants one for this
    writer (``needs_approval``).
    """
    target = _LIFECYCLE.target(state, event)
    if event == "check":
        return _after_check(decision, request_approval, needs_approval)
    return target
