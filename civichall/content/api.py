"""Public read API for articles."""

import datetime
import re
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field

from civichall.accounts.models import Organisation
from civichall.api.main import ApiError

from .models import ArticlePage, Topic, public_articles
from .serializers import article_detail_json, article_summary_json

router = Router(tags=["articles"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
MAX_ID = 2**63 - 1  # the largest id a database column holds
# Slugs are ASCII; anything else (e.g. a NUL byte, which PostgreSQL refuses) is malformed.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"


def _iso_date(value):
    """Dates only as YYYY-MM-DD (pydantic alone would also read "0" as 1970-01-01)."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("Enter a date as YYYY-MM-DD.")
    return value


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Date = Annotated[datetime.date, BeforeValidator(_iso_date)]


class ArticleFilters(Schema):
    topic: str | None = Field(None, pattern=SLUG_PATTERN, description="topic slug, e.g. education")
    organisation: str | None = Field(
        None, pattern=SLUG_PATTERN, description="organisation slug, e.g. huangpu"
    )
    since: Date | None = Field(None, description="published on or after (YYYY-MM-DD)")
    until: Date | None = Field(None, description="published on or before (YYYY-MM-DD)")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


@router.get("/articles", summary="List published articles")
def list_articles(request, filters: Query[ArticleFilters]):
    """Published, not withdrawn articles, newest first, with filters."""
    articles = public_articles()
    if filters.topic:
        if not Topic.objects.filter(slug=filters.topic).exists():
            raise ApiError("invalid", _("Unknown topic “%s”.") % filters.topic, 400,
                           fields={"topic": _("Unknown topic.")})
        articles = articles.filter(topics__slug=filters.topic)
    if filters.organisation:
        org = Organisation.objects.filter(slug=filters.organisation).first()
        if org is None:
            raise ApiError("invalid", _("Unknown organisation “%s”.") % filters.organisation, 400,
                           fields={"organisation": _("Unknown organisation.")})
        articles = articles.filter(author_organisation=org)
    if filters.since and filters.until and filters.since > filters.until:
        raise ApiError("invalid", _("“since” must not be after “until”."), 400,
                       fields={"since": _("Must not be after “until”.")})
    if filters.since:
        articles = articles.filter(first_published_at__date__gte=filters.since)
    if filters.until:
        articles = articles.filter(first_published_at__date__lte=filters.until)
    count = articles.count()
    start = (filters.page - 1) * filters.page_size
    results = articles[start : start + filters.page_size]
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [article_summary_json(a, request) for a in results],
    }


@router.get("/articles/{article_id}", summary="One article with its blocks")
def get_article(request, article_id: int):
    """An article with its body as structured blocks and its supplements."""
    if not 0 < article_id <= MAX_ID:
        raise Http404
    page = get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)
    return article_detail_json(page, request)
