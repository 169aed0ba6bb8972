"""Hostile text through the real comment and reply actions: blocked terms
split by invisible characters, invisible and bidi characters in what is
stored, personal data written with fillers."""

import pytest

from civichall.interaction import actions
from civichall.interaction.models import CommentStatus

pytestmark = pytest.mark.django_db

FILLERS = ("\u3164", "\u115f", "\u1160", "\uffa0")


@pytest.mark.parametrize("filler", FILLERS)
def test_gambling_terms_split_by_a_filler_are_blocked(post, filler):
    # The published comment of the issue: two gambling terms written with fillers.
    comment = post(f"正规网{filler}络{filler}赌{filler}场，时{filler}时{filler}彩天天包赢，加群")
    assert comment.status == CommentStatus.BLOCKED
    blocked = {h["term"] for h in comment.safety["hits"] if h["severity"] == "block"}
    assert {"网络赌场", "时时彩"} <= blocked
    level, message = actions.comment_outcome(comment)
    assert level == "error"


def test_a_term_for_review_split_by_invisible_characters_waits_for_a_person(post):
    comment = post("听说有人在地铁站附近贩卖冰\u2060\u00ad毒")
    assert comment.status == CommentStatus.MODERATION


def test_invisible_and_bidi_characters_do_not_survive_cleaning(post):
    comment = post("地\u2060铁\ufeff开\u00ad了\u061c吗\u200b？\u2028谢谢\u2029\u202e再见\u2066\u3164")
    assert comment.text == "地铁开了吗？\n谢谢\n再见"
    assert comment.status == CommentStatus.VISIBLE


def test_ordinary_newlines_and_emoji_are_kept(post):
    text = "第一行\n\n第二行👨\u200d👩\u200d👧 ❤\ufe0f 🏳\ufe0f\u200d🌈"
    assert post(text).text == text


def test_edited_comment_is_cleaned_the_same_way(post, citizen):
    comment = post("地铁开了吗")
    edited = actions.do_edit_comment(citizen, comment, "地铁\u200b开了吗\u2028谢谢")
    assert edited.text == "地铁开了吗\n谢谢"


def test_reply_text_is_cleaned_the_same_way():
    assert actions.check_reply_text("您好\u2060，已\ufeff转交\u2028市交通委") == "您好，已转交\n市交通委"


def test_phone_number_with_fillers_is_masked_in_public(post):
    comment = post("请联系我 138\u31641234\u31645678 或 1 3 9 1 2 3 4 5 6 7 8")
    assert comment.status == CommentStatus.VISIBLE
    # Fillers are cleaned from the stored text; the spaced number is still masked.
    assert comment.text == "请联系我 13812345678 或 1 3 9 1 2 3 4 5 6 7 8"
    assert comment.public_text == "请联系我 138****5678 或 1 3 9 * * * * 5 6 7 8"
