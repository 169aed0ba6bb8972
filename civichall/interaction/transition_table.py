"""A lifecycle as a table, the part comments and official replies share.

Each lifecycle (``comment_lifecycle``, ``reply_lifecycle``) writes down, for
every event, the states it is possible from and where it leads, and why it
is refused; what can be asked of such a table is answered here once. Pure:
no Django imports.
"""

from __future__ import annotations

from .lifecycle import TransitionError

__all__ = ["TransitionTable", "gettext_noop"]


def gettext_noop(message):
    """Mark a message for translation; whoever shows it translates it."""
    return message


class TransitionTable:
    """``table``: event -> (states it is possible from, target);
    ``refusals``: event -> (code, untranslated message); ``ends``: states
    nothing leaves."""

    def __init__(self, states, table, refusals, ends):
        self.states, self.table, self.refusals, self.ends = tuple(states), table, refusals, frozenset(ends)

    def is_end(self, state: str) -> bool:
        return state in self.ends

    def sources(self, event: str) -> frozenset:
        """The states ``event`` is possible from."""
        return self.table[event][0]

    def allows(self, state: str, event: str) -> bool:
        """Whether ``event`` is possible from ``state`` (facts aside)."""
        return event in self.table and state in self.table[event][0]

    def allowed_events(self, state: str) -> tuple:
        """The events possible from ``state``."""
        return tuple(e for e, (from_states, _target) in self.table.items() if state in from_states)

    def refusal(self, event: str) -> tuple:
        """(code, untranslated message) of a refused ``event``."""
        return self.refusals[event]

    def target(self, state: str, event: str) -> str:
        """The table's target of ``event`` from ``state``; TransitionError
        for an unknown state or event, or the event's refusal."""
        if state not in self.states:
            raise TransitionError("unknown_state", f"unknown state {state!r}")
        if event not in self.table:
            raise TransitionError("unknown_event", f"unknown event {event!r}")
        from_states, target = self.table[event]
        if state not in from_states:
            raise TransitionError(*self.refusals[event])
        return target
