"""The comment dashboard (charts and CSV, each member of staff seeing the
organisations the policy lets them see) and the questions panel on the
admin's home page, at the addresses they always had."""

import pytest
from django.urls import reverse
from django.utils import timezone

from civichall.interaction import actions
from civichall.interaction.models import Question
from tests.interaction.test_admin import ANSWER, login

pytestmark = pytest.mark.django_db


def test_dashboard_and_csv(client, staff, post, metro_rule, superuser):
    answered = Question.objects.get(comment=post("地铁首班车几点？"))
    actions.do_reply(staff["transport_liaison"], answered.comment, ANSWER)
    post("地铁末班车几点？")
    c = login(client, superuser)
    page = c.get("/admin/interaction/dashboard/").content.decode()
    for section in ("open-questions", "answer-rate", "comments-per-article", "top-topics"):
        assert f'id="{section}"' in page
    assert "上海市交通委员会" in page
    csv_text = c.get("/admin/interaction/dashboard/?export=answers").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("organisation,asked,answered")
    assert "上海市交通委员会,2,1,0,1,0.5" in csv_text
    assert "交通,2" in c.get("/admin/interaction/dashboard/?export=topics").content.decode("utf-8-sig")
    assert c.get("/admin/interaction/dashboard/?export=open")["Content-Type"].startswith("text/csv")
    liaison_page = login(client, staff["health_liaison"]).get("/admin/interaction/dashboard/").content.decode()
    assert "上海市交通委员会" not in liaison_page


def test_dashboard_panel_shows_escalations_to_reviewers(client, staff, metro_question):
    actions.escalate_overdue_questions(timezone.now() + timezone.timedelta(days=2))
    page = login(client, staff["transport_reviewer"]).get("/admin/").content.decode()
    assert 'id="escalated-questions"' in page and f"/admin/interaction/questions/{metro_question.pk}/" in page
    other = login(client, staff["reviewer"]).get("/admin/").content.decode()
    assert 'id="escalated-questions"' not in other and 'id="comment-questions-panel-section"' in other


def test_the_dashboard_keeps_its_address_and_menu_entry(client, staff):
    assert reverse("analytics_comment_dashboard") == "/admin/interaction/dashboard/"
    home = login(client, staff["editor"]).get("/admin/").content.decode()
    assert "/admin/interaction/dashboard/" in home and "comment-dashboard" in home
