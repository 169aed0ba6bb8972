"""Template context shared by every public page."""

from django.conf import settings


def site_chrome(request):
    """Elder mode, language and site name for the page chrome."""
    return {
        "elder_mode": request.COOKIES.get(settings.CIVICHALL_ELDER_COOKIE) == "1",
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_description": settings.CIVICHALL_SITE_DESCRIPTION,
        "current_language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
