"""Charts drawn on the server from an editor's table: the checks an editor
sees when a table cannot be charted, and the geometry readers see."""

import math
import re

import pytest
from django.utils import translation
from hypothesis import given, strategies as st

from civichall.content import charts

TABLE = {
    "data": [["月份", "客流"], ["5月", "120"], ["6月", "360"]],
    "first_row_is_table_header": True,
    "first_col_is_header": True,
    "table_caption": "",
}
PLOT_TOP = charts.PAD_TOP
PLOT_BOTTOM = charts.HEIGHT - charts.PAD_BOTTOM
PLOT_HEIGHT = PLOT_BOTTOM - PLOT_TOP


def problem(data, language="en"):
    with translation.override(language):
        return charts.table_problem({"data": data})


# --- what an editor is told ---------------------------------------------------------


@pytest.mark.parametrize("data", [None, [], [[]], [["", ""], ["", ""]], [["月份", "客流"]], [["月份"], ["5月"]]])
def test_empty_or_header_only_tables_are_refused(data):
    message = problem(data)
    assert message == "Enter a header row and at least one row of data with a label and a number."


def test_a_chartable_table_has_no_problem():
    assert charts.table_problem(TABLE) is None
    assert charts.table_problem(TABLE["data"]) is None  # a bare list of rows works too


def test_empty_trailing_rows_and_columns_from_the_editor_are_ignored():
    data = [["月份", "客流", ""], ["5月", "120", ""], ["6月", "360", None], ["", "", ""]]
    assert problem(data) is None
    chart = charts.build_chart({"data": data}, "bar")
    assert [label["text"] for label in chart["labels"]] == ["5月", "6月"]
    assert len(chart["series"]) == 1


def test_non_numeric_cell_is_named_with_row_and_column():
    message = problem([["月份", "客流"], ["5月", "120"], ["6月", "很多"]])
    assert message == "Row 3, column 2 is not a number: “很多”."


def test_ragged_table_points_at_the_missing_cell():
    message = problem([["月份", "客流", "同比"], ["5月", "120", "3"], ["6月", "360"]])
    assert message == "Row 3, column 3 is not a number: “”."


def test_row_without_label_is_refused():
    assert problem([["月份", "客流"], ["", "120"]]) == "Row 2 needs a label in the first column."


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e999"])
def test_numbers_no_chart_can_show_are_refused(cell):
    assert problem([["月份", "客流"], ["5月", cell]]) is not None
    assert charts.build_chart({"data": [["月份", "客流"], ["5月", cell]]}) is None


def test_messages_are_in_chinese_for_chinese_editors():
    message = problem([["月份", "客流"], ["5月", "很多"]], language="zh-hans")
    assert "很多" in message and re.search(r"[\u4e00-\u9fff]", message.replace("很多", ""))
    assert "not a number" not in message


# --- reading numbers ------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("120", 120), ("１２０", 120), ("1,234", 1234), ("1,234,567.5", 1234567.5), ("１，２３４", 1234),
    ("12.5%", 12.5), ("５０％", 50), ("１２．５", 12.5), (" 7 ", 7), ("-3", -3), ("0", 0),
])
def test_parse_number(text, value):
    assert charts.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十二", "1.2.3", "N/A"])
def test_parse_number_refuses_words(text):
    with pytest.raises(ValueError):
        charts.parse_number(text)


# --- bar charts ---------------------------------------------------------------------


def test_bar_heights_are_proportional_and_stand_on_the_axis():
    chart = charts.build_chart(TABLE, "bar")
    assert chart["type"] == "bar"
    bars = chart["series"][0]["bars"]
    assert [b["label"] for b in bars] == ["5月", "6月"]
    assert [b["value"] for b in bars] == ["120", "360"]
    assert bars[1]["height"] / bars[0]["height"] == pytest.approx(3, rel=0.01)
    for bar in bars:
        assert bar["y"] + bar["height"] == pytest.approx(PLOT_BOTTOM, abs=0.15)
        assert chart["plot"]["left"] <= bar["x"] < bar["x"] + bar["width"] <= chart["plot"]["right"]
    # The axis is a round number at or above the largest value, with 5 ticks from 0.
    assert [t["label"] for t in chart["ticks"]] == ["0", "125", "250", "375", "500"]
    assert chart["ticks"][0]["y"] == PLOT_BOTTOM and chart["ticks"][-1]["y"] == PLOT_TOP
    assert bars[1]["height"] == pytest.approx(PLOT_HEIGHT * 360 / 500, abs=0.1)


def test_bars_of_two_series_sit_side_by_side_without_overlap():
    data = [["区", "2021年", "2022年"], ["黄浦", "1,200", "1,500"], ["徐汇", "900", "1,800"]]
    chart = charts.build_chart({"data": data}, "bar")
    first, second = chart["series"]
    assert [first["name"], second["name"]] == ["2021年", "2022年"]
    assert first["colour"] != second["colour"]
    for a, b in zip(first["bars"], second["bars"]):
        assert a["x"] + a["width"] <= b["x"] + 0.05
    assert first["bars"][0]["value"] == "1,200"  # thousands separators shown back
    assert second["bars"][1]["height"] / second["bars"][0]["height"] == pytest.approx(1800 / 1500, rel=0.01)


def test_negative_and_zero_values_draw_no_bar_below_the_axis():
    chart = charts.build_chart({"data": [["x", "v"], ["a", "-5"], ["b", "0"], ["c", "10"]]}, "bar")
    heights = [b["height"] for b in chart["series"][0]["bars"]]
    assert heights[0] == 0 and heights[1] == 0 and heights[2] > 0


def test_all_zero_values_still_draw_an_axis():
    chart = charts.build_chart({"data": [["x", "v"], ["a", "0"], ["b", "0"]]}, "bar")
    assert [b["height"] for b in chart["series"][0]["bars"]] == [0, 0]
    assert len(chart["ticks"]) == 5


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=12))
def test_bar_heights_follow_the_values(values):
    data = [["label", "value"]] + [[f"第{i}项", f"{v:,}"] for i, v in enumerate(values)]
    chart = charts.build_chart({"data": data}, "bar")
    top = float(chart["ticks"][-1]["label"].replace(",", ""))
    assert max(values) <= top <= 10 * max(values)
    for value, bar in zip(values, chart["series"][0]["bars"]):
        assert bar["height"] == pytest.approx(PLOT_HEIGHT * value / top, abs=0.06)
        assert 0 <= bar["height"] <= PLOT_HEIGHT
    xs = [b["x"] for b in chart["series"][0]["bars"]]
    assert xs == sorted(xs)


# --- line charts --------------------------------------------------------------------


def test_line_points_rise_with_the_values():
    data = [["月份", "客流"], ["4月", "50"], ["5月", "120"], ["6月", "360"]]
    chart = charts.build_chart({"data": data}, "line")
    assert chart["type"] == "line"
    line = chart["series"][0]
    points = [tuple(map(float, p.split(","))) for p in line["points"].split()]
    assert len(points) == 3
    assert [p[0] for p in points] == sorted(p[0] for p in points)
    assert points[0][1] > points[1][1] > points[2][1]  # higher value, higher on screen (smaller y)
    assert [(d["x"], d["y"]) for d in line["dots"]] == points
    assert [d["value"] for d in line["dots"]] == ["50", "120", "360"]
    assert PLOT_BOTTOM - points[2][1] == pytest.approx(PLOT_HEIGHT * 360 / 500, abs=0.1)


# --- pie charts ---------------------------------------------------------------------


def percents(chart):
    return [float(s["percent"].rstrip("%")) for s in chart["slices"]]


def test_pie_slices_and_percentages():
    data = [["方式", "人数"], ["地铁", "50"], ["公交", "30"], ["步行", "20"]]
    chart = charts.build_chart({"data": data}, "pie")
    assert chart["type"] == "pie" and chart["series_name"] == "人数"
    assert [s["label"] for s in chart["slices"]] == ["地铁", "公交", "步行"]
    assert percents(chart) == [50.0, 30.0, 20.0]
    assert sum(percents(chart)) == pytest.approx(100)
    assert len({s["colour"] for s in chart["slices"]}) == 3
    for slice_ in chart["slices"]:
        assert slice_["path"].startswith("M ") and slice_["path"].endswith("Z")
    legend = [s["legend_y"] for s in chart["slices"]]
    assert legend == sorted(legend) and len(set(legend)) == 3


def test_pie_slice_over_half_uses_the_large_arc():
    chart = charts.build_chart({"data": [["x", "v"], ["大", "70"], ["小", "30"]]}, "pie")
    big, small = chart["slices"]
    assert " 0 1,1 " in big["path"] and " 0 0,1 " in small["path"]


def test_pie_of_a_single_value_is_a_full_circle():
    chart = charts.build_chart({"data": [["x", "v"], ["全部", "12"]]}, "pie")
    assert percents(chart) == [100.0]
    assert chart["slices"][0]["path"].count(" a ") == 2


def test_pie_with_nothing_to_show_falls_back_to_the_table():
    assert charts.build_chart({"data": [["x", "v"], ["a", "0"], ["b", "-3"]]}, "pie") is None


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=7).filter(any))
def test_pie_percentages_add_up_to_100(values):
    data = [["label", "value"]] + [[f"第{i}项", str(v)] for i, v in enumerate(values)]
    chart = charts.build_chart({"data": data}, "pie")
    shown = percents(chart)
    # Each share is rounded to one decimal for display; the shares themselves make 100%.
    assert sum(shown) == pytest.approx(100, abs=0.05 * len(values) + 1e-9)
    for value, pct in zip(values, shown):
        assert pct == pytest.approx(100 * value / sum(values), abs=0.05 + 1e-9)


def test_the_chart_fits_the_svg_box():
    chart = charts.build_chart(TABLE, "pie")
    assert (chart["width"], chart["height"]) == (charts.WIDTH, charts.HEIGHT)
    numbers = [float(n) for s in chart["slices"] for n in re.findall(r"-?\d+(?:\.\d+)?", s["path"])]
    coords = [n for n in numbers if n not in (0, 1)]
    assert all(0 <= n <= charts.WIDTH for n in coords) and not any(math.isnan(n) for n in coords)


def test_unparseable_tables_give_no_chart():
    assert charts.build_chart({"data": [["x", "v"], ["a", "很多"]]}, "bar") is None
    assert charts.build_chart({"data": []}, "line") is None
    assert charts.build_chart(None, "pie") is None
