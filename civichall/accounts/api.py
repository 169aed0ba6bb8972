"""Public read API for the account matrix."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from civichall.content.serializers import absolute_url, organisation_json

from .models import Organisation, OrganisationKind

router = Router(tags=["organisations"])

SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"  # ASCII slugs; refuses e.g. NUL bytes PostgreSQL cannot take


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="municipal, district, bureau or institution")
    parent: str | None = Field(None, pattern=SLUG_PATTERN, description="parent organisation slug")


def _full(org, request):
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


@router.get("/organisations", summary="All organisations of the account matrix")
def list_organisations(request, filters: Query[OrganisationFilters]):
    orgs = Organisation.objects.select_related("parent", "section")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent:
        orgs = orgs.filter(parent__slug=filters.parent)
    return {"count": orgs.count(), "results": [_full(o, request) for o in orgs]}


@router.get("/organisations/{slug:slug}", summary="One organisation")
def get_organisation(request, slug: str):
    return _full(get_object_or_404(Organisation.objects.select_related("parent"), slug=slug), request)
