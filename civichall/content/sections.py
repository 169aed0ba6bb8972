"""Where an organisation publishes: its section page in the tree.

The one place that maps pages to organisations and back, used by the review
task, the permissions and the account matrix.
"""

from wagtail.models import Page


def section_page_for(organisation):
    """The organisation's section page, or None if it has none yet."""
    from .models import OrganisationPage

    return OrganisationPage.objects.filter(organisation=organisation).first()


def organisation_for_page(page):
    """The organisation whose section holds ``page`` (an article, a supplement
    or the section itself), or None for pages outside every section."""
    from .models import OrganisationPage

    if page is None:
        return None
    if not isinstance(page, Page):
        return None
    if page.pk is None:
        return None
    section = (
        OrganisationPage.objects.filter(path__in=_ancestor_paths(page))
        .select_related("organisation")
        .first()
    )
    return section.organisation if section else None


def _ancestor_paths(page):
    step = page.steplen
    return [page.path[:i] for i in range(step, len(page.path) + 1, step)]
