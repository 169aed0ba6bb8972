"""The site's profile, read: the one accessor every room uses for what a
deployment decides (the account's name, the citizen hotline, the search
suggestions), and the registry that says who may edit it.

``site_profile(request)`` reads the profile of the site serving the request
(cached on the request); ``site_profile()`` without a request reads the
default site's (for work outside a request: a connector's answer, a
periodic job). A site without a saved profile answers the first values
(``CIVICHALL_SITE_NAME``, ``CIVICHALL_HOTLINE``), so a fresh installation and
a broken database both still have a name and a hotline.
"""

from django.db import DatabaseError

_editor_check = None
_last_read = None


def register_editor_check(check):
    """Set who may edit the site profile: ``check(user) -> bool``. The
    accounts room registers its permission policy here in ``ready()``; until
    then nobody but Wagtail's own permission holders may."""
    global _editor_check
    _editor_check = check


def may_edit_site_profile(user):
    """Whether ``user`` may edit the site profile (the registered check)."""
    return bool(_editor_check and _editor_check(user))


def _default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()


def site_profile(request_or_site=None):
    """The ``SiteProfile`` for a request, a ``Site``, or (``None``) the default
    site; an unsaved one with the first values when none is stored."""
    from wagtail.models import Site

    from .models import SiteProfile

    global _last_read
    try:
        if request_or_site is None:
            profile = SiteProfile.for_site(_default_site())
        elif isinstance(request_or_site, Site):
            profile = SiteProfile.for_site(request_or_site)
        else:
            profile = _for_request(request_or_site)
    except DatabaseError:
        # The error pages still need a name and a hotline: the last ones read.
        return _last_read or SiteProfile()
    _last_read = profile
    return profile


def profile_key(site_id) -> str:
    return f"core:site-profile:{site_id}"


def _for_request(request):
    """The request's site profile: kept on the request, and in the shared
    cache until it is saved (``core/memo.py``), not read on every page."""
    from wagtail.models import Site

    from .memo import remembered
    from .models import SiteProfile

    profile = getattr(request, "_civichall_site_profile", None)
    if profile is None:
        site = Site.find_for_request(request)
        if site is None:
            return SiteProfile.for_request(request)
        profile = remembered(profile_key(site.pk), lambda: SiteProfile.for_site(site))
        request._civichall_site_profile = profile
    return profile


def hotline(request_or_site=None):
    """The citizen hotline of the site (see ``site_profile``)."""
    return site_profile(request_or_site).hotline
