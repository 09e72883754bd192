from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hromada.accounts import demo as demo_accounts
from hromada.accounts import demo_identity, services
from hromada.accounts.forms import CodeForm, RegistrationForm, SigninForm
from hromada.accounts.models import User
from hromada.accounts.permissions import roles_of
from hromada.accounts.services import SigninOutcome
from hromada.core import selectors as core_selectors

PENDING_USER = "hromada_pending_user_id"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy every request comes from the proxy; trust its header only
    # when the operator says a proxy sets it (otherwise anyone could forge it).
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def signin(request: HttpRequest) -> HttpResponse:
    form = SigninForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.signin_check(
            request=request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            code=form.cleaned_data["code"],
            client_ip=_client_ip(request),
        )
        if result.outcome == SigninOutcome.SIGNED_IN:
            login(request, result.user, backend=BACKEND)
            if result.device is not None:
                otp_login(request, result.device)
            return redirect(_next_url(request))
        if result.outcome == SigninOutcome.NEEDS_ENROLMENT:
            request.session[PENDING_USER] = result.user.pk
            return redirect("accounts:totp_enrol")
        if result.outcome == SigninOutcome.THROTTLED:
            form.add_error(None, _("Too many failed attempts. Try again in 15 minutes."))
        else:
            form.add_error(None, _("The e-mail, password or code is not correct."))
    return render(
        request,
        "accounts/signin.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "oidc_provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
            "demo_mode": settings.DEMO_MODE,
            "demo_codes": demo_accounts.current_codes() if settings.DEMO_MODE else [],
            "demo_password": demo_accounts.DEMO_PASSWORD,
        },
    )


def totp_enrol(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER)
    if not user_id:
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=user_id, is_active=True)
    device = services.totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_enrolment_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        ):
            del request.session[PENDING_USER]
            login(request, user, backend=BACKEND)
            otp_login(request, device)
            messages.success(request, _("Your authenticator is set up. You are signed in."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("code", _("This code is not correct. Check the time on your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("QR code"))
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": services.totp_secret_base32(device),
            "demo_code": services.totp_current_code(device) if settings.DEMO_MODE else "",
        },
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.resident_register(**form.cleaned_data)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome! Your account is created."))
        return redirect("accounts:cabinet")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def cabinet(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/cabinet.html",
        {
            "roles": sorted(roles_of(request.user)),
            "notifications": core_selectors.notifications_for(user=request.user)[:50],
        },
    )


def demo_identity_provider(request: HttpRequest) -> HttpResponse:
    """A clearly labelled stand-in for the national e-ID, present only in demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    if request.method == "POST":
        identity = demo_identity.by_key(request.POST.get("identity", ""))
        if identity is None:
            messages.error(request, _("Choose one of the demo identities."))
        else:
            user = demo_identity.sign_in_as(identity)
            login(request, user, backend=BACKEND)
            messages.success(request, _("Signed in with a demo identity (not a real e-ID)."))
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/demo_identity.html",
        {"identities": demo_identity.IDENTITIES, "next": request.GET.get("next", "")},
    )
