"""Public read API for articles and for the organisations of the account
matrix (each with the address of its section of the site)."""

import datetime
import re
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field

from civichall.accounts.models import Organisation, OrganisationKind
from civichall.core.api_pagination import PagePagination, paginate, shaped
from civichall.core.errors import Refusal

from .models import ArticlePage, Topic, public_articles
from .serializers import (
    absolute_url,
    article_detail_json,
    article_summary_json,
    organisation_json,
)

router = Router(tags=["articles"])
organisations_router = Router(tags=["organisations"])

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


@router.get("/articles", response=list[dict], summary="List published articles")
@paginate(PagePagination)
def list_articles(request, filters: Query[ArticleFilters]):
    """Published, not withdrawn articles, newest first, with filters. An
    unknown topic or organisation is invalid input (422, naming the field)."""
    articles = public_articles()
    if filters.topic:
        if not Topic.objects.filter(slug=filters.topic).exists():
            raise Refusal("invalid", _("Unknown topic “%s”.") % filters.topic, 422,
                          fields={"topic": _("Unknown topic.")})
        articles = articles.filter(topics__slug=filters.topic)
    if filters.organisation:
        org = Organisation.objects.filter(slug=filters.organisation).first()
        if org is None:
            raise Refusal("invalid", _("Unknown organisation “%s”.") % filters.organisation, 422,
                          fields={"organisation": _("Unknown organisation.")})
        articles = articles.filter(author_organisation=org)
    if filters.since and filters.until and filters.since > filters.until:
        raise Refusal("invalid", _("“since” must not be after “until”."), 422,
                      fields={"since": _("Must not be after “until”.")})
    if filters.since:
        articles = articles.filter(first_published_at__date__gte=filters.since)
    if filters.until:
        articles = articles.filter(first_published_at__date__lte=filters.until)
    return shaped(articles, lambda article: article_summary_json(article, request))


@router.get("/articles/{article_id}", summary="One article with its blocks")
def get_article(request, article_id: int):
    """An article with its body as structured blocks and its supplements."""
    if not 0 < article_id <= MAX_ID:
        raise Http404
    page = get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)
    return article_detail_json(page, request)


# --- organisations ------------------------------------------------------------------------


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="municipal, district, bureau or institution")
    parent: str | None = Field(None, pattern=SLUG_PATTERN, description="parent organisation slug")


def _organisation(org, request):
    data = organisation_json(org)
    section = getattr(org, "section", None)
    data.update(
        {
            "parent": org.parent.slug if org.parent_id else None,
            "description": org.description,
            "contact": org.contact,
            "url": absolute_url(section, request) if section else None,
        }
    )
    return data


@organisations_router.get("/organisations", summary="All organisations of the account matrix")
def list_organisations(request, filters: Query[OrganisationFilters]):
    """Every organisation (not paged: the matrix is the whole list)."""
    orgs = Organisation.objects.select_related("parent", "section")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent:
        parent = Organisation.objects.filter(slug=filters.parent).first()
        if parent is None:
            raise Refusal("invalid", _("Unknown organisation “%s”.") % filters.parent, 422,
                          fields={"parent": _("Unknown organisation.")})
        orgs = orgs.filter(parent=parent)
    return {"count": orgs.count(), "results": [_organisation(o, request) for o in orgs]}


@organisations_router.get("/organisations/{slug:slug}", summary="One organisation")
def get_organisation(request, slug: str):
    return _organisation(get_object_or_404(Organisation.objects.select_related("parent"), slug=slug), request)
