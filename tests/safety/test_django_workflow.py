"""The automatic safety check as the first step of the review workflow:
blocked content goes back to the editor with the reasons, flagged content
goes on to the reviewer with the hits recorded, clean content goes on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, Workflow, WorkflowState

from civichall.content import actions
from civichall.content.models import OrganisationReviewTask, SupplementPage
from civichall.content.setup import REVIEW_WORKFLOW_NAME
from civichall.safety import services
from civichall.safety.models import SafetyCheck, SafetyHit
from civichall.safety.workflow import SafetyCheckTask, ensure_checked, ensure_safety_step

pytestmark = pytest.mark.django_db

BLOCKED_BODY = [
    {"type": "heading", "value": {"text": "活动说明", "level": "h2"}},
    {"type": "rich_text", "value": "<p>欢迎加入网络賭@場，注册就送彩金。</p>"},
]
REVIEW_BODY = [
    {"type": "rich_text", "value": "<p>警方提醒：参与赌博违法，切勿心存侥幸。</p>"},
]


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def staff(metro, make_staff):
    return make_staff("editor", metro, "editor"), make_staff("reviewer", metro, "reviewer")


def reviewer_tasks(reviewer):
    return list(OrganisationReviewTask.objects.get().get_task_states_user_can_moderate(reviewer))


def test_safety_check_is_the_first_step_of_the_review_workflow():
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW_NAME)
    tasks = [t.specific for t in workflow.tasks]
    assert isinstance(tasks[0], SafetyCheckTask)
    assert isinstance(tasks[1], OrganisationReviewTask)
    # Idempotent: running the setup again changes nothing.
    ensure_safety_step(workflow)
    assert [t.pk for t in workflow.tasks] == [t.pk for t in tasks]


def test_blocked_article_goes_back_to_the_editor_who_sees_why(metro, staff, make_article, client):
    editor, reviewer = staff
    page = make_article(metro, body=BLOCKED_BODY)
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()

    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.current_task_state
    assert isinstance(task_state.task.specific, SafetyCheckTask)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "网络赌场" in task_state.comment
    assert not page.live

    # The reviewer has nothing to approve.
    assert reviewer_tasks(reviewer) == []
    with pytest.raises(ValidationError):
        actions.do_review(page, reviewer, approve=True)
    assert "wagtail.workflow.reject" in PageLogEntry.objects.filter(page=page).values_list(
        "action", flat=True)

    # The editor sees why: the report marks the hit in its context.
    client.force_login(editor)
    report = client.get(reverse("safety_page_report", args=[page.pk]))
    assert report.status_code == 200
    html = report.content.decode()
    assert "网络赌场" in html
    assert "<mark>网络賭@場</mark>" in html
    assert 'id="safety-decision"' in html

    # ... and a notice with a link to the report on the edit screen.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("safety_page_report", args=[page.pk]) in edit


def test_fixed_article_passes_on_resubmission(metro, staff, make_article):
    editor, reviewer = staff
    page = make_article(metro, body=BLOCKED_BODY)
    actions.do_submit_for_review(page, editor)
    page.body = [{"type": "rich_text", "value": "<p>地铁末班车延长运营至23点。</p>"}]
    page.save()
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert page.live


def test_clean_article_goes_on_to_the_reviewer(metro, staff, make_article):
    editor, reviewer = staff
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert isinstance(state.current_task_state.task.specific, OrganisationReviewTask)
    safety_state = state.task_states.get(task__in=SafetyCheckTask.objects.all())
    assert safety_state.status == TaskState.STATUS_APPROVED
    assert safety_state.finished_by is None  # the system, not a person
    assert reviewer_tasks(reviewer) == [state.current_task_state]
    checks = services.latest_page_checks(page)
    assert [c.kind for c in checks] == ["title", "body"]
    assert {c.decision for c in checks} == {"pass"}
    assert checks[0].revision_id == safety_state.revision_id
    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert page.live


def test_flagged_article_goes_to_the_reviewer_with_the_hits(metro, staff, make_article, client):
    editor, reviewer = staff
    page = make_article(metro, body=REVIEW_BODY)
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    state = page.current_workflow_state
    assert isinstance(state.current_task_state.task.specific, OrganisationReviewTask)
    assert reviewer_tasks(reviewer) == [state.current_task_state]
    safety_state = state.task_states.get(task__in=SafetyCheckTask.objects.all())
    assert "赌博" in safety_state.comment

    body_check = SafetyCheck.objects.get(object_id=str(page.pk), kind="body")
    assert body_check.decision == "review"
    assert [h["term"] for h in body_check.hits] == ["赌博"]
    hit = SafetyHit.objects.get(safety_check=body_check)
    assert body_check.text[hit.start:hit.end] == "赌博"

    client.force_login(reviewer)
    html = client.get(reverse("safety_page_report", args=[page.pk])).content.decode()
    assert "<mark>赌博</mark>" in html
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("safety_page_report", args=[page.pk]) in edit

    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert page.live


def test_title_is_checked_too(metro, staff, make_article):
    editor, reviewer = staff
    page = make_article(metro, title="网络赌场最新消息")
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    title_check = SafetyCheck.objects.get(object_id=str(page.pk), kind="title")
    assert title_check.decision == "block"
    assert title_check.text == "网络赌场最新消息"


def test_every_text_of_the_body_is_checked(metro, make_article):
    page = make_article(metro, body=[
        {"type": "qa_list", "value": {"title": "问答", "items": [
            {"question": "怎么办理？", "answer": "<p>在线<b>提交</b>&amp;查询。</p>"}]}},
        {"type": "key_points", "value": {"title": "敲黑板", "points": ["第一点", "第二点"]}},
        {"type": "step_guide", "value": {"title": "办理步骤", "steps": [
            {"title": "登录", "body": "打开一网通办", "image": None}]}},
        {"type": "extra_reading", "value": {"title": "课外补充阅读", "items": [
            {"title": "延伸", "body": "政策原文"}]}},
    ])
    title, body = services.content_texts(page)
    assert title == page.title
    lines = body.splitlines()
    assert lines[0] == page.summary
    for expected in ("怎么办理？", "在线提交&查询。", "第一点", "第二点", "打开一网通办", "政策原文"):
        assert expected in lines, expected
    assert "<" not in body


def test_supplement_with_a_blocked_term_goes_back(metro, staff, make_article):
    editor, reviewer = staff
    article = make_article(metro, publish=True)
    supplement = article.add_child(instance=SupplementPage(
        title="更正说明", slug="correction-1", kind="correction", live=False,
        text="<p>文中联系方式有误，请勿相信兼职刷单广告。</p>",
    ))
    actions.do_submit_for_review(supplement, editor)
    supplement.refresh_from_db()
    assert supplement.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    body_check = SafetyCheck.objects.get(object_id=str(supplement.pk), kind="body")
    assert body_check.decision == "block"
    assert [h["term"] for h in body_check.hits] == ["兼职刷单"]
    assert reviewer_tasks(reviewer) == []


def test_clean_supplement_goes_to_the_reviewer(metro, staff, make_article):
    editor, reviewer = staff
    article = make_article(metro, publish=True)
    supplement = article.add_child(instance=SupplementPage(
        title="补充说明", slug="update-1", kind="update", live=False,
        text="<p>首末班车时间不变。</p>",
    ))
    actions.do_submit_for_review(supplement, editor)
    supplement.refresh_from_db()
    assert isinstance(supplement.current_workflow_state.current_task_state.task.specific,
                      OrganisationReviewTask)
    actions.do_review(supplement, reviewer, approve=True)
    supplement.refresh_from_db()
    assert supplement.live


def test_resubmission_after_changes_requested_is_checked_again(metro, staff, make_article):
    """Wagtail resumes at the reviewer's step; the check must still see the new text."""
    editor, reviewer = staff
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    actions.do_review(page, reviewer, approve=False, comment="请补充时间")
    page.refresh_from_db()
    # The editor adds a blocked term and resubmits the way the admin does.
    page.body = BLOCKED_BODY
    page.save_revision(user=editor)
    page.current_workflow_state.resume(editor)
    page.refresh_from_db()
    assert isinstance(page.current_workflow_state.current_task_state.task.specific,
                      OrganisationReviewTask)
    assert ensure_checked(page, editor) is True
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert reviewer_tasks(reviewer) == []
    # Nothing to do when the revision was checked.
    assert ensure_checked(page, editor) is False


def test_a_failing_check_leaves_the_decision_to_a_reviewer(metro, staff, make_article,
                                                          monkeypatch):
    editor, reviewer = staff
    page = make_article(metro)

    def broken(*args, **kwargs):
        raise RuntimeError("lexicon unavailable")

    monkeypatch.setattr(services, "check_page", broken)
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    assert isinstance(task_state.task.specific, SafetyCheckTask)
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    # The reviewer decides by hand; the workflow goes on to the reviewer's step.
    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert isinstance(page.current_workflow_state.current_task_state.task.specific,
                      OrganisationReviewTask)
    with pytest.raises(Exception):
        actions.do_review(page, editor, approve=True)


def test_report_is_refused_to_staff_of_another_organisation(metro, staff, make_article,
                                                            make_org, make_staff, client):
    editor, _reviewer = staff
    page = make_article(metro, body=BLOCKED_BODY)
    actions.do_submit_for_review(page, editor)
    outsider = make_staff("outsider", make_org("health"), "editor")
    client.force_login(outsider)
    response = client.get(reverse("safety_page_report", args=[page.pk]))
    assert response.status_code in (302, 403)
    assert "网络賭@場" not in response.content.decode()


def test_submitting_in_the_admin_runs_the_check_and_tells_the_editor(metro, staff, make_article,
                                                                     client):
    from wagtail.test.utils.form_data import (
        nested_form_data, querydict_from_html, rich_text, streamfield,
    )

    editor, reviewer = staff
    page = make_article(metro)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    form.update(nested_form_data({"body": streamfield([
        ("rich_text", rich_text("<p>6月1日起，本市轨道交通网络恢复基本运营。</p>")),
    ])}))
    form["title"] = "网络赌场最新消息"
    form["action-submit"] = "1"
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert reverse("safety_page_report", args=[page.pk]) in response.content.decode()
    assert reviewer_tasks(reviewer) == []


def test_admin_resubmission_after_changes_requested_is_checked(metro, staff, make_article,
                                                               client):
    from wagtail.test.utils.form_data import (
        nested_form_data, querydict_from_html, rich_text, streamfield,
    )

    editor, reviewer = staff
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    actions.do_review(page, reviewer, approve=False, comment="请补充时间")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    form.update(nested_form_data({"body": streamfield([
        ("rich_text", rich_text("<p>欢迎加入网络赌场，注册就送彩金。</p>")),
    ])}))
    form["action-submit"] = "1"
    client.post(url, form)
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert isinstance(state.current_task_state.task.specific, SafetyCheckTask)
    assert reviewer_tasks(reviewer) == []
