"""Who owns a page: the one door every room asks.

An article, its supplements and its section belong to the organisation
whose section holds them in the tree. ``ArticlePage.author_organisation``
is a copy of that answer kept for fast lists (comment queues, the API
filter) -- it is set from the tree when the article is created, and an
article never changes organisation afterwards: moving a page into another
organisation's section is refused (``refuse_moves_across_organisations``),
so the tree and the copy cannot drift apart.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .sections import organisation_for_page


def owner_of(page):
    """The organisation that owns ``page``, or None outside every section."""
    return organisation_for_page(page)


def owner_id(page):
    owner = owner_of(page)
    return owner.pk if owner is not None else None


def pages_owned_by(organisations):
    """A Q selecting the pages in the sections of ``organisations``."""
    from .models import OrganisationPage

    paths = list(OrganisationPage.objects.filter(organisation__in=organisations).values_list("path", flat=True))
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


class MoveAcrossOrganisations(PermissionDenied):
    """A page may not leave its organisation's section."""


def refuse_moves_across_organisations(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """``pre_page_move``: refuse a move that would change the page's owner
    (or nest a section in another), by any path -- admin, bulk move, code."""
    from .models import OrganisationPage

    before, after = organisation_for_page(parent_page_before), organisation_for_page(parent_page_after)
    moving_section = isinstance(instance.specific_deferred, OrganisationPage)
    if (before != after) or (moving_section and after is not None):
        raise MoveAcrossOrganisations(_(
            "An article belongs to the organisation whose section holds it and cannot be moved to another "
            "organisation. Copy it into that organisation's section instead."))
