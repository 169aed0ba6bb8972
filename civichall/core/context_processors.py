"""Template context shared by every public page."""

from django.conf import settings


def _with_lang(request, code):
    """The current address's query string with ``lang`` set to ``code``, so
    that switching language keeps the page (e.g. page 2 of a listing)."""
    params = request.GET.copy()
    params["lang"] = code
    return "?" + params.urlencode()


def site_chrome(request):
    """Elder mode, language and site name for the page chrome."""
    return {
        "switch_to_zh": _with_lang(request, "zh-hans"),
        "switch_to_en": _with_lang(request, "en"),
        "elder_mode": request.COOKIES.get(settings.CIVICHALL_ELDER_COOKIE) == "1",
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_description": settings.CIVICHALL_SITE_DESCRIPTION,
        "current_language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
