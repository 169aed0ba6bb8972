"""The FAQ: written by an organisation's staff, answered from only once a
reviewer approved it, an official reply promoted into it; who may do what
(the policy walk), the staff's screens, the API and the chat page."""

import pytest
from django.core.exceptions import PermissionDenied

from civichall.accounts.policy import SYSTEM
from civichall.assistant import actions
from civichall.assistant.answering import ask
from civichall.assistant.models import AskedQuestion, Faq, FaqStatus, Handoff
from civichall.core.errors import Refusal
from tests.accounts.policy_walk import assert_decision_and_filter_agree

pytestmark = pytest.mark.django_db

QUESTIONS = "居住证积分怎么算\n积分落户要多少分\n居转户积分标准"
ANSWER = "居住证积分按照《上海市居住证积分管理办法》计算，标准分值为120分。"


@pytest.fixture
def staff(catalog, make_staff, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau, municipal = catalog["bureau"], catalog["municipal"]
    from civichall.accounts.models import Organisation

    other = Organisation.objects.create(slug="other", kind="bureau", name_zh="市卫健委", name_en="Health",
                                        account_name_zh="健康发布")
    return {
        "editor": make_staff("editor", bureau, "editor"),
        "reviewer": make_staff("reviewer", bureau, "reviewer"),
        "liaison": make_staff("liaison", bureau, "liaison"),
        "other_reviewer": make_staff("other_reviewer", other, "reviewer"),
        "municipal_admin": make_staff("municipal_admin", municipal, "administrator"),
        "bureau": bureau, "other": other,
    }


def test_an_faq_answers_only_once_reviewed(staff):
    faq = actions.do_save_faq(staff["editor"], organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    assert faq.status == FaqStatus.DRAFT
    assert all(a["kind"] != "faq" for a in ask("积分落户要多少分").answers)
    with pytest.raises(PermissionDenied):  # an editor writes, a reviewer approves
        actions.do_review_faq(staff["editor"], faq)
    own = actions.do_save_faq(staff["reviewer"], organisation=staff["bureau"], questions="居住证续签", answer="到期前办理。")
    with pytest.raises(Refusal):  # nobody approves their own words
        actions.do_review_faq(staff["reviewer"], own)
    with pytest.raises(PermissionDenied):  # another organisation's reviewer
        actions.do_review_faq(staff["other_reviewer"], faq)
    actions.do_review_faq(staff["reviewer"], faq)
    top = ask("积分落户要多少分").answers[0]
    assert top["kind"] == "faq" and "120分" in top["snippet"] and top["url"] == f"/assistant/faq/{faq.pk}/"
    # a change goes back to review and leaves the answers at once
    actions.do_save_faq(staff["liaison"], faq, organisation=staff["bureau"], questions=QUESTIONS,
                        answer=ANSWER + "（2026年起）")
    assert all(a["kind"] != "faq" for a in ask("积分落户要多少分").answers)
    actions.do_review_faq(staff["reviewer"], faq)
    actions.do_retire_faq(staff["editor"], faq)
    assert all(a["kind"] != "faq" for a in ask("积分落户要多少分").answers)


def test_faq_writing_is_refused_to_the_wrong_people(staff, make_citizen):
    with pytest.raises(PermissionDenied):
        actions.do_save_faq(staff["other_reviewer"], organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    with pytest.raises(PermissionDenied):
        actions.do_save_faq(make_citizen().user, organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    with pytest.raises(PermissionDenied):
        actions.do_save_faq(None, organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    with pytest.raises(Refusal) as refused:
        actions.do_save_faq(staff["editor"], organisation=staff["bureau"], questions="  \n ", answer="")
    assert set(refused.value.fields) == {"questions", "answer"}


def test_an_official_reply_is_promoted_into_the_faq(staff, article, make_citizen):
    from civichall.interaction.actions import do_post_comment, do_reply

    comment = do_post_comment(make_citizen(), article, "失业保险金每个月几号发？", rate_limit=False)
    reply = do_reply(staff["editor"], comment, "失业保险金每月10日前发放到您的社保卡银行账户。")
    faq = actions.do_promote_reply_to_faq(staff["editor"], reply)
    assert faq.status == FaqStatus.DRAFT and faq.source_reply == reply and faq.organisation == staff["bureau"]
    assert "几号发" in faq.questions and "10日前" in faq.answer
    with pytest.raises(Refusal):
        actions.do_promote_reply_to_faq(staff["editor"], reply)
    actions.do_review_faq(staff["reviewer"], faq)
    assert any(a["kind"] == "faq" for a in ask("失业金每个月几号发").answers)


def test_the_policy_agrees_with_itself(staff, make_citizen):
    citizen = make_citizen()
    faq = actions.do_save_faq(SYSTEM, organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    actions.do_save_faq(SYSTEM, organisation=staff["other"], questions="打疫苗去哪", answer="就近社区卫生服务中心。")
    asked = ask("路灯坏了找谁", actor=citizen.user)
    actions.do_hand_off(citizen, asked.question_id)
    from django.contrib.auth.models import AnonymousUser

    actors = [staff[k] for k in ("editor", "reviewer", "liaison", "other_reviewer", "municipal_admin")]
    actors += [citizen.user, AnonymousUser(), SYSTEM]
    walked = assert_decision_and_filter_agree(actors, {
        "assistant_faq": lambda: Faq.objects.all(),
        "assistant_handoff": lambda: Handoff.objects.all(),
        "assistant_asked": lambda: AskedQuestion.objects.all(),
    })
    assert walked == 6 * len(actors)
    assert faq.pk


def test_the_admin_screens(staff, client, superuser):
    faq = actions.do_save_faq(staff["editor"], organisation=staff["bureau"], questions=QUESTIONS, answer=ANSWER)
    ask("我家楼下的路灯坏了")
    ask("楼下路灯坏了")
    client.force_login(staff["municipal_admin"])
    report = client.get("/admin/assistant-desk/report/")
    assert report.status_code == 200
    assert "路灯坏了" in report.content.decode() and "/admin/assistant/faq/new/?questions=" in report.content.decode()
    client.force_login(staff["other_reviewer"])
    refused = client.get("/admin/assistant-desk/report/")  # the admin's way of saying no: back home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.get(f"/admin/assistant-desk/faq/{faq.pk}/review/").status_code == 404  # not theirs
    client.force_login(staff["reviewer"])
    assert client.post(f"/admin/assistant-desk/faq/{faq.pk}/review/", {"decision": "approve"}).status_code == 302
    faq.refresh_from_db()
    assert faq.status == FaqStatus.LIVE
    client.force_login(staff["editor"])
    new = client.get("/admin/assistant/faq/new/?questions=路灯坏了找谁")
    assert new.status_code == 200 and "路灯坏了找谁" in new.content.decode()


def test_the_api(catalog, client):
    response = client.post("/api/v1/assistant/ask", {"question": "71路到哪了"}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["answers"][0]["service_code"] == "bus_realtime" and data["confident"] is True
    for body in ({"question": ""}, {"question": 71}, {"question": "问" * 600}, {}, {"question": "失业", "x": 1}):
        bad = client.post("/api/v1/assistant/ask", body, content_type="application/json")
        assert bad.status_code == 422, body
        message = bad.json()["error"]["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    broken = client.post("/api/v1/assistant/ask", "{not json", content_type="application/json")
    assert 400 <= broken.status_code < 500
    asked = AskedQuestion.objects.get(text="71路到哪了")
    assert asked.channel == "api"
    feedback = client.post(f"/api/v1/assistant/questions/{asked.pk}/feedback",
                           {"source": data["answers"][0]["source"], "helpful": True}, content_type="application/json")
    assert feedback.status_code == 200 and asked.feedback.get().helpful
    assert client.post(f"/api/v1/assistant/questions/{asked.pk}/handoff").status_code == 401


def test_the_chat_page_works_without_javascript(catalog, client, make_citizen):
    page = client.get("/assistant/")
    assert page.status_code == 200 and 'name="q"' in page.content.decode()
    answered = client.get("/assistant/", {"q": "失业了怎么领钱"})
    html = answered.content.decode()
    assert answered.status_code == 200 and "/services/unemployment_insurance/" in html
    assert "失业保险金申领" in html  # the source is named
    assert "no-cache" in answered["Cache-Control"] or "max-age=0" in answered["Cache-Control"]
    assert client.get("/assistant/", {"q": ""}).status_code == 422
    english = client.get("/assistant/", {"q": "失业了怎么领钱"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    # ask a person: sign in first, then the question is handed over
    unsure = client.get("/assistant/", {"q": "我家楼下的路灯坏了"})
    asked = AskedQuestion.objects.filter(text="我家楼下的路灯坏了").get()
    assert f"/assistant/questions/{asked.pk}/handoff/" in unsure.content.decode()
    to_sign_in = client.post(f"/assistant/questions/{asked.pk}/handoff/")
    assert to_sign_in.status_code == 302 and "/citizen/sign-in/" in to_sign_in["Location"]
    citizen = make_citizen()
    client.force_login(citizen.user)
    mine = client.get("/assistant/", {"q": "我家楼下的路灯坏了好多天"})
    own = AskedQuestion.objects.filter(citizen=citizen).get()
    done = client.post(f"/assistant/questions/{own.pk}/handoff/")
    assert done.status_code == 200 and Handoff.objects.filter(asked=own).exists()
    assert client.post(f"/assistant/questions/{asked.pk}/handoff/").status_code in (200, 404)
    assert mine.status_code == 200


def test_the_assistant_tile_and_the_home_page_lead_to_it(catalog, client):
    from civichall.services.models import Service

    Service.objects.create(code="assistant", kind="assistant", name_zh="智能小申", organisation=catalog["municipal"])
    tile = client.get("/services/assistant/").content.decode()
    assert 'action="/assistant/"' in tile and 'id="assistant-q"' in tile
