"""Volume for measuring the admin: many articles, citizens, comments and
questions on top of the demo (``civichall make_load_data``).

A city account publishes tens of thousands of articles over the years and
gathers hundreds of thousands of comments; the editors' page explorer, the
question queue and the connector health page must stay quick at that size.
The rows written here are plain records like the demo's back-dated ones:
articles are live pages added under the organisations' sections (no review
history), citizens are users with a mobile number, comments are visible or
waiting, one in ten is a question owned by the article's organisation, part
of them answered. Everything is marked ``load-`` so it can be told apart.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civichall.accounts.models import Citizen
from civichall.content.models import ArticlePage, OrganisationPage
from civichall.interaction.models import Comment, CommentStatus, Question, QuestionState

__all__ = ["make_load_data", "refresh_statistics"]

BATCH = 2000
SUBJECTS = ["地铁", "公交", "医保", "社保卡", "公积金", "入学", "垃圾分类", "停车", "养老", "就业", "天气", "疫苗"]
COMMENTS = [
    "请问{s}的办理时间是什么时候？", "{s}这个政策什么时候开始执行？", "感谢发布，{s}的信息很及时。",
    "{s}在哪里可以查询进度？", "希望{s}的服务能延长时间。", "{s}网上能办吗？需要带什么材料？",
]


class NothingToLoadInto(Exception):
    """The site has no organisation sections yet (load the demo first)."""


def _progress(total, label, enabled):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="")


def _tick(bar, n=1):
    if bar is not None:
        bar.update(n)


def make_load_data(articles=10_000, comments=100_000, citizens=2_000, *, seed=1, progress=True):
    """Add ``articles`` live articles, ``citizens`` citizens and ``comments``
    comments (a tenth of them questions) to the site; returns the counts
    written. Raises NothingToLoadInto without organisation sections."""
    rng = random.Random(seed)
    sections = list(OrganisationPage.objects.select_related("organisation").order_by("path"))
    if not sections:
        raise NothingToLoadInto
    start = ArticlePage.objects.filter(slug__startswith="load-").count()
    new_pages = _articles(rng, sections, start, articles, progress)
    people = _citizens(citizens, progress)
    written = _comments(rng, new_pages, people, comments, progress)
    refresh_statistics()
    return {"articles": len(new_pages), "citizens": len(people), **written}


def refresh_statistics():
    """Tell the database's query planner how many rows there are now.

    After a bulk load the planner still believes the tables are as small as
    before until autovacuum gets round to them, and picks plans for a few
    rows: the page explorer's query for an editor (the pages under their
    sections) took a third of a second on 10,000 fresh articles, a few
    milliseconds after ``ANALYZE``. Operators do the same after an import
    (``docs/operations.md``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _articles(rng, sections, start, count, progress):
    bar = _progress(count, "articles", progress)
    now = timezone.now()
    made = []
    for i in range(start, start + count):
        section = sections[i % len(sections)]
        subject = SUBJECTS[i % len(SUBJECTS)]
        when = now - timedelta(minutes=37 * (start + count - i))
        page = ArticlePage(
            title=f"{subject}服务信息（第{i + 1}期）", slug=f"load-{i + 1}",
            summary=f"关于{subject}的最新办事指南和常见问题。",
            body=[("paragraph", f"<p>{subject}相关事项的办理流程、材料和时限，以本文为准。</p>")],
            live=True, first_published_at=when, last_published_at=when,
            author_organisation=section.organisation,
        )
        with transaction.atomic():
            section.add_child(instance=page)
        made.append((page.pk, section.organisation_id))
        _tick(bar)
    if bar is not None:
        bar.close()
    return made


def _citizens(count, progress):
    users = get_user_model()
    first = users.objects.filter(username__startswith="load-citizen-").count()
    bar = _progress(count, "citizens", progress)
    made = []
    for offset in range(first, first + count, BATCH):
        size = min(BATCH, first + count - offset)
        with transaction.atomic():
            accounts = users.objects.bulk_create([
                users(username=f"load-citizen-{offset + k}", password="!") for k in range(size)])
            if not all(a.pk for a in accounts):  # backends that return no ids
                accounts = list(users.objects.filter(
                    username__in=[a.username for a in accounts]).order_by("pk"))
            made += Citizen.objects.bulk_create([
                Citizen(user=a, mobile=f"170{offset + k:08d}", display_name=f"市民{offset + k}")
                for k, a in enumerate(accounts)])
        _tick(bar, size)
    if bar is not None:
        bar.close()
    if not all(c.pk for c in made):
        made = list(Citizen.objects.filter(user__username__startswith="load-citizen-").order_by("pk"))
    return made


def _comments(rng, pages, people, count, progress):
    if not pages or not people:
        return {"comments": 0, "questions": 0}
    bar = _progress(count, "comments", progress)
    now = timezone.now()
    # A few hot articles gather most comments, as after a push.
    hot = pages[-20:]
    questions = 0
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        rows, owners = [], []
        for k in range(size):
            page_id, organisation_id = rng.choice(hot) if rng.random() < 0.6 else rng.choice(pages)
            text = rng.choice(COMMENTS).format(s=rng.choice(SUBJECTS))
            status = CommentStatus.VISIBLE if rng.random() < 0.9 else CommentStatus.MODERATION
            rows.append(Comment(article_id=page_id, citizen=rng.choice(people), text=text, public_text=text,
                                status=status, created_at=now - timedelta(seconds=offset + k),
                                client_key=f"load-{offset + k}"))
            owners.append(organisation_id)
        with transaction.atomic():
            saved = Comment.objects.bulk_create(rows)
            if not all(c.pk for c in saved):
                saved = list(Comment.objects.filter(client_key__in=[r.client_key for r in rows]).order_by("pk"))
            asked = [
                Question(comment=c, organisation_id=owner, asked_at=c.created_at, cues="？",
                         state=QuestionState.ANSWERED if rng.random() < 0.5 else QuestionState.OPEN)
                for c, owner in zip(saved, owners) if "？" in c.text and rng.random() < 0.3
            ]
            Question.objects.bulk_create(asked)
        questions += len(asked)
        _tick(bar, size)
    if bar is not None:
        bar.close()
    return {"comments": count, "questions": questions}
