"""Two-factor pages in the admin: set up an authenticator, pass a code after
signing in, and see or change one's own two-factor settings.

Thin: parse the form, call ``twofactor``, render or redirect. The set-up and
code pages are open before the second step (see ``middleware.py``); the
settings page needs it done.
"""

import django_otp
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import twofactor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "text", "spellcheck": "false"}),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@require_http_methods(["GET", "POST"])
def setup(request):
    """Scan the QR code (or type the secret), then enter the code the app
    shows. On success the recovery codes are shown, once."""
    user = request.user
    if twofactor.is_enrolled(user) and not user.is_verified():
        # Replacing an authenticator needs the current one first.
        return redirect(f"{reverse('accounts_two_factor_verify')}?next={request.path}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                device, codes = twofactor.do_confirm_enrolment(user, form.cleaned_data["code"])
            except twofactor.TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                django_otp.login(request, device)
                return render(request, "accounts/staff/recovery_codes.html",
                              {"codes": codes, "next": _next(request), "first_time": True})
        status = 400
    device = twofactor.do_start_enrolment(user)
    return render(request, "accounts/staff/two_factor_setup.html", {
        "form": form, "next": _next(request), "qr": mark_safe(twofactor.qr_svg(device)),
        "secret": twofactor.secret_text(device), "required": twofactor.is_required(user),
    }, status=status)


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step after the password: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not twofactor.is_enrolled(user):
        return redirect(f"{reverse('accounts_two_factor_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                device = twofactor.do_verify(user, form.cleaned_data["code"])
            except twofactor.TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                django_otp.login(request, device)
                left = twofactor.recovery_codes_left(user)
                if device.name == twofactor.RECOVERY:
                    messages.warning(request, _(
                        "You signed in with a recovery code; %(left)d left. Make new ones in "
                        "Account → Two-factor sign-in.") % {"left": left})
                return redirect(_next(request))
        status = 400
    return render(request, "accounts/staff/two_factor_verify.html",
                  {"form": form, "next": _next(request)}, status=status)


def manage(request):
    """One's own two-factor settings: on or off, recovery codes left."""
    user = request.user
    return render(request, "accounts/staff/two_factor.html", {
        "enrolled": twofactor.is_enrolled(user), "required": twofactor.is_required(user),
        "codes_left": twofactor.recovery_codes_left(user),
    })


@require_POST
def new_recovery_codes(request):
    try:
        codes = twofactor.do_new_recovery_codes(request.user)
    except twofactor.TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("accounts_two_factor")
    return render(request, "accounts/staff/recovery_codes.html",
                  {"codes": codes, "next": reverse("accounts_two_factor"), "first_time": False})


@require_POST
def turn_off(request):
    if twofactor.is_required(request.user):
        messages.error(request, _("Administrators and reviewers must keep two-factor sign-in on."))
        return redirect("accounts_two_factor")
    twofactor.do_turn_off(request.user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts_two_factor")
