"""Tone check for replies: clear cases both ways, and the labelled set."""

import csv
from pathlib import Path

import pytest

from civichall.safety.tone import THRESHOLD, check_reply, reply_decision

DATA = Path(__file__).resolve().parent.parent / "data" / "official_replies.csv"

GOOD = "您好，6月1日起地铁全网恢复运营，首末班车时间见上海地铁官网，如有疑问可拨打12345。"


def test_good_reply_passes():
    score, reasons, suggestion = check_reply(GOOD)
    assert score < THRESHOLD
    assert reasons == []
    assert suggestion == ""
    assert reply_decision(score) == "pass"


@pytest.mark.parametrize(
    "reply, code",
    [
        ("不满意就换工作，又没人逼你。", "dismissive"),
        ("爱干不干。", "dismissive"),
        ("你行你上啊", "dismissive"),
        ("亲，这个我们也不清楚哦~", "slang"),
        ("666，yyds！", "slang"),
        ("栓Q，问得好", "slang"),
        ("你有病吧！！！", "outburst"),
    ],
)
def test_flippant_replies_flagged(reply, code):
    score, reasons, suggestion = check_reply(reply)
    assert score >= THRESHOLD
    assert code in {r.code for r in reasons}
    assert "礼貌" in suggestion


def test_empty_talk_without_facts_flagged_with_missing_items():
    score, reasons, suggestion = check_reply("您反映的问题我们高度重视，将责成有关部门认真研究，妥善处理。")
    assert score >= THRESHOLD
    assert "empty_talk" in {r.code for r in reasons}
    assert suggestion == "请补充具体时间、地点、联系电话或下一步安排"


def test_set_phrases_with_facts_pass():
    reply = "您好，我们高度重视您的反映，已于5月20日将问题转交闵行区市场监管局，该局将在10个工作日内回复处理结果。"
    assert check_reply(reply)[0] < THRESHOLD


@pytest.mark.parametrize(
    "reply",
    [
        "您好，父亲节当天公园正常开放，开放时间为6:00至18:00。",
        "您好，亲属代办需携带委托书及双方身份证原件，办理地点为各区社区事务受理服务中心。",
        "您好，666路公交车末班车时间为22:30。",
        "您好，哈尔滨路菜场改造期间临时摊位设在海宁路口。",
    ],
)
def test_lookalikes_of_slang_pass(reply):
    assert check_reply(reply)[0] < THRESHOLD


def test_labelled_set_precision_recall():
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    assert {r["label"] for r in rows} == {"ok", "flag"}
    assert len(rows) >= 120
    tp = fp = fn = 0
    for r in rows:
        flagged = check_reply(r["reply"])[0] >= THRESHOLD
        gold = r["label"] == "flag"
        tp += flagged and gold
        fp += flagged and not gold
        fn += gold and not flagged
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    # Measured 1.00 / 0.94 (the fresh batches added last are the hard part).
    assert precision >= 0.95
    assert recall >= 0.88
