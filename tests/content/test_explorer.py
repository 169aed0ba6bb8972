"""The page explorer at a section's size.

An editor's explorer must not ask the database once per listed page: the
rows' permissions come from the row itself where Wagtail would query
(content/models/permission_tester.py), and the admin menu answers from the
roles it already read (accounts/policy.py). The tester must agree with
Wagtail's own for every kind of user and page.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PagePermissionTester

from civichall.accounts.models import Role
from civichall.content.models import ArticlePage, OrganisationPage, SupplementPage

pytestmark = pytest.mark.django_db


def explorer_queries(user, section):
    client = Client()
    client.force_login(user)
    path = f"/admin/pages/{section.pk}/"
    assert client.get(path).status_code == 200  # warm: sessions, menus
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_an_editors_explorer_costs_the_same_for_5_or_25_articles(make_org, make_article, make_staff):
    bureau = make_org("transport")
    editor = make_staff("transport_editor", bureau, Role.EDITOR)
    section = OrganisationPage.objects.get(organisation=bureau)
    for i in range(5):
        make_article(bureau, title=f"交通出行提示{i}", publish=i % 2 == 0)
    few = explorer_queries(editor, section)
    for i in range(5, 25):
        make_article(bureau, title=f"交通出行提示{i}", publish=i % 2 == 0)
    many = explorer_queries(editor, section)
    assert many == few, f"{few} queries for 5 articles, {many} for 25: a query per row"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_leaf_aware_tester_agrees_with_wagtails(make_org, make_article, make_staff, role):
    bureau = make_org("health")
    user = make_staff(f"health_{role}", bureau, role)
    other = make_staff("health_other_editor", bureau, Role.EDITOR)
    live = make_article(bureau, title="接种疫苗须知", publish=True)
    draft = make_article(bureau, title="门诊时间调整（草稿）")
    mine = make_article(bureau, title="我写的草稿")
    mine.owner = user
    mine.save_revision()
    ArticlePage.objects.filter(pk=mine.pk).update(owner=user)
    theirs = make_article(bureau, title="同事的草稿")
    ArticlePage.objects.filter(pk=theirs.pk).update(owner=other)
    with_child = make_article(bureau, title="有补充说明的文章", publish=True)
    with_child.add_child(instance=SupplementPage(title="补充说明", slug="supplement", live=False))
    pages = [ArticlePage.objects.get(pk=p.pk) for p in (live, draft, mine, theirs, with_child)]
    pages += list(SupplementPage.objects.all())
    checked = 0
    for page in pages:
        ours, wagtails = page.permissions_for_user(user), PagePermissionTester(user, page)
        for ignore_bulk in (False, True):
            assert ours.can_delete(ignore_bulk) == wagtails.can_delete(ignore_bulk), (page.title, ignore_bulk)
            checked += 1
        assert ours.can_move() == wagtails.can_move(), page.title
    assert checked == 2 * len(pages)
