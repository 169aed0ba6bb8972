"""The assistant's tests: a fresh index in a temporary folder for each test,
words only unless a test asks for meaning too (the embedding model takes a
few seconds to warm up), and a small catalog of services and articles in
real Chinese."""

import pytest

from civichall.services.models import Service

ARTICLE_BODY = [
    {"type": "rich_text", "value": "<p>自6月1日起，失业人员可在网上申领失业保险金，无需到窗口排队。</p>"},
    {"type": "qa_list", "value": {"title": "常见问题", "items": [
        {"question": "外地户籍的失业人员能申领吗？", "answer": "<p>在本市参加失业保险、符合条件的外地户籍人员同样可以申领。</p>"},
        {"question": "失业保险金每月什么时候发放？", "answer": "<p>每月10日前发放到本人社保卡银行账户。</p>"},
    ]}},
    {"type": "key_points", "value": {"title": "敲黑板", "points": ["申领失业保险金全程网办，不见面办理"]}},
]


@pytest.fixture(autouse=True)
def fresh_index(settings, tmp_path):
    from civichall.assistant import index

    settings.VAR_DIR = tmp_path
    settings.CIVICHALL_ASSISTANT_EMBEDDINGS = False
    index.forget()
    yield
    index.forget()


@pytest.fixture
def meaning(settings):
    """Rank by meaning as well (the sentence-embedding model)."""
    from civichall.assistant import index

    settings.CIVICHALL_ASSISTANT_EMBEDDINGS = True
    index.forget()


SERVICES = [
    ("bus_realtime", "query", "实时公交", "巴士 公交车", "公交 到站 几分钟 公交线路 候车", "查询公交车到站时间，显示下一班车还有几分钟到站。", False),
    ("garbage_sorting", "query", "垃圾分类查询", "垃圾", "垃圾分类 干垃圾 湿垃圾 可回收物 有害垃圾", "输入物品名称，查询它属于哪类垃圾。", False),
    ("unemployment_insurance", "application", "失业保险金申领", "失业", "失业保险 失业金 申领", "失业人员在线申领失业保险金。", True),
    ("newborn_hukou", "application", "新生儿出生登记", "", "新生儿 报户口 出生登记", "为新生儿办理出生登记和户口登记。", True),
    ("residence_permit", "application", "居住证办理", "", "居住证 签注 积分", "来沪人员申领上海市居住证。", True),
    ("housing_fund", "link", "公积金查询", "住房公积金", "公积金 余额 缴存", "查询住房公积金账户余额和缴存明细。", False),
    ("traffic_violations", "query", "交通违法查询", "违法", "违章 罚款 记分 车牌", "查询本人名下机动车的交通违法记录。", True),
]


@pytest.fixture
def catalog(make_org):
    """The services above, owned by a bureau, and the municipal account."""
    municipal = make_org("shanghai", kind="municipal", name_zh="上海市人民政府")
    bureau = make_org("hrss", name_zh="市人社局", parent=municipal)
    for code, kind, name, synonyms, keywords, description, login in SERVICES:
        Service.objects.create(code=code, kind=kind, name_zh=name, synonyms=synonyms, keywords=keywords,
                               description_zh=description, organisation=bureau, requires_login=login,
                               link_url="https://example.gov.cn/" if kind == "link" else "")
    return {"municipal": municipal, "bureau": bureau}


@pytest.fixture
def article(catalog, make_article):
    return make_article(catalog["bureau"], title="失业保险金可以网上申领了", body=ARTICLE_BODY,
                        slug="unemployment-online", publish=True)
