"""Language selection: Simplified Chinese unless the visitor asks for English.

A visitor asks with the language switch (``?lang=en``, remembered in a
cookie), or an API client with ``Accept-Language``. Anything else falls back
to ``zh-hans``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .lang import is_english

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _normalise(code):
    code = (code or "").strip().lower().replace("_", "-")
    if code in SUPPORTED:
        return code
    if code.startswith("zh"):
        return "zh-hans"
    if is_english(code):
        return "en"
    return None


def choose_language(request):
    """The language of the answer to ``request``: the switch (``?lang=``),
    then the remembered choice, then ``Accept-Language``, then Chinese.
    The page cache keys pages on it, so it reads nothing else."""
    language = (
        _normalise(request.GET.get("lang"))
        or _normalise(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        or translation.get_language_from_request(request)
        or settings.LANGUAGE_CODE
    )
    return _normalise(language) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the visitor's language for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = _normalise(request.GET.get("lang"))
        language = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if asked:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                asked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
            )
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


class SiteErrorsMiddleware:
    """The site's own answers where Django would give a 500 or a debug page.

    * The database unavailable (``OperationalError``/``InterfaceError``,
      e.g. PostgreSQL restarting): 503 with ``Retry-After``, JSON under
      ``/api/``, the site's own page elsewhere. Errors raised in other
      middleware reach ``handler500``, which answers the same way.
    * With ``DEBUG`` on (the demo), a page that does not exist is the site's
      own 404 page, not Django's technical one, so the demo looks like the
      site it demonstrates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            from django.urls import Resolver404, resolve

            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                from civichall.core.views import page_not_found

                return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404

        from civichall.core.views import database_unavailable, is_database_unavailable, page_not_found

        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
