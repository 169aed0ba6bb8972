"""Engine: decisions per kind, result shape, lexicon choice."""

import pytest

from civichall.safety.engine import build_matcher, check, default_matcher
from civichall.safety.matcher import Entry

PHONE = "13812345678"


def test_result_shape():
    r = check("上海轨道交通网络6月1日起恢复基本运营", "title")
    assert set(r) == {"decision", "hits", "scores", "reasons"}
    assert r["decision"] == "pass"
    assert r["hits"] == []
    assert "clickbait" in r["scores"]


def test_block_hit_blocks_every_kind():
    for kind in ("title", "body", "comment", "reply"):
        r = check("有人说要炸学校", kind)
        assert r["decision"] == "block", kind
        hit = r["hits"][0]
        assert set(hit) == {"term", "category", "severity", "start", "end", "matched"}
        assert (hit["start"], hit["end"], hit["matched"]) == (4, 7, "炸学校")
        assert any(x["code"] == "lexicon_block" for x in r["reasons"])


def test_evasion_is_blocked_with_original_span():
    text = "网络賭@場注册送彩金"
    r = check(text, "comment")
    assert r["decision"] == "block"
    h = r["hits"][0]
    assert h["term"] == "网络赌场" and text[h["start"]:h["end"]] == "网络賭@場"


def test_review_hit_reviews():
    r = check("这篇讲的是赌博的危害", "body")
    assert r["decision"] == "review"
    assert r["hits"][0]["severity"] == "review"


def test_allow_phrase_passes():
    assert check("公安机关严厉打击赌博违法犯罪", "body")["decision"] == "pass"


def test_personal_data_in_published_content_reviews():
    for kind in ("title", "body", "reply"):
        r = check(f"联系人电话{PHONE}", kind)
        assert r["decision"] == "review", kind
        assert r["hits"][0]["category"] == "personal_data"
        assert r["hits"][0]["severity"] == "review"


def test_personal_data_in_comment_is_masked_not_held():
    r = check(f"我的电话{PHONE}，麻烦回电", "comment")
    assert r["decision"] == "pass"
    assert r["hits"][0]["severity"] == "mask"
    assert r["masked"] == "我的电话138****5678，麻烦回电"
    assert set(r) == {"decision", "hits", "scores", "reasons", "masked"}


def test_comment_with_nothing_to_mask():
    r = check("支持，希望早日开通", "comment")
    assert r["decision"] == "pass" and r["masked"] == "支持，希望早日开通"


def test_clickbait_only_for_titles():
    text = "震惊！万万没想到竟然是这样！！"
    assert check(text, "title")["decision"] == "review"
    assert check(text, "body")["decision"] == "pass"
    assert "clickbait" not in check(text, "body")["scores"]


def test_title_with_body():
    r = check("地铁票价调整方案公布", "title", body="今天天气晴朗，适合户外活动。")
    assert r["decision"] == "review"
    assert any(x["code"] == "title_body_mismatch" for x in r["reasons"])


def test_tone_only_for_replies():
    text = "呵呵，自己去查。"
    r = check(text, "reply")
    assert r["decision"] == "review"
    assert r["scores"]["tone"] >= r["scores"]["tone_threshold"]
    codes = [x["code"] for x in r["reasons"]]
    assert "dismissive" in codes and "suggestion" in codes
    for x in r["reasons"]:
        assert x["message"] and x["message_en"]
    assert check(text, "comment")["decision"] == "pass"


def test_good_reply_passes():
    r = check("您好，6月1日起地铁全网恢复运营，首末班车时间见上海地铁官网，如有疑问可拨打12345。", "reply")
    assert r["decision"] == "pass" and r["reasons"] == []


def test_bad_kind():
    with pytest.raises(ValueError, match="unknown kind"):
        check("你好", "headline")


def test_custom_lexicon():
    m = build_matcher([Entry("测试词", "other", "block")], allow=["测试词典"])
    assert check("这是测试词", "body", lexicon=m)["decision"] == "block"
    assert check("这是测试词典", "body", lexicon=m)["decision"] == "pass"
    assert check("炸学校", "body", lexicon=m)["decision"] == "pass"


def test_default_lexicon_is_cached():
    assert default_matcher() is default_matcher()


def test_empty_text():
    r = check("", "body")
    assert r["decision"] == "pass" and r["hits"] == []
