"""The admin's second door: after the password, staff who must use two
factors (or chose to) pass a code before any admin page opens.

A signed-in person who has not passed a code this session is sent to
* the code page, when they have a confirmed authenticator;
* the set-up page, when they must have one (superusers, administrators,
  reviewers) and do not yet.
The sign-in, sign-out and password-reset pages, the two-factor pages
themselves and the admin's icons and interface translations (which those
pages load) stay open. The public site and the API are not affected.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor

OPEN_NAMES = ("wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_password_reset",
              "accounts_two_factor_verify", "accounts_two_factor_setup",
              # the icons and the interface's translations, which these pages load
              "wagtailadmin_sprite", "wagtailadmin_javascript_catalog")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def _open_paths(self):
        if self._paths is None:
            self._paths = (reverse("wagtailadmin_home"), tuple(reverse(name) for name in OPEN_NAMES))
        return self._paths

    def __call__(self, request):
        admin_root, open_paths = self._open_paths()
        if request.path.startswith(admin_root) and not request.path.startswith(open_paths):
            target = self._second_step(request)
            if target is not None:
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _second_step(request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if twofactor.is_enrolled(user):
            return "accounts_two_factor_verify"
        if twofactor.is_required(user):
            return "accounts_two_factor_setup"
        return None
