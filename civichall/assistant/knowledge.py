"""What the assistant knows, read from the other rooms as :class:`Item` s.

- every service that is not retired: its names, synonyms, keywords and
  description (and, when the online applications room is installed, the
  materials and conditions of its application definition);
- every live article that is not withdrawn: the article itself, and each
  Q&A pair and key point as an item of its own, answering from the article;
- every live FAQ entry: its question variants and answer (from an official
  reply promoted into the FAQ too).
"""

from __future__ import annotations

import html
import re

from django.apps import apps
from django.urls import reverse

from .ranking import Item

_TAGS = re.compile(r"<[^>]+>")
SNIPPET_LENGTH = 120


def plain(value) -> str:
    """Text without HTML tags and runs of space."""
    return " ".join(html.unescape(_TAGS.sub(" ", str(value or ""))).split())


def excerpt(value, length=SNIPPET_LENGTH) -> str:
    value = plain(value)
    return value if len(value) <= length else value[: length - 1] + "…"


# --- services ------------------------------------------------------------------------------


def service_key(code) -> str:
    return f"service:{code}"


def service_items(service, extra: str = "") -> list[Item]:
    """The item of ``service`` (none for a retired one)."""
    if service.status == "retired":
        return []
    words = " ".join([*service.word_list("synonyms"), *service.word_list("keywords")])
    body = " ".join(p for p in [extra, plain(service.description_zh), service.name_en] if p)
    return [Item(
        key=service_key(service.code), kind="service", source=service_key(service.code),
        title=service.name_zh, body=body, keywords=words,
        url=reverse("service", args=[service.code]), service_code=service.code,
        snippet=excerpt(service.description_zh or service.name_zh),
        organisation=getattr(service.organisation, "slug", ""), source_title=service.name_zh,
        service_kind=service.kind,
    )]


def application_texts() -> dict[str, str]:
    """What the online applications tell a resident, by code, when that room
    is installed (read through the app registry, no import): see
    :func:`application_text`."""
    if not apps.is_installed("civichall.applications"):
        return {}
    try:
        model = apps.get_model("applications", "ApplicationDefinition")
        rows = list(model.objects.exclude(current=None).select_related("current"))
    except Exception:  # a room being built or migrated must not stop answering
        return {}
    return {row.code: application_text(row.current.document) for row in rows}


def application_text(document) -> str:
    """The words of an application definition that say what it is for: its
    summary and who may apply first (the service's own description of an
    application is often one generic line), then its materials and the
    Chinese labels of its form and their choices (its English labels are
    left out: the service's English name stands for them)."""
    if not isinstance(document, dict):
        return ""
    parts = [plain(document.get("summary"))]
    parts += [plain(rule) for rule in document.get("eligibility") or [] if isinstance(rule, str)]
    parts += [plain(m.get("name")) for m in document.get("materials") or [] if isinstance(m, dict)]
    parts += _strings(document, wanted=False)
    return " ".join(dict.fromkeys(p for p in parts if p))[:2000]


def _strings(value, wanted):
    """Chinese strings under keys that name materials, conditions or titles."""
    if isinstance(value, dict):
        for key, inner in value.items():
            key = str(key).lower()
            if key.endswith(("_en", "-en")):
                continue
            yield from _strings(inner, wanted or any(
                w in key for w in ("material", "condition", "title", "label", "description")))
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, wanted)
    elif wanted and isinstance(value, str) and not value.startswith(("http", "/")) and _CHINESE.search(value):
        yield value


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


# --- articles ------------------------------------------------------------------------------


def article_source(page) -> str:
    return f"article:{page.slug}"


def article_items(page) -> list[Item]:
    """The items of a live, not withdrawn article: itself, each Q&A pair and
    each key point."""
    source = article_source(page)
    url = page.url or ""
    org = getattr(getattr(page, "organisation", None), "slug", "") or ""
    base = dict(kind="article", source=source, url=url, slug=page.slug, organisation=org, source_title=page.title)
    paragraphs, items = [], []
    for block in page.body:
        value = block.value
        if block.block_type == "qa_list":
            for n, pair in enumerate(value["items"]):
                answer = plain(pair["answer"].source if hasattr(pair["answer"], "source") else pair["answer"])
                items.append(Item(key=f"{source}:qa:{n}:{block.id}", title=pair["question"],
                                  body=f"{answer} {page.title}", snippet=excerpt(answer), weight=1.0, **base))
        elif block.block_type == "key_points":
            for n, point in enumerate(value["points"]):
                items.append(Item(key=f"{source}:kp:{n}:{block.id}", title=point, body=page.title,
                                  snippet=excerpt(point), weight=0.9, **base))
        else:  # every other block's words: text, captions, posters' descriptions, transcripts
            paragraphs.extend(plain(t) for t in block.block.get_searchable_content(value))
    items.insert(0, Item(key=source, title=page.title, body=" ".join([page.summary, *paragraphs])[:3000],
                         snippet=excerpt(page.summary), **base))
    return items


def live_articles():
    from civichall.content.models import ArticlePage

    return (ArticlePage.objects.live().filter(withdrawal__isnull=True)
            .select_related("author_organisation"))


# --- FAQs ----------------------------------------------------------------------------------


def faq_key(faq_id) -> str:
    return f"faq:{faq_id}"


def faq_items(faq) -> list[Item]:
    """The item of a live FAQ entry."""
    if faq.status != "live":
        return []
    variants = faq.variants()
    service = faq.service
    own_page = reverse("assistant:faq", args=[faq.pk])
    url = faq.link_url or (reverse("service", args=[service.code]) if service else own_page)
    return [Item(
        key=faq_key(faq.pk), kind="faq", source=service_key(service.code) if service else faq_key(faq.pk),
        title=variants[0] if variants else "", keywords=" ".join(variants[1:]),
        body=plain(faq.answer), url=url, service_code=service.code if service else None,
        snippet=excerpt(faq.answer), organisation=faq.organisation.slug, weight=1.05,
        source_title=f"常见问题 · {faq.organisation.name_zh}",
    )]


# --- everything ----------------------------------------------------------------------------


def collect() -> list[Item]:
    """Every item the assistant answers from, read from the database."""
    from civichall.services.models import Service

    from .models import Faq

    extra = application_texts()
    items: list[Item] = []
    for service in Service.objects.exclude(status="retired").select_related("organisation"):
        items.extend(service_items(service, extra.get(service.code, "")))
    for page in live_articles():
        items.extend(article_items(page))
    for faq in Faq.objects.filter(status="live").select_related("organisation", "service"):
        items.extend(faq_items(faq))
    return items
