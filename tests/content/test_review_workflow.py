"""Review before publication: editors submit, reviewers of the same
organisation approve, administrators force-publish only with a reason,
scheduled pages go live under the worker."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from civichall.content import actions
from civichall.content.models import ArticlePage, ForcePublication

pytestmark = pytest.mark.django_db


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def health(make_org):
    return make_org("health", name_zh="市卫生健康委")


def log_actions(page):
    return list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "id").values_list("action", flat=True))


def test_editor_cannot_publish_directly_in_the_admin(client, metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    page = make_article(metro)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    edit_page = client.get(url)
    assert edit_page.status_code == 200
    assert 'name="action-publish"' not in edit_page.content.decode()
    response = client.post(url, {"action-publish": "1", "title": page.title, "slug": page.slug,
                                 "summary": page.summary, "body-count": "0"})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    assert page.first_published_at is None


def test_submit_then_same_org_reviewer_approves_and_publishes(metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    reviewer = make_staff("reviewer", metro, "reviewer")
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    page.refresh_from_db()
    assert not page.live
    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert page.live
    entries = log_actions(page)
    assert "wagtail.workflow.start" in entries
    assert "wagtail.workflow.approve" in entries
    assert "wagtail.publish" in entries


def test_reviewer_of_another_org_cannot_approve(metro, health, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    outsider = make_staff("outsider", health, "reviewer")
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    with pytest.raises(PermissionDenied):
        actions.do_review(page, outsider, approve=True)
    page.refresh_from_db()
    assert not page.live


def test_editor_cannot_approve_own_article(metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    with pytest.raises(PermissionDenied):
        actions.do_review(page, editor, approve=True)


def test_rejection_goes_back_to_editor_and_is_logged(metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    reviewer = make_staff("reviewer", metro, "reviewer")
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    actions.do_review(page, reviewer, approve=False, comment="标题请写明日期")
    page.refresh_from_db()
    assert not page.live
    assert "wagtail.workflow.reject" in log_actions(page)
    # the editor can resubmit after changes
    actions.do_submit_for_review(page, editor)
    actions.do_review(page, reviewer, approve=True)
    page.refresh_from_db()
    assert page.live


def test_editor_of_another_org_cannot_submit(metro, health, make_staff, make_article):
    stranger = make_staff("stranger", health, "editor")
    page = make_article(metro)
    with pytest.raises(PermissionDenied):
        actions.do_submit_for_review(page, stranger)


def test_force_publish_needs_a_reason_and_flags_not_reviewed(metro, make_staff, make_article, client):
    admin = make_staff("chief", metro, "administrator")
    reviewer = make_staff("reviewer", metro, "reviewer")
    page = make_article(metro)
    page.save_revision(user=admin)
    with pytest.raises(ValidationError):
        actions.do_force_publish(page, admin, "  ")
    page.refresh_from_db()
    assert not page.live

    actions.do_force_publish(page, admin, "台风预警需立即发布，审核员稍后复核")
    page.refresh_from_db()
    assert page.live
    flag = ForcePublication.objects.get(page=page)
    assert flag.reviewed_at is None
    html = client.get(page.url).content.decode()
    assert 'id="unreviewed-banner"' in html
    entry = PageLogEntry.objects.get(page=page, action="civichall.force_publish")
    assert entry.data["reason"] == "台风预警需立即发布，审核员稍后复核"

    # The page went to its reviewers; an approval clears the flag.
    actions.do_review(page, reviewer, approve=True)
    flag.refresh_from_db()
    assert flag.reviewed_by == reviewer
    assert "civichall.review_confirmed" in log_actions(page)
    assert 'id="unreviewed-banner"' not in client.get(page.url).content.decode()


def test_only_administrators_may_force_publish(metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    reviewer = make_staff("reviewer", metro, "reviewer")
    page = make_article(metro)
    for person in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            actions.do_force_publish(page, person, "想直接发布这篇文章")
    page.refresh_from_db()
    assert not page.live


def test_force_publish_admin_screen_requires_reason(metro, make_staff, make_article, client):
    admin = make_staff("chief", metro, "administrator")
    page = make_article(metro)
    page.save_revision(user=admin)
    client.force_login(admin)
    url = reverse("civichall_force_publish", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    page.refresh_from_db()
    assert not page.live
    response = client.post(url, {"reason": "紧急避险信息，必须立即发布"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live


def test_scheduled_article_goes_live_when_due_under_the_worker(metro, make_staff, make_article):
    editor = make_staff("editor", metro, "editor")
    reviewer = make_staff("reviewer", metro, "reviewer")
    start = timezone.now()
    go_live = start + datetime.timedelta(hours=2)
    with time_machine.travel(start, tick=False):
        page = make_article(metro)
        page.go_live_at = go_live
        actions.do_submit_for_review(page, editor)
        actions.do_review(page, reviewer, approve=True)
        page.refresh_from_db()
        assert not page.live  # approved, waiting for its time
        call_command("worker", "--once")
        page.refresh_from_db()
        assert not page.live
    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("worker", "--once")
        page.refresh_from_db()
        assert page.live
        assert "wagtail.publish.scheduled" in log_actions(page) or "wagtail.publish" in log_actions(page)


def test_audit_log_is_readable_by_staff_in_the_admin(metro, make_staff, make_article, client):
    editor = make_staff("editor", metro, "editor")
    reviewer = make_staff("reviewer", metro, "reviewer")
    page = make_article(metro)
    actions.do_submit_for_review(page, editor)
    actions.do_review(page, reviewer, approve=True)
    client.force_login(reviewer)
    response = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "reviewer" in html
