"""Pages the page cache may keep: the same for every anonymous reader."""

from civichall.core.page_cache import mark_public


class PublicPageMixin:
    """Marks what the page serves as a public page (``core.page_cache``).

    The page cache still keeps it only for anonymous readers, without a
    query string, when the answer is a 200 that sets no cookie."""

    def serve(self, request, *args, **kwargs):
        return mark_public(super().serve(request, *args, **kwargs))

    def get_view_restrictions(self):
        # Wagtail asks on every serve; skip its queries while no page at all
        # is restricted (content/restrictions.py).
        from wagtail.models import PageViewRestriction

        from ..restrictions import any_view_restrictions

        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
