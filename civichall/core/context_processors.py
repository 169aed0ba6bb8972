"""Template context shared by every public page."""

from django.conf import settings

from . import config
from .site import site_profile


def _with_lang(request, code):
    """The current address's query string with ``lang`` set to ``code``, so
    that switching language keeps the page (e.g. page 2 of a listing)."""
    params = request.GET.copy()
    params["lang"] = code
    return "?" + params.urlencode()


def site_chrome(request):
    """Elder mode, language, and the site's profile (the account's name, the
    citizen hotline, the description) for the page chrome."""
    profile = site_profile(request)
    return {
        "switch_to_zh": _with_lang(request, "zh-hans"),
        "switch_to_en": _with_lang(request, "en"),
        "elder_mode": request.COOKIES.get(config.setting("CIVICHALL_ELDER_COOKIE")) == "1",
        "site_profile": profile,
        "site_name": profile.account_name,
        "site_description": profile.description or config.setting("CIVICHALL_SITE_DESCRIPTION"),
        "hotline": profile.hotline,
        "current_language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
