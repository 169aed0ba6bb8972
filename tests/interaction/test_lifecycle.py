"""The question's state machine: only three ends, every transition checked."""

import itertools

import pytest

from civichall.interaction import lifecycle as lc


def test_the_only_ends():
    assert lc.ENDS == {"answered", "closed_duplicate", "closed_out_of_scope"}
    for state in lc.ENDS:
        assert lc.allowed_events(state) == ()


def test_answer():
    assert lc.next_state("open", "answer", reply_published=True) == "answered"
    with pytest.raises(lc.TransitionError) as e:
        lc.next_state("open", "answer")
    assert e.value.code == "no_reply"


def test_close_duplicate_rules():
    ok = lc.next_state("open", "close_duplicate", question_id=2, duplicate_of_id=1,
                       duplicate_of_state="answered")
    assert ok == "closed_duplicate"
    for kwargs, code in [
        ({}, "no_duplicate"),
        ({"question_id": 2, "duplicate_of_id": 2, "duplicate_of_state": "open"}, "self_duplicate"),
        ({"question_id": 2, "duplicate_of_id": 1, "duplicate_of_state": "closed_duplicate"}, "bad_duplicate"),
        ({"question_id": 2, "duplicate_of_id": 1, "duplicate_of_state": "unmarked"}, "bad_duplicate"),
    ]:
        with pytest.raises(lc.TransitionError) as e:
            lc.next_state("open", "close_duplicate", **kwargs)
        assert e.value.code == code


def test_out_of_scope_needs_where_to_go():
    assert lc.next_state("open", "close_out_of_scope", where_to_go="请拨打12345热线") == "closed_out_of_scope"
    with pytest.raises(lc.TransitionError):
        lc.next_state("open", "close_out_of_scope", where_to_go="  ")


def test_unmark_and_mark_again():
    assert lc.next_state("open", "unmark", reason="只是表示感谢") == "unmarked"
    assert lc.next_state("unmarked", "mark") == "open"
    with pytest.raises(lc.TransitionError):
        lc.next_state("open", "unmark", reason="")


def test_reassign_needs_another_organisation_and_a_note():
    assert lc.next_state("open", "reassign", organisation=1, new_organisation=2,
                         reason="属于地铁运营问题") == "open"
    with pytest.raises(lc.TransitionError):
        lc.next_state("open", "reassign", organisation=1, new_organisation=1, reason="属于地铁运营问题")
    with pytest.raises(lc.TransitionError):
        lc.next_state("open", "reassign", organisation=1, new_organisation=2, reason="")


def test_no_way_out_of_an_end_and_no_unknown_events():
    facts = dict(reply_published=True, question_id=2, duplicate_of_id=1, duplicate_of_state="open",
                 where_to_go="请拨打12345热线", reason="足够长的理由", organisation=1, new_organisation=2)
    for state, event in itertools.product(lc.ENDS, lc.EVENTS):
        with pytest.raises(lc.TransitionError) as e:
            lc.next_state(state, event, **facts)
        assert e.value.code == "ended"
    for bad in ("delete", "archive", "reopen", "hide"):
        with pytest.raises(lc.TransitionError):
            lc.next_state("open", bad, **facts)
    reachable = {lc.next_state("open", e, **facts) for e in lc.allowed_events("open")}
    assert reachable == {"answered", "closed_duplicate", "closed_out_of_scope", "unmarked", "open"}
