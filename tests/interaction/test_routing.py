"""Routing rules, as a pure function."""

from civichall.interaction.routing import Rule, parse_keywords, route

TRANSPORT = Rule(1, "transport-commission", frozenset({"traffic"}), (), priority=0, name="交通专题")
METRO = Rule(2, "shanghai-metro", frozenset(), ("地铁", "首班车", "末班车"), priority=0)
HEALTH = Rule(3, "health-commission", frozenset(), ("核酸", "疫苗"), priority=5)
SCHOOL = Rule(4, "education-commission", frozenset({"education"}), ("返校",), priority=0)
RULES = [TRANSPORT, METRO, HEALTH, SCHOOL]


def test_no_rule_keeps_the_article_organisation():
    r = route("谢谢你们的辛苦付出？", "shanghai", ["daily-life"], RULES)
    assert (r.organisation, r.via, r.rule) == ("shanghai", "article", None)


def test_keyword_beats_topic_at_equal_priority():
    r = route("首班车几点？", "shanghai", ["traffic"], RULES)
    assert (r.organisation, r.via, r.matched) == ("shanghai-metro", "rule", ("首班车",))


def test_topic_rule_when_no_keyword():
    assert route("公交什么时候恢复？", "shanghai", ["traffic"], RULES).organisation == "transport-commission"


def test_priority_first():
    r = route("坐地铁要核酸证明吗？", "shanghai", ["traffic"], RULES)
    assert r.organisation == "health-commission"


def test_rule_with_topic_and_keyword_needs_both():
    assert route("孩子返校要准备什么？", "shanghai", [], RULES).organisation == "shanghai"
    assert route("孩子返校要准备什么？", "shanghai", ["education"], RULES).organisation == "education-commission"


def test_article_organisation_first_when_a_rule_names_it():
    r = route("末班车几点？", "transport-commission", ["traffic"], RULES)
    assert (r.organisation, r.via) == ("transport-commission", "article")


def test_empty_rule_never_matches_and_order_does_not_matter():
    empty = Rule(9, "x", frozenset(), ())
    assert route("地铁？", "shanghai", [], [empty]).organisation == "shanghai"
    twin = Rule(7, "railway-group", frozenset(), ("地铁",))
    a = route("地铁？", "shanghai", [], [METRO, twin]).organisation
    b = route("地铁？", "shanghai", [], [twin, METRO]).organisation
    assert a == b == "shanghai-metro"


def test_case_insensitive_keywords():
    rule = Rule(1, "big-data-center", frozenset(), ("APP",))
    assert route("随申办app在哪下载", "shanghai", [], [rule]).organisation == "big-data-center"


def test_parse_keywords():
    assert parse_keywords("地铁，首班车、末班车;地铁\n APP ") == ("地铁", "首班车", "末班车", "APP")
    assert parse_keywords("") == ()
