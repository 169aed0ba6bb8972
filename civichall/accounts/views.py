"""Citizen sign-in and real-name verification pages (work without JavaScript).

Thin: parse the form, call ``citizens``, render or redirect.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from civichall.core.ratelimit import client_address

from . import citizen_sessions, citizens, personal_data


class MobileForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class CodeForm(forms.Form):
    mobile = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(label=_("Code"), max_length=10,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class VerifyForm(forms.Form):
    name = forms.CharField(label=_("Name (as on your ID card)"), max_length=30)
    id_number = forms.CharField(label=_("ID number"), max_length=30)


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/citizen/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/citizen/"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Step 1: the mobile number; step 2: the code sent to it."""
    if request.method == "POST" and "code" in request.POST:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                citizen = citizens.do_sign_in_with_code(form.cleaned_data["mobile"], form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
                citizen_sessions.do_record_web_sign_in(request, citizen)
                return redirect(_next(request))
        return render(request, "accounts/citizen/code.html", {"form": form, "next": _next(request)}, status=400)
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mobile = citizens.do_request_code(form.cleaned_data["mobile"], client_address(request))
        except ValidationError as error:
            form.add_error("mobile", error)
        except citizens.RateLimited as error:
            form.add_error("mobile", str(error))
            return render(request, "accounts/citizen/sign_in.html", {"form": form, "next": _next(request)}, status=429)
        else:
            code_form = CodeForm(initial={"mobile": mobile})
            return render(request, "accounts/citizen/code.html",
                          {"form": code_form, "mobile": mobile, "next": _next(request)})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/citizen/sign_in.html", {"form": form, "next": _next(request)}, status=status)


@require_POST
def sign_out(request):
    citizen = citizens.citizen_of(request.user)
    current = citizen_sessions.current_session(request) if citizen else None
    if current is not None:
        citizen_sessions.do_end_session(citizen, current)
    logout(request)
    return redirect("/")


def data_use(request):
    """Who among the staff read the citizen's personal data unmasked, and
    when (written by the logged door, ``personal_data.read``)."""
    citizen = citizens.citizen_of(request.user)
    if citizen is None:
        return redirect(f"/citizen/sign-in/?next={request.path}")
    accesses = list(personal_data.accesses_for(citizen)[:200])
    for access in accesses:
        access.what_label = personal_data.label(access.what)
    return render(request, "accounts/citizen/data_use.html", {"citizen": citizen, "accesses": accesses,
                                                             "uses": personal_data.data_uses_for(citizen)})


def devices(request):
    """Where the citizen is signed in (browsers and apps), with a way to end
    each sign-in or all of them."""
    citizen = citizens.citizen_of(request.user)
    if citizen is None:
        return redirect(f"/citizen/sign-in/?next={request.path}")
    current = citizen_sessions.current_session(request)
    sessions = list(citizen_sessions.active_sessions(citizen))
    for record in sessions:
        record.is_current = current is not None and record.pk == current.pk
    return render(request, "accounts/citizen/devices.html", {"citizen": citizen, "sessions": sessions})


@require_POST
def end_device(request, session_id):
    citizen = citizens.citizen_of(request.user)
    if citizen is None:
        return redirect("/citizen/sign-in/?next=/citizen/devices/")
    record = citizen_sessions.access_citizen_session(request.user, session_id)
    was_current = record.session_key and record.session_key == request.session.session_key
    citizen_sessions.do_end_session(citizen, record)
    if was_current:
        logout(request)
        return redirect("/")
    messages.success(request, _("That sign-in has been ended."))
    return redirect("citizen_devices")


@require_POST
def sign_out_everywhere(request):
    citizen = citizens.citizen_of(request.user)
    if citizen is None:
        return redirect("/citizen/sign-in/?next=/citizen/devices/")
    citizen_sessions.do_sign_out_everywhere(citizen)
    logout(request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect("citizen_login")


@require_http_methods(["GET", "POST"])
def profile(request):
    """The citizen's own page: who they are and real-name verification."""
    citizen = citizens.citizen_of(request.user)
    if citizen is None:
        return redirect(f"/citizen/sign-in/?next={request.path}")
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and not citizen.is_verified:
        if form.is_valid():
            try:
                citizens.do_verify_identity(citizen, form.cleaned_data["name"],
                                            form.cleaned_data["id_number"], client_address(request))
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            except citizens.RateLimited as error:
                form.add_error(None, str(error))
                status = 429
            else:
                return redirect(_next(request))
        else:
            status = 400
    return render(request, "accounts/citizen/profile.html",
                  {"citizen": citizen, "form": form, "next": _next(request)}, status=status)
