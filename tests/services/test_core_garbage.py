"""Garbage sorting lookup: the item list and the answers for common items."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from civichall.services import _text
from civichall.services.garbage import (
    CATEGORIES,
    CATEGORY_TIPS,
    DATA_FILE,
    DRY,
    HAZARDOUS,
    RECYCLABLE,
    WET,
    load_items,
    lookup,
)


def test_at_least_520_items_in_the_four_categories():
    items = load_items()
    assert len(items) >= 520
    counts = Counter(i.category for i in items)
    assert set(counts) == set(CATEGORIES)
    assert all(n >= 40 for n in counts.values())
    for c in CATEGORIES:
        assert CATEGORY_TIPS[c].zh and CATEGORY_TIPS[c].en


def test_file_columns_and_unique_names():
    with open(DATA_FILE, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["name", "category", "aliases", "tip"]
        rows = list(reader)
    owner: dict[str, str] = {}
    for row in rows:
        assert row["name"] and row["tip"]
        for key in [row["name"], *filter(None, row["aliases"].split("|"))]:
            folded = _text.normalize(key)
            assert owner.setdefault(folded, row["name"]) == row["name"], f"{key} belongs to two items"


@pytest.mark.parametrize("query, name, category", [
    ("奶茶杯", "奶茶杯", DRY),
    ("用过的纸巾", "用过的纸巾", DRY),
    ("餐巾纸", "用过的纸巾", DRY),
    ("过期药品", "过期药品", HAZARDOUS),
    ("大骨头", "大骨头", DRY),
    ("小龙虾壳", "小龙虾壳", WET),
    ("干电池", "干电池", DRY),
    ("充电电池", "充电电池", HAZARDOUS),
    ("纽扣电池", "纽扣电池", HAZARDOUS),
    ("玻璃瓶", "玻璃瓶", RECYCLABLE),
    ("旧衣服", "旧衣服", RECYCLABLE),
    ("喝剩的奶茶", "剩奶茶", WET),
    ("湿纸巾", "湿纸巾", DRY),
    ("鸡骨头", "鸡骨头", WET),
    ("贝壳", "贝壳", DRY),
    ("榴莲壳", "榴莲壳", DRY),
    ("粽叶", "粽叶", DRY),
    ("蟹壳", "蟹壳", WET),
    ("节能灯", "节能灯", HAZARDOUS),
    ("水银温度计", "水银温度计", HAZARDOUS),
    ("易拉罐", "易拉罐", RECYCLABLE),
    ("快递纸箱", "快递纸箱", RECYCLABLE),
    ("茶叶渣", "茶叶渣", WET),
    ("烟头", "烟头", DRY),
    ("ＰＥＴ瓶", "塑料瓶", RECYCLABLE),  # full-width letters
])
def test_common_items(query, name, category):
    result = lookup(query)
    assert result.certain
    assert (result[0].name, result[0].category) == (name, category)
    assert result[0].matched_by in ("exact", "alias")
    assert result.hint is None


def test_bubble_tea_cup_tip_explains_the_leftover():
    match = lookup("奶茶杯")[0]
    assert "下水口" in match.tip and "湿垃圾" in match.tip
    assert match.category_tip.zh.startswith("尽量沥干水分")
    assert match.category_en.startswith("Dry waste")


def test_names_inside_a_longer_query():
    assert lookup("一个奶茶杯子")[0].name == "奶茶杯"
    assert lookup("吃剩的西瓜皮")[0].name == "西瓜皮"
    assert lookup("过期的感冒药")[0].category == HAZARDOUS


def test_batteries_get_both_answers():
    for query in ("废旧电池", "电池"):
        result = lookup(query)
        assert not result.certain
        names = {m.name: m.category for m in result}
        assert names["干电池"] == DRY
        assert names["充电电池"] == HAZARDOUS and names["纽扣电池"] == HAZARDOUS
    assert "有害垃圾" in lookup("干电池")[0].tip  # the tip tells the difference


def test_a_typo_still_finds_the_item():
    result = lookup("香焦皮")
    assert result[0].name == "香蕉皮" and result[0].matched_by == "fuzzy"


@pytest.mark.parametrize("query", ["宇宙飞船", "ABC", "量子计算机"])
def test_unknown_gives_no_match_and_a_hint(query):
    result = lookup(query)
    assert len(result) == 0 and not result
    assert "换个" in result.hint.zh and result.hint.en


def test_empty_and_too_short():
    assert lookup("  ").hint.zh.startswith("请输入")
    assert lookup("纸").matches == [] and "具体" in lookup("纸").hint.zh


def test_as_dict_for_the_api():
    out = lookup("电池").as_dict()
    assert out["query"] == "电池"
    assert {"name", "category", "category_en", "tip", "category_tip", "matched_by"} <= set(out["matches"][0])
