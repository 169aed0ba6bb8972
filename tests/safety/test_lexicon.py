"""Lexicon CSV parsing/export, and the starter lexicon itself."""

import io

import pytest

from civichall.safety.engine import STARTER_LEXICON
from civichall.safety.lexicon import export_lexicon_csv, parse_lexicon_csv
from civichall.safety.matcher import Entry, Matcher


def parse(text):
    return parse_lexicon_csv(io.StringIO(text))


def test_good_file():
    entries, allow, errors = parse(
        "term,category,severity,pinyin,note\n"
        "赌博,gambling_drugs,block,1,示例\n"
        "代考包过,其他,review,,\n"
        "大麻烦,,allow,,常用词\n"
    )
    assert errors == []
    assert entries == [Entry("赌博", "gambling_drugs", "block", True, "示例"),
                       Entry("代考包过", "other", "review", False, "")]
    assert [a.term for a in allow] == ["大麻烦"]


def test_optional_columns_and_order():
    entries, allow, errors = parse("severity,term,category\nblock,炸学校,暴恐\n")
    assert errors == [] and entries == [Entry("炸学校", "violence", "block")]


def test_chinese_labels_and_bom():
    data = "\ufeffterm,category,severity\n傻逼,低俗,拦截\n赌场,赌毒,人工审核\n".encode("utf-8")
    entries, _, errors = parse_lexicon_csv(io.BytesIO(data))
    assert errors == []
    assert [(e.category, e.severity) for e in entries] == [("vulgar", "block"), ("gambling_drugs", "review")]


def test_bad_rows_reported_and_nothing_importable():
    entries, allow, errors = parse(
        "term,category,severity\n"
        "赌博,gambling_drugs,block\n"   # line 2: fine
        ",other,block\n"                # line 3: empty term
        "某词,nonsense,block\n"         # line 4: bad category
        "某词二,other,delete\n"         # line 5: bad severity
        "賭博,gambling_drugs,review\n"  # line 6: duplicate of line 2 after folding
        "@@@,other,block\n"             # line 7: empty after normalisation
        "大麻烦,,allow\n"               # line 8: fine
    )
    assert entries == [] and allow == []
    lines = [e[0] for e in errors]
    assert lines == [3, 4, 5, 6, 7]
    for line, message in errors:
        assert message.zh and message.en
    assert "第 2 行" in errors[3][1].zh


def test_missing_header_columns():
    entries, allow, errors = parse("term,severity\n赌博,block\n")
    assert entries == [] and errors[0][0] == 1 and "category" in errors[0][1].en


def test_empty_file():
    assert parse("")[2][0][0] == 1


def test_bad_pinyin_value():
    _, _, errors = parse("term,category,severity,pinyin\n赌博,other,block,maybe\n")
    assert errors and errors[0][0] == 2


def test_export_roundtrip():
    entries = [Entry("赌博", "gambling_drugs", "block", True, "注, 带逗号"), Entry("替考", "other", "review")]
    allow = [Entry("代替考生", "other", "allow", False, "常用语"), "大麻烦"]
    buf = io.StringIO()
    export_lexicon_csv(entries, allow, buf)
    e2, a2, errors = parse(buf.getvalue())
    assert errors == []
    assert e2 == entries
    assert [a.term for a in a2] == ["代替考生", "大麻烦"]
    assert a2[0].note == "常用语"


# --- the starter lexicon -----------------------------------------------------------


def starter():
    with open(STARTER_LEXICON, encoding="utf-8") as f:
        return parse_lexicon_csv(f)


def test_starter_lexicon_is_valid_and_sized():
    entries, allow, errors = starter()
    assert errors == []
    assert 60 <= len(entries) <= 120
    assert len(allow) >= 10
    assert {e.category for e in entries} == {"political", "vulgar", "violence", "gambling_drugs",
                                             "fraud_spam", "personal_data", "other"}
    assert all(e.severity == "review" for e in entries if e.category == "political")


ALLOW = [a.term for a in starter()[1]]


@pytest.mark.parametrize("phrase", ALLOW)
def test_each_allow_row_is_needed_and_works(phrase):
    entries, allow, _ = starter()
    without = Matcher(entries).scan(f"据报道，{phrase}。")
    assert without, f"{phrase} contains no listed term: the allow row does nothing"
    assert Matcher(entries, allow).scan(f"据报道，{phrase}。") == []
