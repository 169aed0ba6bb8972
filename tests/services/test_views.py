"""The public pages of the service matrix, through the Django test client:
hubs, the one-window search, every kind of service page, query forms and
their answers against the in-process fake department, identity prompts,
the account menu, and inputs that must never produce a server error."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.test import Client

from civichall.contrib.demo import fake_department
from civichall.services import runtime
from civichall.services.models import Hub, HubEntry, Service, ServiceKind, ServiceStatus

from .django_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def text(response):
    """The visible text of a page's main part, tags removed."""
    body = html(response)
    main = body[body.find("<main"): body.find("</main>")]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def nav(response):
    body = html(response)
    start = body.find('<nav class="bottom-nav"')
    return body[start: body.find("</nav>", start)]


def tiles(response):
    return re.findall(r'data-service="([^"]+)"', html(response))


# --- hubs and the index ------------------------------------------------------------------


def test_municipal_hall_shows_its_services_as_tiles_grouped_by_account(client, svc):
    svc("garbage_sorting")
    response = client.get("/services/hub/municipal-hall/")
    assert response.status_code == 200
    codes = tiles(response)
    assert len(codes) >= 20
    assert {"bus_realtime", "garbage_sorting", "hospital_reports", "waterlogging"} <= set(codes)
    assert "nat_booking" not in codes  # retired services are not offered
    # The hall shows linked accounts' services under each account's name.
    page = text(response)
    assert "市民大厅" in page
    district = Service.objects.exclude(organisation__kind="municipal").filter(
        organisation__kind="district").select_related("organisation").first()
    assert district is not None and district.code in codes
    assert district.organisation.display_account_name in page
    assert 'class="tile is-maintenance"' in html(response)  # public_bike is under maintenance


def test_hub_without_linked_accounts_lists_its_own_services_only(client, svc):
    svc("garbage_sorting")
    response = client.get("/services/hub/apply/")
    assert response.status_code == 200
    codes = tiles(response)
    assert len(codes) >= 44
    assert set(codes) == set(Hub.objects.get(slug="apply").entries.values_list("service__code", flat=True))


def test_unknown_hub_is_a_friendly_404(client, svc):
    response = client.get("/services/hub/no-such-hub/")
    assert response.status_code == 404
    assert "页面不存在" in html(response) or "不存在" in text(response)


def test_services_index_lists_hubs_and_the_search_box(client, svc):
    svc("garbage_sorting")
    response = client.get("/services/")
    assert response.status_code == 200
    body = html(response)
    assert 'href="/services/hub/municipal-hall/"' in body and 'href="/services/hub/apply/"' in body
    assert 'action="/services/search/"' in body and 'name="q"' in body
    assert client.get("/services/?topic=apply")["Location"] == "/services/hub/apply/"
    assert client.get("/services/?topic=traffic").status_code == 200  # not a hub: the index


# --- the one window ----------------------------------------------------------------------


def test_search_finds_services_across_accounts_with_owner_and_kind(client, svc):
    response = client.get("/services/search/", {"q": "公交"})
    assert response.status_code == 200
    body = html(response)
    assert 'href="/services/bus_realtime/"' in body
    page = text(response)
    assert svc("bus_realtime").organisation.name_zh in page
    assert "查询服务" in page or "Query service" in page


def test_search_understands_synonyms(client, svc):
    response = client.get("/services/search/", {"q": "社会保障"})
    assert 'href="/services/social_security_card/"' in html(response)
    response = client.get("/services/search/", {"q": "巴士"})
    assert 'href="/services/bus_realtime/"' in html(response)


def test_empty_search_gets_suggestions(client, svc):
    for q in ("", "   "):
        response = client.get("/services/search/", {"q": q})
        assert response.status_code == 200
        assert 'id="search-message"' in html(response)
        assert "/services/search/?q=" in html(response)
    assert client.get("/services/search/").status_code == 200


def test_too_long_search_gets_a_friendly_message(client, svc):
    response = client.get("/services/search/", {"q": "公交" * 100})
    assert response.status_code == 400
    assert 'id="search-message"' in html(response)
    assert "50" in text(response)


def test_search_without_results_offers_suggestions_and_the_hotline(client, svc):
    response = client.get("/services/search/", {"q": "量子纠缠"})
    assert response.status_code == 200
    page = text(response)
    assert "12345" in page and 'href="tel:12345"' in html(response)
    assert 'href="/services/hub/municipal-hall/"' in html(response)


def test_search_in_english(client, svc):
    response = client.get("/services/search/", {"q": "bus", "lang": "en"})
    assert response.status_code == 200
    assert "Real-time bus" in text(response)


# --- query services: public, bookmarkable ------------------------------------------------


def test_service_page_shows_form_from_the_input_schema(client, svc):
    response = client.get("/services/garbage_sorting/")
    assert response.status_code == 200
    body, page = html(response), text(response)
    assert "垃圾分类查询" in page and svc("garbage_sorting").organisation.name_zh in page
    assert '<form class="stack query-form" method="get"' in body
    assert 'name="item"' in body and "物品名称" in page
    assert "奶茶杯" in page  # the example as a hint
    assert 'id="answer"' not in body  # nothing asked yet


def test_garbage_lookup_is_a_get_and_shows_the_category_card(client, svc):
    response = client.get("/services/garbage_sorting/", {"item": "奶茶杯"})
    assert response.status_code == 200
    body = html(response)
    assert 'class="garbage-card garbage-dry"' in body
    assert "干垃圾" in text(response)
    assert 'value="奶茶杯"' in body  # the form keeps what was typed
    hazardous = client.get("/services/garbage_sorting/", {"item": "过期药品"})
    assert 'class="garbage-card garbage-hazardous"' in html(hazardous)


def test_garbage_lookup_in_english(client, svc):
    response = client.get("/services/garbage_sorting/", {"item": "奶茶杯", "lang": "en"})
    assert response.status_code == 200
    assert "Item" in text(response) and "Dry waste" in text(response)


def test_bus_query_shows_arrivals_in_minutes(client, svc, buses_running):
    cache.clear()
    response = client.get("/services/bus_realtime/", {"stop": "人民广场", "route": "", "limit": ""})
    assert response.status_code == 200, text(response)
    body = html(response)
    assert body.count('class="arrival"') >= 1
    assert re.search(r'class="minutes">(即将进站|\d+ ?分钟)', body)
    assert "人民广场" in text(response)


def test_unknown_stop_is_an_error_on_that_field(client, svc):
    response = client.get("/services/bus_realtime/", {"stop": "不存在的站点名称"})
    assert response.status_code == 400
    body = html(response)
    assert 'class="field has-error"' in body and 'aria-invalid="true"' in body
    assert 'value="不存在的站点名称"' in body


def test_waterlogging_and_road_conditions_render_status_lists(client, svc):
    response = client.get("/services/waterlogging/", {"district": "徐汇区", "place": ""})
    assert response.status_code == 200
    assert 'class="status-row level-warn"' in html(response) or 'class="status-row level-bad"' in html(response)
    everything = client.get("/services/waterlogging/", {"district": "", "place": ""})
    assert html(everything).count('class="status-row') > html(response).count('class="status-row')
    roads = client.get("/services/road_conditions/", {"road": "延安高架"})
    assert roads.status_code == 200
    assert "延安高架路" in text(roads) and "公里/小时" in text(roads)


def test_school_enrolment_cards_use_readable_labels(client, svc):
    response = client.get("/services/school_enrolment/", {"district": "黄浦区", "stage": "小学"})
    assert response.status_code == 200
    page = text(response)
    assert "对口地段" in page and "咨询电话" in page
    assert 'href="tel:021-' in html(response)
    assert '<option value="小学" selected>' in html(response)


def test_school_enrolment_needs_one_condition(client, svc):
    response = client.get("/services/school_enrolment/", {"district": "", "school": "", "street": ""})
    assert response.status_code == 400
    assert 'class="error form-error"' in html(response)
    assert "至少" in text(response)


def test_same_name_shows_only_a_count(client, svc):
    response = client.get("/services/same_name/", {"name": "王伟"})
    assert response.status_code == 200
    assert "9522" in text(response)
    bad = client.get("/services/same_name/", {"name": "Zhang Wei"})
    assert bad.status_code == 400 and "汉字" in text(bad)


def test_required_field_missing_keeps_the_page_friendly(client, svc):
    response = client.get("/services/garbage_sorting/", {"item": ""})
    assert response.status_code == 400
    assert "请填写物品名称" in text(response)


def test_parameters_not_in_the_form_are_ignored(client, svc):
    response = client.get("/services/garbage_sorting/", {"item": "西瓜皮", "utm_source": "wechat", "lang": "zh-hans"})
    assert response.status_code == 200 and "湿垃圾" in text(response)
    untouched = client.get("/services/garbage_sorting/", {"from": "menu"})
    assert untouched.status_code == 200 and 'id="answer"' not in html(untouched)


def test_post_works_too_for_public_services(client, svc):
    response = client.post("/services/garbage_sorting/", {"item": "电池"})
    assert response.status_code == 200 and 'class="garbage-card' in html(response)


# --- a department that fails -------------------------------------------------------------


def test_department_down_shows_the_friendly_box_and_the_rest_keeps_working(client, svc):
    runtime.forget_connectors()  # no real-time feed kept from earlier tests
    cache.clear()
    fake_department.set_mode("down")
    started = time.monotonic()
    response = client.get("/services/bus_realtime/", {"stop": "徐家汇"})
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    body, page = html(response), text(response)
    assert 'class="notice-box unavailable"' in body
    assert svc("bus_realtime").alternative in page
    assert 'value="徐家汇"' in body  # the form is still there to try again
    roads = client.get("/services/road_conditions/", {"road": "南北高架"})
    assert 'class="notice-box unavailable"' in html(roads)
    # The rest of the hall does not depend on that department.
    assert 'class="garbage-card' in html(client.get("/services/garbage_sorting/", {"item": "奶茶杯"}))
    assert "9522" in text(client.get("/services/same_name/", {"name": "王伟"}))
    assert client.get("/services/hub/municipal-hall/").status_code == 200
    assert client.get("/services/search/", {"q": "公交"}).status_code == 200


def test_slow_department_answers_within_three_seconds(client, svc):
    runtime.forget_connectors()
    cache.clear()
    fake_department.set_mode("slow", slow_s=5)
    started = time.monotonic()
    response = client.get("/services/road_conditions/", {"road": "延安高架"})
    assert time.monotonic() - started < 3
    assert 'class="notice-box unavailable"' in html(response)


# --- personal services: POST only, the citizen's own data --------------------------------


def test_personal_service_asks_an_anonymous_visitor_to_sign_in(client, svc):
    response = client.get("/services/hospital_reports/")
    assert response.status_code == 200
    body = html(response)
    link = re.search(r'href="(/citizen/sign-in/\?next=[^"]+)"', body).group(1)
    assert parse_qs(urlparse(unescape(link)).query)["next"] == ["/services/hospital_reports/"]
    assert "<form class=\"stack query-form\"" not in body
    assert "no-store" in response["Cache-Control"]


def test_anonymous_post_to_a_personal_service_is_refused_with_a_sign_in_link(client, svc):
    response = client.post("/services/traffic_violations/", {"plate": "沪A·D12345"})
    assert response.status_code == 403
    assert "/citizen/sign-in/?next=" in html(response)
    assert "2025-06-03" not in html(response)


def test_unverified_citizen_is_asked_to_verify(client, svc, unverified):
    client.force_login(unverified)
    response = client.get("/services/social_security_card/")
    assert response.status_code == 200
    assert 'href="/citizen/?next=%2Fservices%2Fsocial_security_card%2F"' in html(response)
    refused = client.post("/services/social_security_card/", {})
    assert refused.status_code == 403 and "/citizen/?next=" in html(refused)


def test_hospital_reports_show_the_citizens_own_records_only(client, svc, verified):
    client.force_login(verified("R0001"))
    page = client.get("/services/hospital_reports/")
    body = html(page)
    assert '<form class="stack query-form" method="post"' in body
    assert 'name="resident_id"' not in body  # the identity is filled in on the server
    response = client.post("/services/hospital_reports/", {"resident_id": "R0002"})
    assert response.status_code == 200
    mine = text(response)
    assert "浦江演示医院" in mine and "血常规" in mine
    assert "R0001" not in mine and "R0002" not in mine
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    other = Client()
    other.force_login(verified("R0002"))
    theirs = text(other.post("/services/hospital_reports/", {}))
    assert theirs != mine


def test_traffic_violations_for_own_plate_and_refusal_for_another(client, svc, verified):
    client.force_login(verified("R0001"))
    response = client.post("/services/traffic_violations/", {"plate": "沪A·D12345"})
    assert response.status_code == 200
    page = text(response)
    assert "延安西路江苏路口" in page and "200元" in page
    refused = client.post("/services/traffic_violations/", {"plate": "沪B·7K521"})
    assert refused.status_code == 403
    assert "漕溪北路零陵路口" not in text(refused)
    assert 'value="沪B·7K521"' in html(refused)  # kept in the form (POST body), never in a URL


def test_personal_data_never_comes_from_a_url(client, svc, verified):
    client.force_login(verified("R0002"))
    response = client.get("/services/traffic_violations/", {"plate": "沪C·M3308", "lang": "en"})
    assert response.status_code == 302  # not run: the address is cleaned at once
    assert response["Location"] == "/services/traffic_violations/?lang=en"
    page = client.get(response["Location"])
    assert "M3308" not in html(page) and 'id="answer"' not in html(page)


def test_social_security_card_status(client, svc, verified):
    client.force_login(verified("R0003"))
    response = client.post("/services/social_security_card/", {})
    assert response.status_code == 200
    assert "待领取" in text(response) and "class=\"badge badge-info\"" in html(response)


def test_post_without_csrf_token_gets_the_friendly_403(svc):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/services/garbage_sorting/", {"item": "奶茶杯"})
    assert response.status_code == 403
    assert 'id="csrf-failure"' in html(response)
    assert "CSRF" not in text(response)
    # With a form's token it goes through. (This service's own form asks by
    # GET; the sign-in form is a form that gives the browser a token.)
    browser.get("/citizen/sign-in/")
    token = browser.cookies["csrftoken"].value
    ok = browser.post("/services/garbage_sorting/", {"item": "奶茶杯", "csrfmiddlewaretoken": token})
    assert ok.status_code == 200


# --- other kinds and statuses ------------------------------------------------------------


def test_application_service_says_online_application_is_coming(client, svc):
    service = Service.objects.filter(kind=ServiceKind.APPLICATION).select_related("organisation").first()
    response = client.get(f"/services/{service.code}/")
    assert response.status_code == 200
    page = text(response)
    assert service.name_zh in page and service.organisation.name_zh in page
    assert "12345" in page
    assert 'class="notice-box coming-soon"' in html(response)


def test_link_service_links_out(client, svc):
    response = client.get("/services/weather/")
    assert response.status_code == 200
    assert 'href="https://weather.example.org/"' in html(response)


def test_link_service_inside_the_site_redirects(client, svc):
    service = svc("weather")
    Service.objects.filter(pk=service.pk).update(link_url="/topics/")
    assert client.get("/services/weather/")["Location"] == "/topics/"
    Service.objects.filter(pk=service.pk).update(link_url="//evil.example/")
    response = client.get("/services/weather/")
    assert response.status_code == 200 and "evil.example" not in html(response)


def test_service_under_maintenance_shows_its_message(client, svc):
    response = client.get("/services/public_bike/")
    assert response.status_code == 200
    assert 'class="notice-box maintenance"' in html(response)
    assert svc("public_bike").maintenance_message in text(response)
    query = svc("garbage_sorting")
    Service.objects.filter(pk=query.pk).update(status=ServiceStatus.MAINTENANCE, maintenance_message="系统升级，明早恢复。")
    response = client.get("/services/garbage_sorting/", {"item": "奶茶杯"})
    assert response.status_code == 200 and "系统升级，明早恢复。" in text(response)
    assert 'name="item"' not in html(response)


def test_retired_service_is_gone(client, svc):
    response = client.get("/services/nat_booking/")
    assert response.status_code == 410
    assert 'id="retired"' in html(response) and "核酸检测预约" in text(response)
    assert client.post("/services/nat_booking/", {}).status_code == 410


def test_unknown_service_is_a_404(client, svc):
    assert client.get("/services/no_such_service/").status_code == 404
    assert client.get("/services/不存在/").status_code == 404
    assert client.get("/services/%3Cscript%3E/").status_code == 404


# --- the account menu --------------------------------------------------------------------


def test_bottom_navigation_is_the_accounts_menu(client, svc):
    svc("garbage_sorting")
    menu = nav(client.get("/services/hub/municipal-hall/"))
    assert menu.count("<details") == 3 and menu.count("<summary>") == 3
    assert "市民大厅" in menu and "随申办" in menu
    # Links into this site are paths, whatever host the menu was written for.
    assert 'href="/services/bus_realtime/"' in menu
    assert re.search(r'href="/services/menu/ASSISTANT/\?account=[a-z-]+"', menu)
    for ul in re.findall(r'<ul class="menu-items">(.*?)</ul>', menu, re.S):
        assert ul.count("<li>") <= 5


def test_every_page_of_an_account_shows_its_menu(client, svc):
    from civichall.services.models import AccountMenu

    bureau = svc("garbage_sorting").organisation
    AccountMenu.objects.create(organisation=bureau, menu={"button": [
        {"type": "view", "name": "分类指南", "url": "https://guide.example.org/"},
        {"type": "click", "name": "联系我们", "key": "CONTACT_US"},
    ]})
    menu = nav(client.get("/services/garbage_sorting/"))
    assert "分类指南" in menu and "<details" not in menu
    assert 'rel="external noopener"' in menu
    assert f'/services/menu/CONTACT_US/?account={bureau.slug}' in menu
    contact = client.get(f"/services/menu/CONTACT_US/?account={bureau.slug}")
    assert contact.status_code == 200
    assert bureau.contact.splitlines()[0] in unescape(html(contact))
    # Another account's page keeps the municipal menu.
    assert "市民大厅" in nav(client.get("/services/bus_realtime/"))


def test_menu_click_pages(client, svc):
    svc("garbage_sorting")
    response = client.get("/services/menu/ASSISTANT/")
    assert response.status_code in (200, 302)
    assert client.get("/services/menu/NO_SUCH_KEY/").status_code == 404
    assert client.get("/services/menu/%3Cscript%3E/").status_code == 404


# --- pages of the content room -----------------------------------------------------------


def test_home_page_has_the_one_window_search_and_the_hall(client, svc):
    svc("garbage_sorting")
    response = client.get("/")
    assert response.status_code == 200
    body = html(response)
    assert 'id="services-heading"' in body
    # the home page's box asks the smart assistant, which also searches the services
    assert 'action="/assistant/"' in body and "智能" in text(response)
    assert 1 <= len(tiles(response)) <= 8
    assert 'href="/services/hub/municipal-hall/"' in body


def test_organisation_page_lists_its_services(client, svc, make_org):
    org = make_org("demo-bureau")
    Service.objects.create(code="demo_lookup", kind=ServiceKind.QUERY, organisation=org, name_zh="演示查询")
    Service.objects.create(code="demo_old", kind=ServiceKind.LINK, organisation=org, name_zh="旧服务",
                           status=ServiceStatus.RETIRED)
    response = client.get("/accounts/demo-bureau/")
    assert response.status_code == 200
    assert tiles(response) == ["demo_lookup"]
    assert 'id="org-services-heading"' in html(response)
    # The service page links back to its owner's page.
    assert 'href="/accounts/demo-bureau/"' in html(client.get("/services/demo_lookup/"))


def test_hub_of_a_new_account(client, svc, make_org):
    org = make_org("tiny-district", kind="district")
    hub = Hub.objects.create(slug="tiny", organisation=org, name_zh="小区服务")
    service = Service.objects.create(code="tiny_link", kind=ServiceKind.LINK, organisation=org,
                                     name_zh="社区食堂", link_url="https://canteen.example.org/")
    HubEntry.objects.create(hub=hub, service=service)
    response = client.get("/services/hub/tiny/")
    assert response.status_code == 200 and tiles(response) == ["tiny_link"]


# --- inputs that must never break a page -------------------------------------------------

WEIRD = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "🗑️🥤奶茶杯😀",
    "奶茶杯\x00",
    "\u202e杯茶奶",
    "%00%ff",
    "垃" * 5000,
    " \t ",
    "{{ 7*7 }}{% debug %}",
]


@pytest.mark.parametrize("value", WEIRD, ids=[f"weird-{i}" for i in range(len(WEIRD))])
def test_weird_input_never_breaks_a_page(client, svc, verified, value):
    checks = [
        ("/services/search/", {"q": value}),
        ("/services/garbage_sorting/", {"item": value}),
        ("/services/bus_realtime/", {"stop": value, "route": value, "limit": value}),
        ("/services/same_name/", {"name": value}),
        ("/services/waterlogging/", {"district": value, "place": value}),
        ("/services/school_enrolment/", {"district": value, "stage": value, "street": value}),
    ]
    for url, params in checks:
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, response.status_code)
        body = html(response)
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert "{{ 7*7 }}" not in body or "49" not in text(response)
    client.force_login(verified("R0001"))
    response = client.post("/services/traffic_violations/", {"plate": value})
    assert response.status_code in (400, 403)
    assert "<script>alert(1)" not in html(response)


def test_script_in_a_query_is_shown_as_text(client, svc):
    response = client.get("/services/garbage_sorting/", {"item": "<b>x</b>"})
    assert response.status_code in (200, 400)
    assert "&lt;b&gt;x&lt;/b&gt;" in html(response) and "<b>x</b>" not in html(response)
    search = client.get("/services/search/", {"q": "<script>alert(1)</script>"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html(search)


def test_a_huge_value_in_a_field_without_a_limit(client, svc):
    response = client.get("/services/waterlogging/", {"district": "区" * 300})
    assert response.status_code == 400
    assert "200" in text(response)


def test_methods_and_hosts(client, svc):
    assert client.head("/services/hub/municipal-hall/").status_code == 200
    assert client.head("/services/garbage_sorting/").status_code == 200
    assert client.put("/services/garbage_sorting/", {}).status_code == 405
    assert client.post("/services/search/", {"q": "公交"}).status_code == 405
    # A bad Host header gets the friendly 400 page, menu and all, never a 500.
    response = client.get("/services/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_assistant_page_offers_the_search_meanwhile(client, svc):
    response = client.get("/services/assistant/")
    assert response.status_code == 200
    assert 'id="assistant-q"' in html(response)


def test_menu_is_cut_to_wechats_limits_and_mini_programs_use_their_fallback(client, svc):
    from civichall.services.models import AccountMenu

    bureau = svc("waterlogging").organisation
    items = [{"type": "view", "name": f"第{i}项", "url": f"https://x.example.org/{i}"} for i in range(7)]
    AccountMenu.objects.create(organisation=bureau, menu={"button": [
        {"name": "一", "sub_button": items},
        {"name": "二", "sub_button": [
            {"type": "miniprogram", "name": "小程序", "appid": "wx0123456789abcdef", "pagepath": "pages/index",
             "url": "https://mini.example.org/fallback"},
            {"type": "location_select", "name": "发送位置", "key": "LOC"},
            {"type": "view", "name": "坏链接", "url": "javascript:alert(1)"},
        ]},
        {"type": "click", "name": "三", "key": "CONTACT_US"},
        {"type": "view", "name": "第四栏", "url": "https://x.example.org/four"},
    ]})
    menu = nav(client.get("/services/waterlogging/"))
    assert menu.count('class="menu-column"') == 3 and "第四栏" not in menu
    assert menu.count("第") == 5  # five items in the first column, no more
    assert 'href="https://mini.example.org/fallback"' in menu and 'data-type="miniprogram"' in menu
    assert "发送位置" not in menu and "javascript:" not in menu


def test_the_hall_shows_its_own_services_first_and_linked_accounts_folded(client, svc):
    """The hall's own services open at the top; each linked account's are a
    folded list under its name, opened by a tap (no script needed)."""
    svc("garbage_sorting")
    page = html(client.get("/services/hub/municipal-hall/"))
    own, linked = page.split('id="hub-linked"')
    assert "/services/bus_realtime/" in own and "<details" not in own
    district = Service.objects.filter(organisation__kind="district").select_related("organisation").first()
    assert f"/services/{district.code}/" in linked and f"/services/{district.code}/" not in own
    folds = re.findall(r"<details class=\"hub-account\"(.*?)>", linked)
    assert folds and all("open" not in attrs for attrs in folds)
