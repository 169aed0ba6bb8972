"""The life of a citizen's question (问题的闭环).

Pure Python, no Django. A question is **open** until it ends, and it ends
only in one of three ways, each public:

* ``answered`` -- an official reply to it was published (the asker is told);
* ``closed_duplicate`` -- the same question was asked before; the public sees
  a link to it;
* ``closed_out_of_scope`` -- the account cannot answer it; the public sees
  where to go instead (a hotline, an office, an online service).

There is no other end, and no end is undone: there is no "delete", no
"archive", no silent close. Ended questions stay ended.

**Follow-ups do not reopen.** When the asker follows up under an official
reply, the follow-up is a new comment in the same thread; if it asks
something it becomes a *new* question that ``follows`` the first one and
goes to the same organisation, with its own clock. The first question keeps
its honest record: answered, and when.

**Not a question after all.** The detector makes mistakes, so staff may
*un-mark* an open question that was not a question (a thank-you with a
question mark). That is not an end of a question but a correction of the
classification: the state ``unmarked`` needs a written reason, is only
possible before any answer, is logged, stays listed for staff, and a person
can *mark* it again (back to ``open``). Un-marking never touches the comment.

Events and what they need:

================  ===================  ==================  =================================
event             from                 to                  needs
================  ===================  ==================  =================================
answer            open                 answered            a published official reply
close_duplicate   open                 closed_duplicate    another question, not itself,
                                                           that is open or answered
close_out_of_scope open                closed_out_of_scope where to go (>= 5 characters)
reassign          open                 open                another organisation, a note
unmark            open                 unmarked            a reason (>= 5 characters)
mark              unmarked             open                --
================  ===================  ==================  =================================
"""

from __future__ import annotations

__all__ = [
    "ANSWERED", "CLOSED_DUPLICATE", "CLOSED_OUT_OF_SCOPE", "ENDS", "EVENTS", "OPEN", "STATES",
    "TransitionError", "UNMARKED", "allowed_events", "is_end", "next_state",
]

OPEN = "open"
ANSWERED = "answered"
CLOSED_DUPLICATE = "closed_duplicate"
CLOSED_OUT_OF_SCOPE = "closed_out_of_scope"
UNMARKED = "unmarked"

STATES = (OPEN, ANSWERED, CLOSED_DUPLICATE, CLOSED_OUT_OF_SCOPE, UNMARKED)
#: The only ways a question ends.
ENDS = frozenset({ANSWERED, CLOSED_DUPLICATE, CLOSED_OUT_OF_SCOPE})
MIN_TEXT = 5

_TABLE = {
    "answer": (OPEN, ANSWERED),
    "close_duplicate": (OPEN, CLOSED_DUPLICATE),
    "close_out_of_scope": (OPEN, CLOSED_OUT_OF_SCOPE),
    "reassign": (OPEN, OPEN),
    "unmark": (OPEN, UNMARKED),
    "mark": (UNMARKED, OPEN),
}
EVENTS = tuple(_TABLE)


class TransitionError(ValueError):
    """A transition that is not allowed; ``code`` says which rule it broke."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def is_end(state: str) -> bool:
    return state in ENDS


def allowed_events(state: str) -> tuple:
    """The events possible from ``state``."""
    return tuple(e for e, (source, _target) in _TABLE.items() if source == state)


def _enough(text) -> bool:
    return len((text or "").strip()) >= MIN_TEXT


def next_state(state: str, event: str, *, reply_published: bool = False,
               question_id=None, duplicate_of_id=None, duplicate_of_state: str | None = None,
               where_to_go: str = "", reason: str = "", organisation=None,
               new_organisation=None) -> str:
    """The state after ``event``, or TransitionError.

    Pass the facts the event needs (see the module's table).
    """
    if state not in STATES:
        raise TransitionError("unknown_state", f"unknown state {state!r}")
    if event not in _TABLE:
        raise TransitionError("unknown_event", f"unknown event {event!r}")
    source, target = _TABLE[event]
    if state != source:
        if state in ENDS:
            raise TransitionError("ended", f"the question has ended ({state}); it cannot {event}")
        raise TransitionError("not_allowed", f"{event} is not possible from {state}")
    if event == "answer" and not reply_published:
        raise TransitionError("no_reply", "a question is answered by a published official reply")
    if event == "close_duplicate":
        if duplicate_of_id is None:
            raise TransitionError("no_duplicate", "name the question this one duplicates")
        if duplicate_of_id == question_id:
            raise TransitionError("self_duplicate", "a question cannot duplicate itself")
        if duplicate_of_state not in (OPEN, ANSWERED):
            raise TransitionError(
                "bad_duplicate", "the original must be open or answered, not closed or unmarked"
            )
    if event == "close_out_of_scope" and not _enough(where_to_go):
        raise TransitionError("no_where_to_go", "say where the asker can go instead")
    if event == "unmark" and not _enough(reason):
        raise TransitionError("no_reason", "write why this is not a question")
    if event == "reassign":
        if new_organisation is None or new_organisation == organisation:
            raise TransitionError("same_organisation", "choose another organisation")
        if not _enough(reason):
            raise TransitionError("no_reason", "write a note for the new organisation")
    return target
