"""The official reply's state machine: every transition allowed or refused
by the table, and where the tone check leads."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civichall.interaction import reply_lifecycle as lc
from civichall.interaction.models import ReplyStatus

D, P, U, R = lc.DRAFT, lc.PENDING_APPROVAL, lc.PUBLISHED, lc.RETURNED

ALLOWED = {
    (D, "check"): U, (P, "check"): U, (R, "check"): U,
    (P, "approve"): U,
    (P, "return"): R,
    (U, "promote"): U,
}


def test_the_states_are_the_models():
    assert set(lc.STATES) == set(ReplyStatus.values)


@pytest.mark.parametrize("state,event", list(itertools.product(lc.STATES, lc.EVENTS)))
def test_every_transition_is_allowed_or_refused_as_in_the_table(state, event):
    if (state, event) in ALLOWED:
        assert lc.allows(state, event)
        assert lc.next_state(state, event, decision="pass") == ALLOWED[state, event]
    else:
        assert not lc.allows(state, event)
        with pytest.raises(lc.TransitionError) as error:
            lc.next_state(state, event, decision="pass")
        assert (error.value.code, str(error.value)) == lc.refusal(event)


@pytest.mark.parametrize("decision,request_approval,needs_approval,expected", [
    ("pass", False, False, U),
    ("pass", False, True, P),
    ("pass", True, False, U),
    ("review", False, False, R),
    ("review", True, False, P),
    ("block", False, False, R),
    ("block", True, True, R),
    (None, False, False, P),
    (None, True, True, P),
])
def test_where_the_check_leads(decision, request_approval, needs_approval, expected):
    for state in (D, P, R):
        assert lc.next_state(state, "check", decision=decision, request_approval=request_approval,
                             needs_approval=needs_approval) == expected


def test_refusals_keep_the_actions_codes():
    assert lc.refusal("check")[0] == "published"
    assert lc.refusal("approve")[0] == lc.refusal("return")[0] == "not_pending"
    assert lc.refusal("promote")[0] == "not_published"


def test_unknown_states_and_events():
    for state, event, code in [("withdrawn", "approve", "unknown_state"), (P, "withdraw", "unknown_event")]:
        with pytest.raises(lc.TransitionError) as error:
            lc.next_state(state, event)
        assert error.value.code == code


facts = st.fixed_dictionaries({
    "decision": st.sampled_from([None, "pass", "review", "block"]),
    "request_approval": st.booleans(),
    "needs_approval": st.booleans(),
})


@given(event=st.sampled_from(lc.EVENTS), facts=facts)
def test_a_published_reply_stays_published(event, facts):
    try:
        assert lc.next_state(U, event, **facts) == U
    except lc.TransitionError as error:
        assert error.code == lc.refusal(event)[0]


@given(state=st.sampled_from(lc.STATES), event=st.sampled_from(lc.EVENTS), facts=facts)
def test_allows_agrees_with_next_state(state, event, facts):
    try:
        assert lc.next_state(state, event, **facts) in lc.STATES
        assert lc.allows(state, event) and event in lc.allowed_events(state)
    except lc.TransitionError:
        assert not lc.allows(state, event) and event not in lc.allowed_events(state)


def test_every_state_is_reachable_from_draft():
    reached, frontier = {D}, [D]
    all_facts = [dict(decision=d, request_approval=r, needs_approval=n)
                 for d in (None, "pass", "review", "block") for r in (False, True) for n in (False, True)]
    while frontier:
        state = frontier.pop()
        for event in lc.allowed_events(state):
            for event_facts in all_facts:
                after = lc.next_state(state, event, **event_facts)
                if after not in reached:
                    reached.add(after)
                    frontier.append(after)
    assert reached == set(lc.STATES)
