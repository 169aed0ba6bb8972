"""The admin home's SLA counts are counted by the database and agree with
the state each question gets one by one, across organisations with
different promises and at the edges of the windows."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from civichall.accounts.policy import SYSTEM
from civichall.interaction import actions, queues
from civichall.interaction.models import Question

pytestmark = pytest.mark.django_db

# hours ago, around the default 24-hour promise (due soon from 20 h) and a
# 4-hour one (due soon from 3 h): inside, on and past each edge
AGES = [0.5, 2.9, 3.0, 3.5, 4.0, 5, 19.9, 20.0, 23.9, 24.0, 30, 100]


def test_counts_agree_with_the_state_of_each_question(city, transport, make_article, citizen, org_settings):
    org_settings(transport, first_answer_hours=4)
    now = timezone.now()
    for org in (city, transport):
        article = make_article(org, publish=True, slug=f"sla-{org.slug}")
        for i, hours in enumerate(AGES):
            comment = actions.do_post_comment(citizen, article, f"请问第{i}个问题怎么办理？", rate_limit=False)
            if not Question.objects.filter(comment=comment).exists():
                actions.do_mark_question(SYSTEM, comment)
            Question.objects.filter(comment=comment).update(asked_at=now - timedelta(hours=hours))
    questions = Question.objects.filter(state="open")
    assert questions.count() == 2 * len(AGES)
    one_by_one = Counter(state for _q, state, _due in queues.with_sla(questions, now=now))
    counted = queues.sla_counts(questions, now=now)
    assert counted == {state: one_by_one.get(state, 0) for state in ("ok", "due_soon", "overdue")}
    assert counted["overdue"] and counted["due_soon"] and counted["ok"]
    # an answered question is in none of the three
    answered = questions.first()
    Question.objects.filter(pk=answered.pk).update(first_answer_at=now)
    assert sum(queues.sla_counts(Question.objects.filter(state="open"), now=now).values()) == 2 * len(AGES) - 1
