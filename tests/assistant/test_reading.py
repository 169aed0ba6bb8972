"""How the assistant reads a question, without a database: rewrites of
spoken words, slots of query questions, out-of-scope subjects, mistyped
words, the ranking's parts and the report's grouping."""

import numpy as np
import pytest

from civichall.assistant import intents, report, text
from civichall.assistant.ranking import Index, Item, Weights


def test_spoken_words_gain_the_official_ones():
    assert {"户口登记", "出生登记"} <= set(text.rewrites("宝宝出生了怎么上户口"))
    assert "申领" in text.rewrites("失业了怎么领钱")
    assert "提取" in text.rewrites("公积金怎么取出来")
    assert "同名" in text.rewrites("叫张伟的人多伐")
    # the official word is added, nothing of the question is lost
    words = text.terms("宝宝出生了怎么上户口")
    assert "宝宝" in words and "户口" in words and "登记" in words


def test_stop_words_and_separators_are_dropped():
    assert text.segment("请问，我想查一下！") == ["查"]
    assert text.segment("   ") == []


@pytest.mark.parametrize(("question", "route"), [
    ("71路到哪了", "71"), ("911路末班车走了伐", "911"), ("请问71路公交还有几分钟到", "71"),
    ("B1路几点来", "B1"),
])
def test_bus_questions_name_their_route(question, route):
    assert intents.detect(question) == intents.Intent("bus_realtime", {"route": route})


@pytest.mark.parametrize(("question", "item"), [
    ("奶茶杯是什么垃圾", "奶茶杯"), ("用过的电池属于什么垃圾", "电池"), ("小龙虾壳是湿垃圾还是干垃圾", "小龙虾壳"),
    ("大骨头怎么扔", "大骨头"),
])
def test_garbage_questions_name_their_item(question, item):
    assert intents.detect(question) == intents.Intent("garbage_sorting", {"item": item})


def test_what_is_it_counts_only_for_a_known_item():
    assert intents.detect("外卖盒算啥") is None
    assert intents.detect("外卖盒算啥", known_item=lambda name: name == "外卖盒").slots == {"item": "外卖盒"}
    assert intents.detect("失业了怎么领钱") is None


@pytest.mark.parametrize(("question", "subject"), [
    ("明天去北京的航班延误了吗", "flights"), ("茅台股票今天涨了没", "stocks"), ("最近有什么好看的电影", "films"),
    ("深圳公积金贷款额度是多少", "other cities"), ("讲个笑话", "chat"),
])
def test_subjects_outside_the_account_are_recognised(question, subject):
    assert intents.out_of_scope(question) == subject


def test_questions_within_the_account_are_not_declined():
    for question in ("失业了怎么领钱", "去海南过冬看病要备案吗", "71路到哪了", "研究生毕业想落户上海"):
        assert intents.out_of_scope(question) is None


def test_mistyped_words_are_found_by_their_sound():
    sounds = {text.sound_key(w): w for w in ("失业金", "结婚", "低保")}
    assert text.sound_alikes("失叶金在哪里申请", sounds, set()) == ["失业金"]
    assert "结婚" in text.sound_alikes("结昏登记", sounds, set())
    assert text.sound_alikes("结婚登记", sounds, {"结婚"}) == []


ITEMS = [
    Item("service:unemployment", "service", "service:unemployment", "失业保险金申领", "失业人员在线申领失业保险金",
         service_code="unemployment", keywords="失业 失业金 申领"),
    Item("service:newborn", "service", "service:newborn", "新生儿出生登记", "为新生儿办理出生登记和户口登记",
         service_code="newborn", keywords="新生儿 报户口"),
    Item("service:bus", "service", "service:bus", "实时公交", "查询公交车到站时间", service_code="bus", keywords="公交 到站"),
    Item("article:metro", "article", "article:metro", "地铁恢复运营", "轨道交通网络6月1日起恢复基本运营", slug="metro"),
    Item("article:metro:qa:0", "article", "article:metro", "末班车几点？", "末班车时间延长到23点", slug="metro"),
]


def _codes(hits):
    return [h.item.service_code or h.item.slug for h in hits]


def test_the_ranking_finds_the_service_in_spoken_words():
    index = Index.build(ITEMS)
    assert _codes(index.search("失业了怎么领钱"))[0] == "unemployment"
    assert _codes(index.search("宝宝出生了怎么上户口"))[0] == "newborn"
    assert _codes(index.search("失叶金在哪里申请"))[0] == "unemployment"
    # one answer per source: the article's Q&A pair stands for the article
    assert _codes(index.search("地铁末班车几点")) .count("metro") == 1


def test_rewrites_earn_their_place_on_a_spoken_question():
    index = Index.build(ITEMS)
    assert _codes(index.search("宝宝出生了怎么上户口"))[0] == "newborn"
    without = index.search("宝宝出生了怎么上户口", weights=Weights(rewrites=False))
    assert not without or without[0].score < index.search("宝宝出生了怎么上户口")[0].score


def test_the_index_follows_changes_without_a_rebuild():
    index = Index.build(ITEMS)
    index.remove("service:bus")
    assert "bus" not in _codes(index.search("公交到站"))
    index.put(Item("service:bus", "service", "service:bus", "实时公交", "查询公交车到站时间", service_code="bus"))
    assert _codes(index.search("公交到站"))[0] == "bus"
    index.put(Item("faq:1", "faq", "faq:1", "居住证积分怎么算", "按照居住证积分办法计算", keywords="积分"))
    assert _codes(index.search("居住证积分"))[0] is None and index.search("居住证积分")[0].item.key == "faq:1"


def test_a_saved_index_opens_memory_mapped_with_the_same_answers(tmp_path):
    def encoder(texts):  # a stand-in model: one dimension per character class
        return np.array([[len(t) % 7 + 1, 1.0] for t in texts], dtype=np.float32)

    index = Index.build(ITEMS, encoder)
    index.save(tmp_path / "copy")
    opened = Index.load(tmp_path / "copy", encoder, mmap=True)
    assert isinstance(opened.vectors, np.memmap)
    question = "失业了怎么领钱"
    assert _codes(opened.search(question)) == _codes(index.search(question))


def test_the_report_groups_similar_wording():
    groups = report.group_similar(["公积金怎么取", "公积金怎么取出来", "护照丢了怎么办", "公积金 怎么取"])
    assert groups[0].count == 3 and groups[0].example == "公积金怎么取"
    assert [g.count for g in groups] == [3, 1]


def test_daily_rates():
    rows = [("d1", "answered", False), ("d1", "unsure", True), ("d2", "query", False)]
    assert report.daily_rates(rows) == [
        {"day": "d1", "asked": 2, "hit_rate": 0.5, "handoff_rate": 0.5},
        {"day": "d2", "asked": 1, "hit_rate": 1.0, "handoff_rate": 0.0},
    ]


def test_what_a_question_asks_for():
    assert text.purpose("公积金怎么提取") == "apply"
    assert text.purpose("公积金余额多少") == "look_up"
    assert text.purpose("公积金") is None


def test_an_english_phrase_is_read_before_its_words():
    assert "失业" in text.rewrites("I lost my job, can I get unemployment money")
    assert "挂失" not in text.rewrites("I lost my job")
    assert "挂失" in text.rewrites("社保卡 lost 了")
    assert "驾驶证" in text.rewrites("my driving licence expired")


def test_what_to_do_is_no_keyword_and_a_long_word_gives_only_its_word_pieces():
    assert "怎么办" not in text.terms("社保卡丢了怎么办") and "么办" not in text.terms("社保卡丢了怎么办")
    pieces = text.terms("失业保险金")
    assert "失业" in pieces and "保险" in pieces and "业保" not in pieces


def test_an_item_put_after_the_build_is_ranked_like_a_built_one():
    """A service changed after the build lives in the overlay; the kind of
    service the question asks for counts there too."""
    index = Index.build(ITEMS)
    index.put(Item("service:loan", "service", "service:loan", "公积金贷款申请", "购房职工在线申请公积金贷款",
                   service_code="loan", keywords="公积金 贷款", service_kind="application"))
    asked = "公积金贷款怎么申请"
    with_purpose = {h.item.key: h.score for h in index.search(asked, weights=Weights(purpose=0.2))}
    without = {h.item.key: h.score for h in index.search(asked, weights=Weights(purpose=0.0))}
    assert with_purpose["service:loan"] == pytest.approx(without["service:loan"] + 0.2)
