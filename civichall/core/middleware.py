"""Language selection: Simplified Chinese unless the visitor asks for English.

A visitor asks with the language switch (``?lang=en``, remembered in a
cookie), or an API client with ``Accept-Language``. Anything else falls back
to ``zh-hans``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _normalise(code):
    code = (code or "").strip().lower().replace("_", "-")
    if code in SUPPORTED:
        return code
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    return None


class LanguageMiddleware:
    """Activate the visitor's language for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = _normalise(request.GET.get("lang"))
        language = (
            asked
            or _normalise(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or translation.get_language_from_request(request)
            or settings.LANGUAGE_CODE
        )
        language = _normalise(language) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if asked:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                asked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
