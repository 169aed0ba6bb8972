"""Figures of the comment area for the staff dashboard.

Each function returns plain rows (dicts) for one table; the admin draws
them as HTML bar charts and exports them as CSV. Staff of the municipal
account and superusers see every organisation; others see their own.

* ``open_by_organisation`` -- open questions per organisation, by age bucket
  and by SLA state;
* ``answer_stats`` -- per organisation over a period: questions asked,
  answered, closed, still open, the answer rate, the median and the 90th
  percentile of the time to the first answer (hours);
* ``comments_per_article`` -- the most commented articles over a period;
* ``top_topics`` -- the topics most asked about this week (by the topics of
  the articles the questions were asked under).
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from civichall.accounts import policy
from civichall.accounts.models import Organisation
from civichall.interaction import sla
from civichall.interaction.models import (
    Comment,
    OrganisationInteractionSettings,
    Question,
    QuestionState,
)

AGE_LABELS = {"lt4h": "< 4h", "4-24h": "4–24h", "1-3d": "1–3d", "gt3d": "> 3d"}


def visible_organisations(user):
    """Organisations whose figures ``user`` may see."""
    return policy.organisations_where(user, "organisation", "view_figures")


def _targets(org_ids):
    saved = {s.organisation_id: s.sla_targets
             for s in OrganisationInteractionSettings.objects.filter(organisation_id__in=org_ids)}
    return lambda org_id: saved.get(org_id) or sla.SlaTargets()


def open_by_organisation(organisations, now=None):
    """[{organisation, total, ages: {bucket: n}, sla: {state: n}}], most open first."""
    now = now or timezone.now()
    rows = list(Question.objects.filter(state=QuestionState.OPEN, organisation__in=organisations)
                .values_list("organisation_id", "asked_at"))
    targets = _targets({org_id for org_id, _ in rows})
    table = defaultdict(lambda: {"ages": Counter(), "sla": Counter(), "total": 0})
    for org_id, asked_at in rows:
        entry = table[org_id]
        entry["total"] += 1
        entry["ages"][sla.age_bucket(asked_at, now)] += 1
        entry["sla"][sla.sla_state(asked_at, None, now, targets(org_id))] += 1
    names = dict(Organisation.objects.filter(pk__in=table).values_list("pk", "name_zh"))
    out = []
    for org_id, entry in table.items():
        out.append({
            "organisation": names.get(org_id, str(org_id)), "organisation_id": org_id, "total": entry["total"],
            "ages": {key: entry["ages"].get(key, 0) for key, _upper in sla.AGE_BUCKETS},
            "sla": {state: entry["sla"].get(state, 0) for state in (sla.OK, sla.DUE_SOON, sla.OVERDUE)},
        })
    return sorted(out, key=lambda r: (-r["total"], r["organisation"]))


def answer_stats(organisations, days=30, now=None):
    """Per organisation and in total over the last ``days`` days."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=days)
    rows = list(Question.objects.filter(organisation__in=organisations, asked_at__gte=since)
                .exclude(state=QuestionState.UNMARKED)
                .values_list("organisation_id", "state", "asked_at", "first_answer_at"))
    per_org = defaultdict(list)
    for row in rows:
        per_org[row[0]].append(row)
    names = dict(Organisation.objects.filter(pk__in=per_org).values_list("pk", "name_zh"))

    def summarise(items):
        asked = len(items)
        answered = sum(1 for r in items if r[1] == QuestionState.ANSWERED)
        closed = sum(1 for r in items if r[1] in (QuestionState.CLOSED_DUPLICATE, QuestionState.CLOSED_OUT_OF_SCOPE))
        hours = [(r[3] - r[2]).total_seconds() / 3600 for r in items if r[3] is not None]
        median, p90 = sla.percentile(hours, 50), sla.percentile(hours, 90)
        return {
            "asked": asked, "answered": answered, "closed": closed, "open": asked - answered - closed,
            "answer_rate": round(answered / asked, 3) if asked else None,
            "median_hours": round(median, 1) if median is not None else None,
            "p90_hours": round(p90, 1) if p90 is not None else None,
        }

    table = [dict(summarise(items), organisation=names.get(org_id, str(org_id)))
             for org_id, items in per_org.items()]
    table.sort(key=lambda r: (-r["asked"], r["organisation"]))
    return {"organisations": table, "total": summarise(rows), "days": days}


def comments_per_article(organisations, days=30, limit=10, now=None):
    """The most commented articles of these organisations over the period."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=days)
    rows = (Comment.objects.filter(article__author_organisation__in=organisations, created_at__gte=since)
            .values("article_id", "article__title")
            .annotate(total=Count("pk"), visible=Count("pk", filter=Q(status="visible")),
                      questions=Count("question", filter=~Q(question__state=QuestionState.UNMARKED)))
            .order_by("-total", "article_id")[:limit])
    return [{"article_id": r["article_id"], "article": r["article__title"], "comments": r["total"],
             "visible": r["visible"], "questions": r["questions"]} for r in rows]


def top_topics(organisations, days=7, limit=10, now=None):
    """Topics most asked about in the last ``days`` days (questions, not un-marked)."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=days)
    rows = (Question.objects.filter(organisation__in=organisations, asked_at__gte=since)
            .exclude(state=QuestionState.UNMARKED)
            .values("comment__article__topics__name_zh")
            .annotate(n=Count("pk", distinct=True)).order_by("-n", "comment__article__topics__name_zh"))
    out = []
    for r in rows:
        name = r["comment__article__topics__name_zh"]
        out.append({"topic": name or "—", "questions": r["n"]})
    return out[:limit]


def bar_width(value, maximum):
    """Percentage width of a bar (at least 1 % for a non-zero value)."""
    if not value or not maximum:
        return 0
    return max(1, round(100 * value / maximum))
