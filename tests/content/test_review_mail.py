"""A page submitted for review is announced by e-mail to the reviewers of
its own organisation, in Chinese, and to nobody else."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from civichall.content import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def metro(make_org):
    return make_org("metro", name_zh="上海地铁")


@pytest.fixture
def health(make_org):
    return make_org("health", name_zh="市卫生健康委")


def with_email(user):
    user.email = f"{user.username}@example.gov.cn"
    user.save(update_fields=["email"])
    return user


def test_reviewers_of_the_pages_organisation_get_the_mail_in_chinese(
        metro, health, make_staff, make_article, superuser):
    editor = with_email(make_staff("editor", metro, "editor"))
    reviewer = with_email(make_staff("reviewer", metro, "reviewer"))
    second = with_email(make_staff("reviewer2", metro, "reviewer"))
    with_email(make_staff("other_reviewer", health, "reviewer"))
    with_email(superuser)
    page = make_article(metro, title="地铁运营时间调整")
    mail.outbox.clear()

    actions.do_submit_for_review(page, editor)

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([reviewer.email, second.email])
    message = next(m for m in mail.outbox if m.to == [reviewer.email])
    assert "地铁运营时间调整" in message.subject
    assert "审核" in message.subject
    assert not re.search(r"[A-Za-z]{4,}", message.subject.replace("地铁运营时间调整", ""))
    assert f"/admin/pages/{page.pk}/edit/" in message.body
    assert "审核" in message.body


def test_a_reviewer_who_chose_english_gets_english(metro, make_staff, make_article):
    from wagtail.users.models import UserProfile

    editor = with_email(make_staff("editor", metro, "editor"))
    reviewer = with_email(make_staff("reviewer", metro, "reviewer"))
    profile = UserProfile.get_for_user(reviewer)
    profile.preferred_language = "en"
    profile.save()
    page = make_article(metro, title="地铁运营时间调整")
    mail.outbox.clear()

    actions.do_submit_for_review(page, editor)

    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "submitted for approval" in mail.outbox[0].subject


def test_inactive_reviewers_get_nothing(metro, make_staff, make_article):
    editor = with_email(make_staff("editor", metro, "editor"))
    reviewer = with_email(make_staff("reviewer", metro, "reviewer"))
    get_user_model().objects.filter(pk=reviewer.pk).update(is_active=False)
    page = make_article(metro)
    mail.outbox.clear()
    actions.do_submit_for_review(page, editor)
    assert mail.outbox == []


def _in_english_language(mail_subject):
    return bool(re.search(r"\b(page|submitted|approved|rejected|changes)\b", mail_subject, re.I))


def test_the_mail_is_in_the_site_language_whatever_language_the_sender_works_in(
        metro, make_staff, make_article):
    """An editor working in the English admin still sends a reviewer who chose
    no language a Chinese mail; so does a reviewer who sends a page back."""
    from django.utils import translation

    editor = with_email(make_staff("editor", metro, "editor"))
    reviewer = with_email(make_staff("reviewer", metro, "reviewer"))
    page = make_article(metro, title="地铁运营时间调整")
    mail.outbox.clear()
    with translation.override("en"):
        actions.do_submit_for_review(page, editor)
    [to_reviewer] = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert "审核" in to_reviewer.subject and not _in_english_language(to_reviewer.subject)

    mail.outbox.clear()
    with translation.override("en"):
        actions.do_review(page, reviewer, approve=False, comment="请补充末班车时间。")
    to_editor = [m for m in mail.outbox if m.to == [editor.email]]
    assert to_editor, "the editor hears that the page was sent back"
    assert not any(_in_english_language(m.subject) for m in to_editor)
