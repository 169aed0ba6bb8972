"""Clickbait scorer: clear cases both ways, and the labelled set."""

import csv
from pathlib import Path

import pytest

from civichall.safety.clickbait import THRESHOLD, score_title, title_decision

DATA = Path(__file__).resolve().parent.parent / "data" / "clickbait_titles.csv"


@pytest.mark.parametrize(
    "title",
    [
        "上海轨道交通网络6月1日起恢复基本运营",
        "蚊虫季，这份防护问答请收好",
        "12问答：上海高院适用于知识产权保护的司法保障措施",
        "家庭清洁消毒怎么做？十张海报告诉你",
        "夏季防溺水，这份安全指南请转给家长",
        "今天起，这3类人群可预约接种带状疱疹疫苗",
        "提醒！今夜起申城将迎强降雨",
    ],
)
def test_proper_titles_pass(title):
    score, _ = score_title(title)
    assert score < THRESHOLD
    assert title_decision(score) == "pass"


@pytest.mark.parametrize(
    "title, code",
    [
        ("震惊！上海地铁里竟然发生了这种事", "hype"),
        ("不看后悔！社保这样交能多领一倍", "call_to_action"),
        ("99%的人不知道，身份证还有这个用途", "call_to_action"),
        ("第5个最可怕，很多人每天都在做", "teaser_number"),
        ("重要的事说三遍！！！", "punctuation"),
        ("她做了一件事，全村人都哭了", "withheld"),
    ],
)
def test_clickbait_titles_flagged_with_reason(title, code):
    score, reasons = score_title(title)
    assert score >= THRESHOLD
    assert title_decision(score) == "review"
    assert code in {r.code for r in reasons}
    for r in reasons:
        assert r.message and r.message_en and r.weight > 0


def test_reason_carries_evidence():
    _, reasons = score_title("震惊！真相竟然是这样")
    hype = next(r for r in reasons if r.code == "hype")
    assert "震惊" in hype.words
    d = hype.to_dict()
    assert d["start"] == 0 and d["end"] == 2
    assert set(d) >= {"code", "message", "message_en", "weight", "words"}


def test_single_weak_cue_stays_below_threshold():
    for title in ("社保卡换发第三代，需要本人办理吗？", "注意！明起这些路段实行交通管制",
                  "老年人防诈骗指南：记住这六个“不要”"):
        assert score_title(title)[0] < THRESHOLD, title


def test_title_body_mismatch():
    title = "地铁票价调整方案公布"
    good_body = "市发改委今天公布地铁票价调整方案，起步价不变，调整方案自下月起实施。"
    bad_body = "今年夏天的高温天气持续，市民出门请做好防暑降温，多喝水。"
    assert score_title(title, good_body)[0] < THRESHOLD
    score, reasons = score_title(title, bad_body)
    assert score >= THRESHOLD
    assert "title_body_mismatch" in {r.code for r in reasons}


def test_empty_title():
    assert score_title("") == (0.0, [])


def test_labelled_set_precision_recall():
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    labels = {r["label"] for r in rows}
    assert labels == {"clickbait", "proper"}
    assert len(rows) >= 320
    tp = fp = fn = 0
    for r in rows:
        flagged = score_title(r["title"])[0] >= THRESHOLD
        gold = r["label"] == "clickbait"
        tp += flagged and gold
        fp += flagged and not gold
        fn += gold and not flagged
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    # Measured 1.00 / 0.88; proper titles must essentially never be held up.
    assert precision >= 0.95
    assert recall >= 0.82
