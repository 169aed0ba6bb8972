"""Security headers: the Content-Security-Policy of every page, and
``no-store`` on answers about one person.

The public site runs no inline script and no inline style: every script
and stylesheet is a file under ``/static/`` (the policy in settings,
``CONTENT_SECURITY_POLICY``). The Wagtail admin still has inline scripts
of its own (date pickers, inline panels) and shows staff avatars from the
avatar service, so under ``/admin/`` the policy also allows inline script
and style and https images; it is still a policy (no other origin may
script the admin, no framing, no plugins).
"""

import re
from dataclasses import asdict

from csp.constants import HEADER, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

ADMIN_PREFIX = "/admin/"
ADMIN_ALLOWANCES = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["https:", "blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's allowances, and the policy
    also on 404 pages with DEBUG on (they are the site's own 404 page then,
    see ``SiteErrorsMiddleware``, not Django's technical page)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIX):
            update = dict(parts.update or {})
            for directive, sources in ADMIN_ALLOWANCES.items():
                update[directive] = list(update.get(directive) or []) + sources
            parts.update = update
        return parts

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code == 404 and HEADER not in response:
            policy = build_policy(**asdict(self.get_policy_parts(request, response)))
            if policy:
                response[HEADER] = policy
        return super().process_response(request, response)


# Answers about one person: never stored by a browser or a proxy.
PERSONAL_PREFIXES = ("/citizen/", "/api/v1/citizen/")
PERSONAL_PATHS = re.compile(r"^/api/v1/services/[^/]+/query$")


def is_personal(request):
    """Is the answer to ``request`` about the person asking? Their own pages
    (profile, notifications, devices, later their cases), query answers of
    the service API (personal services answer there), and anything asked
    with a token."""
    path = request.path_info
    return (
        path.startswith(PERSONAL_PREFIXES)
        or bool(PERSONAL_PATHS.match(path))
        or "HTTP_AUTHORIZATION" in request.META
    )


class PersonalAnswersMiddleware:
    """``Cache-Control: no-store, private`` on personal answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
