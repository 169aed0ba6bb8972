"""The assistant on a small catalog in real Chinese: answers with their
source, slots, declining, confidence and the hand-off, the index following
publication, and every question stored first."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from civichall.accounts.policy import SYSTEM
from civichall.assistant import actions
from civichall.assistant.answering import ask
from civichall.assistant.models import AskedQuestion, Handoff, Outcome
from civichall.core.errors import Refusal
from civichall.notify.services import notifications_for

pytestmark = pytest.mark.django_db


def first(result):
    return result.answers[0]


def test_spoken_questions_find_the_service_and_name_the_source(catalog):
    result = ask("失业了怎么领钱")
    top = first(result)
    assert top["service_code"] == "unemployment_insurance"
    assert top["url"] == "/services/unemployment_insurance/"
    assert top["source_title"] == "失业保险金申领"
    assert first(ask("宝宝出生了怎么上户口"))["service_code"] == "newborn_hukou"
    assert first(ask("外地人租房要办居住证吗"))["service_code"] == "residence_permit"


def test_the_api_shape(catalog):
    data = ask("公积金余额怎么查").to_dict()
    assert set(data) >= {"answers", "confident", "handoff"}
    answer = data["answers"][0]
    assert {"kind", "title", "url", "service_code", "snippet", "score"} <= set(answer)
    assert answer["kind"] == "service" and answer["service_code"] == "housing_fund"
    scores = [a["score"] for a in data["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_an_article_answers_from_its_question_and_answer_pair(article):
    result = ask("外地户口的失业了能领失业金吗")
    sources = [a["source"] for a in result.answers]
    assert "article:unemployment-online" in sources
    answer = next(a for a in result.answers if a["source"] == "article:unemployment-online")
    assert answer["title"] == "外地户籍的失业人员能申领吗？"  # the pair itself, not the whole article
    assert answer["source_title"] == "失业保险金可以网上申领了"
    assert answer["url"].endswith("/unemployment-online/")


def test_a_bus_question_runs_the_bus_service_with_its_route(catalog):
    result = ask("71路到哪了")
    top = first(result)
    assert top["kind"] == "answer" and top["service_code"] == "bus_realtime"
    assert top["slots"] == {"route": "71"}
    assert "route=71" in top["url"] and "71" in top["title"]
    assert result.confident


def test_a_garbage_question_is_answered_inline(catalog):
    top = first(ask("奶茶杯是什么垃圾"))
    assert top["kind"] == "answer" and top["service_code"] == "garbage_sorting"
    assert "干垃圾" in top["snippet"] and top["slots"]["category"] == "干垃圾"


def test_personal_services_ask_the_resident_to_sign_in(catalog, make_citizen):
    anonymous = first(ask("我的车有没有违章", actor=AnonymousUser()))
    assert anonymous["service_code"] == "traffic_violations" and anonymous["needs_sign_in"]
    citizen = make_citizen()
    signed_in = first(ask("我的车有没有违章", actor=citizen.user))
    assert "needs_sign_in" not in signed_in


@pytest.mark.parametrize("question", ["明天飞北京的航班延误了吗", "茅台股票今天涨了没", "最近有什么好看的电影"])
def test_out_of_scope_questions_are_declined_with_what_it_can_do(catalog, question):
    result = ask(question)
    assert result.answers == [] and not result.confident and result.out_of_scope
    assert "公交" in result.message or "services" in result.message
    assert AskedQuestion.objects.get(text=question).outcome == Outcome.OUT_OF_SCOPE


def test_unsure_answers_offer_three_candidates_and_a_person(catalog):
    result = ask("我家楼下的路灯坏了好几天了")
    assert not result.confident
    assert len(result.answers) <= 3
    assert result.handoff["offered"] and result.handoff["needs_sign_in"]
    assert result.handoff["url"].endswith(f"/questions/{result.question_id}/handoff/")


@pytest.mark.parametrize(("question", "status"), [("", 422), ("   ", 422), ("问" * 501, 422), (42, 422),
                                                  (["失业"], 422), (None, 422), ("\x00\ud800", 422)])
def test_bad_questions_are_refused_in_words(catalog, question, status):
    with pytest.raises(Refusal) as refused:
        ask(question)
    assert refused.value.status == status and str(refused.value.message)
    assert not AskedQuestion.objects.exists()


def test_characters_that_cannot_be_stored_are_dropped(catalog):
    assert first(ask("失业了\x00怎么领钱\udc80"))["service_code"] == "unemployment_insurance"
    assert AskedQuestion.objects.get().text == "失业了怎么领钱"


def test_every_question_is_stored_before_it_is_answered(catalog, monkeypatch):
    from civichall.assistant import answering

    def broken(*args, **kwargs):
        raise RuntimeError("the index is unreadable")

    monkeypatch.setattr(answering, "answer_question", broken)
    with pytest.raises(RuntimeError):
        ask("公积金怎么提取")
    asked = AskedQuestion.objects.get()
    assert asked.text == "公积金怎么提取" and asked.outcome == Outcome.PENDING


def test_the_index_follows_publishing_and_withdrawal(catalog, make_article, superuser,
                                                     django_capture_on_commit_callbacks):
    body = [{"type": "rich_text", "value": "<p>本市推出敬老卡，65岁以上老人乘坐公交免费。</p>"}]
    assert not any(a["source"] == "article:senior-card" for a in ask("敬老卡怎么办").answers)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(catalog["bureau"], title="敬老卡申领指南", body=body, slug="senior-card", publish=True)
    assert first(ask("敬老卡怎么办"))["source"] == "article:senior-card"
    from civichall.content.actions import do_withdraw

    with django_capture_on_commit_callbacks(execute=True):
        do_withdraw(page, superuser, "内容有误，已更正后重新发布。")
    assert not any(a["source"] == "article:senior-card" for a in ask("敬老卡怎么办").answers)


def test_a_new_service_is_found_and_a_retired_one_leaves(catalog, django_capture_on_commit_callbacks):
    from civichall.services.models import Service

    ask("公积金余额")  # the index is built
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.create(code="pet_licence", kind="application", name_zh="养犬登记", keywords="狗 犬 登记",
                               description_zh="为家养犬办理登记。", organisation=catalog["bureau"])
    assert first(ask("养狗要登记吗"))["service_code"] == "pet_licence"
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.filter(code="pet_licence").update(status="retired")
        Service.objects.get(code="pet_licence").save()
    assert all(a["service_code"] != "pet_licence" for a in ask("养狗要登记吗").answers)


def test_hand_off_reaches_the_organisation_and_the_answer_reaches_the_resident(catalog, make_citizen, make_staff):
    citizen = make_citizen()
    result = ask("我家楼下的路灯坏了好几天了", actor=citizen.user)
    with pytest.raises(Refusal) as refused:
        actions.do_hand_off(None, result.question_id)
    assert refused.value.status == 401
    handoff = actions.do_hand_off(citizen, result.question_id)
    assert handoff.organisation in (catalog["bureau"], catalog["municipal"])
    assert handoff.due_at > handoff.created_at
    assert actions.do_hand_off(citizen, result.question_id) == handoff  # asking twice: one hand-off
    other = make_citizen("13900000002")
    with pytest.raises(Refusal) as refused:  # another resident's question is missing to them
        actions.do_hand_off(other, result.question_id)
    assert refused.value.status == 404

    stranger = make_staff("stranger", make_staff_org(catalog), "liaison")
    with pytest.raises(Exception):
        actions.do_answer_handoff(stranger, handoff, "请拨打12345反映。")
    liaison = make_staff("liaison", handoff.organisation, "liaison")
    actions.do_answer_handoff(liaison, handoff, "路灯报修请拨打12345，我们已转市政部门处理。")
    handoff.refresh_from_db()
    assert handoff.state == "answered"
    note = notifications_for(citizen).first()
    assert "路灯报修" in note.text
    with pytest.raises(Refusal):
        actions.do_answer_handoff(liaison, handoff, "再答一次")


def make_staff_org(catalog):
    from civichall.accounts.models import Organisation

    return Organisation.objects.create(slug="other-bureau", kind="bureau", name_zh="其他局", name_en="Other",
                                       account_name_zh="其他发布")


def test_feedback_is_stored_per_answer(catalog):
    result = ask("失业了怎么领钱")
    source = result.answers[0]["source"]
    actions.do_give_feedback(None, result.question_id, source, True)
    actions.do_give_feedback(None, result.question_id, source, False)  # changed mind: replaced
    asked = AskedQuestion.objects.get(pk=result.question_id)
    assert [(f.answer_source, f.helpful) for f in asked.feedback.all()] == [(source, False)]
    with pytest.raises(Refusal):
        actions.do_give_feedback(None, result.question_id, "service:not-offered", True)
    with pytest.raises(Refusal):
        actions.do_give_feedback(None, result.question_id, source, "maybe")


def test_a_handoff_row_records_who_was_asked(catalog, make_citizen):
    citizen = make_citizen()
    result = ask("垃圾分类的罚款标准是多少", actor=citizen.user)
    with transaction.atomic():
        actions.do_hand_off(citizen, result.question_id)
    assert Handoff.objects.get().asked.handed_off
    assert SYSTEM  # the system actor exists for the console


def test_a_copy_on_disk_of_another_format_is_rebuilt(catalog):
    from civichall.assistant import index

    ask("公积金余额")  # builds and saves the shared copy
    copy = index._current_copy()
    items = copy / "items.json"
    items.write_text(items.read_text(encoding="utf-8").replace('"format": ', '"format_was": '), encoding="utf-8")
    index.forget()
    assert first(ask("公积金余额"))["service_code"] == "housing_fund"
    assert index._current_copy() != copy


def test_the_console_prints_the_api_json(catalog):
    import io
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("assistant", "ask", "71路到哪了", stdout=out)
    data = json.loads(out.getvalue())
    assert data["answers"][0]["service_code"] == "bus_realtime" and data["confident"] is True
    with pytest.raises(CommandError, match="请输入"):
        call_command("assistant", "ask", "  ")


def test_an_application_is_found_by_what_its_definition_says():
    """The summary and eligibility of an online application are words it is
    found by, before its form's labels; its English labels are not."""
    from civichall.assistant.knowledge import application_text

    words = application_text({
        "title": "公积金提取", "title_en": "Housing fund withdrawal",
        "summary": "缴存职工租赁住房、离开本市等情形下，可在线提取住房公积金。",
        "eligibility": ["符合租房、购房、离开本市等提取情形之一"],
        "materials": [{"name": "住房租赁合同", "name_en": "Lease"}],
        "schema": {"properties": {"reason": {"title": "提取事由", "x-title-en": "Reason"}}},
    })
    assert words.startswith("缴存职工租赁住房")
    assert "提取情形" in words and "住房租赁合同" in words and "提取事由" in words
    assert "Lease" not in words and "Reason" not in words
