"""Question detection: clear cases, false friends, and the labelled set."""

import csv
from pathlib import Path

import pytest

from civichall.interaction.questions import detect, is_question

DATA = Path(__file__).resolve().parent.parent / "data" / "comment_questions.csv"


@pytest.mark.parametrize("text", [
    "首班车几点开？", "首班车几点开?", "换乘通道开放了吗", "那公交呢", "没有智能手机的老人怎么进站",
    "是否需要提前预约", "能不能延长末班车", "请问16号线", "地铁开了吗😀", "16号线开了没",
    "为什么我家门口的站还不开", "何时恢复原来的运营时间", "在哪里可以查",
])
def test_questions(text):
    assert is_question(text), detect(text)


@pytest.mark.parametrize("text", [
    "怎么样都好，能出门就开心", "不管怎么样，先谢谢大家", "无论如何都要戴口罩", "什么都不说了，感谢",
    "没什么比上班更好的了", "口罩什么的都带好了", "哪里哪里，应该的", "我还在排队呢", "好着呢",
    "详情见 https://www.shmetro.com/?page=1", "太好了！终于恢复了", "", "👍👍👍", "吗啡",
    "哪怕再难也要坚持", "有没有都无所谓",
])
def test_not_questions(text):
    assert not is_question(text), detect(text)


def test_cues_are_reported_once_and_in_order():
    found = detect("请问地铁什么时候恢复？什么时候？")
    assert found.cues[0] == "?" and found.cues.count("什么时候") == 1
    assert "请问" in found.cues and "什么" not in found.cues


def _scores():
    tp = fp = fn = 0
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        predicted, actual = is_question(row["comment"]), row["is_question"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    return len(rows), tp / (tp + fp), tp / (tp + fn)


def test_labelled_set_precision_and_recall():
    size, precision, recall = _scores()
    assert size >= 150
    # Figures at the time of writing: precision 0.989, recall 0.967 (156 comments).
    assert precision >= 0.95, precision
    assert recall >= 0.93, recall
