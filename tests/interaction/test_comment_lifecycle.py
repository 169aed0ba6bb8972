"""The comment's state machine: every transition allowed or refused by the
table, with the refusal's code and message."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civichall.interaction import comment_lifecycle as lc
from civichall.interaction.models import CommentStatus

R, V, H, M, B, X, D = lc.RECEIVED, lc.VISIBLE, lc.HELD, lc.MODERATION, lc.BLOCKED, lc.HIDDEN, lc.DELETED

#: Every allowed (state, event) -> state, facts left at their defaults.
ALLOWED = {
    (R, "check"): V,
    (R, "edit"): R, (M, "edit"): R, (V, "edit"): R, (H, "edit"): R,
    (R, "delete"): D, (V, "delete"): D, (H, "delete"): D, (M, "delete"): D, (B, "delete"): D,
    (X, "delete"): D,
    (V, "feature"): V, (H, "feature"): V,
    (V, "unfeature"): V, (H, "unfeature"): H,
    (R, "approve"): V, (M, "approve"): V, (X, "approve"): V,
    (R, "reject"): B, (M, "reject"): B, (X, "reject"): B,
    (V, "hide"): X, (H, "hide"): X,
    (V, "hide_by_reports"): X, (H, "hide_by_reports"): X,
    (H, "show_answered"): V,
    (V, "reply"): V, (H, "reply"): H, (D, "reply"): D,
    (V, "mark"): V, (H, "mark"): H, (D, "mark"): D,
    (R, "follow_up"): R, (V, "follow_up"): V, (H, "follow_up"): H, (M, "follow_up"): M,
    (X, "follow_up"): X,
    (V, "like"): V, (V, "report"): V,
}


def test_the_states_are_the_models():
    assert set(lc.STATES) == set(CommentStatus.values)


@pytest.mark.parametrize("state,event", list(itertools.product(lc.STATES, lc.EVENTS)))
def test_every_transition_is_allowed_or_refused_as_in_the_table(state, event):
    if (state, event) in ALLOWED:
        assert lc.allows(state, event)
        assert lc.next_state(state, event) == ALLOWED[state, event]
    else:
        assert not lc.allows(state, event)
        with pytest.raises(lc.TransitionError) as error:
            lc.next_state(state, event)
        assert (error.value.code, str(error.value)) == lc.refusal(event)


def test_the_check_decides():
    assert lc.next_state(R, "check", decision="pass") == V
    assert lc.next_state(R, "check", decision="pass", pre_moderation=True) == H
    assert lc.next_state(R, "check", decision="review", pre_moderation=True) == M
    assert lc.next_state(R, "check", decision="block", pre_moderation=True) == B


def test_pre_moderation_holds_approved_and_unfeatured_comments():
    assert lc.next_state(M, "approve", pre_moderation=True) == H
    assert lc.next_state(M, "approve", pre_moderation=True, featured=True) == V
    assert lc.next_state(X, "approve", featured=True) == V
    assert lc.next_state(V, "unfeature", pre_moderation=True) == H


def test_refusals_keep_the_actions_codes():
    assert lc.refusal("edit")[0] == "not_editable"
    assert lc.refusal("feature")[0] == "not_featurable"
    assert lc.refusal("approve")[0] == lc.refusal("reject")[0] == "not_in_queue"
    assert lc.refusal("hide")[0] == "not_visible"
    assert lc.refusal("reply")[0] == "not_answerable"
    assert lc.refusal("mark")[0] == "not_markable"
    assert lc.refusal("follow_up")[0] == "thread_closed"


def test_unknown_states_and_events():
    with pytest.raises(lc.TransitionError) as error:
        lc.next_state("archived", "edit")
    assert error.value.code == "unknown_state"
    with pytest.raises(lc.TransitionError) as error:
        lc.next_state(V, "purge")
    assert error.value.code == "unknown_event"
    assert not lc.allows(V, "purge")


def test_allowed_events_agree_with_allows():
    for state in lc.STATES:
        assert set(lc.allowed_events(state)) == {e for e in lc.EVENTS if lc.allows(state, e)}


facts = st.fixed_dictionaries({
    "decision": st.sampled_from([None, "pass", "review", "block", "error"]),
    "pre_moderation": st.booleans(),
    "featured": st.booleans(),
})


@given(event=st.sampled_from(lc.EVENTS), facts=facts)
def test_no_transition_leaves_an_end(event, facts):
    for state in lc.ENDS:
        try:
            assert lc.next_state(state, event, **facts) == state
        except lc.TransitionError:
            pass


@given(state=st.sampled_from(lc.STATES), event=st.sampled_from(lc.EVENTS), facts=facts)
def test_every_transition_lands_on_a_state(state, event, facts):
    try:
        assert lc.next_state(state, event, **facts) in lc.STATES
    except lc.TransitionError as error:
        assert not lc.allows(state, event) and error.code == lc.refusal(event)[0]


@given(events=st.lists(st.tuples(st.sampled_from(lc.EVENTS), facts), max_size=30))
def test_any_walk_stays_in_the_states_and_never_leaves_deleted(events):
    state = R
    for event, event_facts in events:
        try:
            after = lc.next_state(state, event, **event_facts)
        except lc.TransitionError:
            continue
        assert after in lc.STATES
        assert not (state == D and after != D)
        state = after


def test_every_state_is_reachable_from_received():
    reached, frontier = {R}, [R]
    all_facts = [dict(decision=d, pre_moderation=p, featured=f)
                 for d in ("pass", "review", "block") for p in (False, True) for f in (False, True)]
    while frontier:
        state = frontier.pop()
        for event in lc.allowed_events(state):
            for event_facts in all_facts:
                after = lc.next_state(state, event, **event_facts)
                if after not in reached:
                    reached.add(after)
                    frontier.append(after)
    assert reached == set(lc.STATES)


def test_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(lc))
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.startswith("django") for m in modules)
