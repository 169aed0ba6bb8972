"""Loads the demo topics and articles (with their pictures, supplements and
one withdrawn article). Idempotent: an article that exists is left alone."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from civichall.accounts.policy import SYSTEM
from civichall.content.actions import do_save_topic
from civichall.content.models import (
    ArticlePage,
    OrganisationPage,
    SupplementPage,
    Topic,
    Withdrawal,
)

from . import articles as demo_data
from .load_accounts import demo_image
from .pictures import render_image, size_for

IMAGE_FIELDS = {"image"}
SOURCE = "demo"  # how the audit entries name what the demo loader wrote


def load_topics():
    """Create the demo topics that do not exist yet, through the topic action
    (as ``SYSTEM``, audited); existing topics are left as an administrator
    keeps them."""
    existing = set(Topic.objects.values_list("slug", flat=True))
    for position, row in enumerate(demo_data.TOPICS):
        if row["slug"] in existing:
            continue
        do_save_topic(SYSTEM, None, source=SOURCE, slug=row["slug"], name_zh=row["name_zh"],
                      name_en=row["name_en"], description_zh=row.get("description_zh", ""),
                      sort_order=position)


def _image(key):
    spec = demo_data.IMAGES[key]
    return demo_image(key, spec["title"], lambda: render_image(spec, size_for(spec)))


def _service_id(code):
    """The id of the demo service ``code``; the services are loaded first."""
    Service = apps.get_model("services", "Service")
    try:
        return Service.objects.values_list("pk", flat=True).get(code=code)
    except Service.DoesNotExist:
        raise LookupError(f"a demo service card names the service {code!r}, which is not loaded") from None


def _resolve(value):
    """Turn a demo block value into what the StreamField stores: image keys
    become image ids, service codes service ids and chart tables table-block
    data."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name == "service":
                out[name] = _service_id(item)
            elif name in IMAGE_FIELDS:
                out[name] = _image(item).pk if item else None
            elif name == "table" and isinstance(item, list):
                out[name] = {
                    "data": item,
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "",
                }
            else:
                out[name] = _resolve(item)
        return out
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value


def _when(text):
    return datetime.datetime.fromisoformat(text)


def _backdate(page, when):
    """Give a demo page the publication date the story had (written directly:
    no action changes history, which is the point of the demo's dates)."""
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=when, last_published_at=when, latest_revision_created_at=when
    )
    page.revisions.update(created_at=when)


@transaction.atomic
def load_articles(progress=None):
    """Create the demo articles that do not exist yet; returns how many.
    ``progress(line)`` hears every tenth article.

    The articles, their supplements and the withdrawn one are written with
    Wagtail's own page API, published at once and back-dated, not through the
    review workflow's actions: those stamp today's date and wait for a
    reviewer, and the demo shows stories as they were published in 2022."""
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    created = 0
    total = len(demo_data.ARTICLES)
    for number, row in enumerate(demo_data.ARTICLES, 1):
        if progress and (number % 10 == 0 or number == total):
            progress(f"  articles {number}/{total}")
        section = OrganisationPage.objects.get(organisation__slug=row["org"])
        if ArticlePage.objects.child_of(section).filter(slug=row["slug"]).exists():
            continue
        body = [{"type": b["type"], "value": _resolve(b["value"])} for b in row["body"]]
        page = ArticlePage(
            title=row["title"],
            slug=row["slug"],
            summary=row["summary"],
            cover_image=_image(row["cover"]) if row.get("cover") else None,
            body=body,
        )
        section.add_child(instance=page)
        page.topics.set(Topic.objects.filter(slug__in=row["topics"]))
        page.tags.add(*row.get("tags", []))
        page.save_revision(user=user).publish(user=user)
        _backdate(page, _when(row["published"]))
        for index, sup in enumerate(row.get("supplements", [])):
            kind_label = dict(SupplementPage._meta.get_field("kind").choices)[sup["kind"]]
            supplement = page.add_child(
                instance=SupplementPage(
                    title=sup.get("title") or str(kind_label),
                    slug=f"supplement-{index + 1}",
                    kind=sup["kind"],
                    major=sup.get("major", False),
                    text="".join(f"<p>{line}</p>" for line in sup["text"].split("\n") if line),
                )
            )
            supplement.save_revision(user=user).publish(user=user)
            _backdate(supplement, _when(sup["date"]))
        if row.get("withdrawn"):
            Withdrawal.objects.create(
                page=page,
                reason=row["withdrawn"]["reason"],
                withdrawn_by=user,
                withdrawn_at=_when(row["withdrawn"]["date"]),
            )
        created += 1
    return created


