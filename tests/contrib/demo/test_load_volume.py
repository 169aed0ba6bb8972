"""``civichall make_load_data`` adds volume on top of the demo: live
articles in the organisations' sections, citizens, comments and questions
that the public pages and the queues show."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from civichall.content.models import ArticlePage
from civichall.contrib.demo import load_accounts
from civichall.interaction.models import Comment, Question

pytestmark = pytest.mark.django_db


def test_volume_lands_where_readers_and_staff_see_it(capsys):
    load_accounts.load_organisations()
    call_command("make_load_data", articles=12, comments=300, citizens=20, no_progress=True)
    assert "articles 12" in capsys.readouterr().out
    pages = ArticlePage.objects.filter(slug__startswith="load-")
    assert pages.count() == 12 and all(p.live and p.author_organisation_id for p in pages)
    assert Comment.objects.filter(client_key__startswith="load-").count() == 300
    assert Question.objects.filter(comment__client_key__startswith="load-").exists()
    # a generated article is a page like any other
    article = pages.first()
    assert Client().get(article.url).status_code == 200
    # running it again adds more, never the same slugs
    call_command("make_load_data", articles=3, comments=10, citizens=5, no_progress=True)
    assert ArticlePage.objects.filter(slug__startswith="load-").count() == 15


def test_the_planner_is_told_about_the_new_volume():
    """Fresh statistics after the load, so the explorer's queries get plans for
    the rows that are there (a stale estimate made them 100x slower)."""
    from django.db import connection

    load_accounts.load_organisations()
    call_command("make_load_data", articles=30, comments=10, citizens=2, no_progress=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'wagtailcore_page'")
            assert cursor.fetchone()[0] >= ArticlePage.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page' LIMIT 1")
            assert int(cursor.fetchone()[0].split()[0]) >= ArticlePage.objects.count()


def test_it_says_what_to_do_on_an_empty_site():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("make_load_data", articles=1, comments=1, citizens=1, no_progress=True)
    with pytest.raises(CommandError, match="--comments"):
        call_command("make_load_data", comments=-1, no_progress=True)
