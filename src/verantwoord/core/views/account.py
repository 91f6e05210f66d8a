"""Login, logout, two-factor set-up and verification, password reset."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from verantwoord.core.forms import TokenForm
from verantwoord.core.models import User
from verantwoord.core.two_factor import (
    device_secret_base32,
    has_confirmed_device,
    pending_device,
    provisioning_qr_svg,
    two_factor_confirm,
    two_factor_verify,
)


def safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class LoginView(auth_views.LoginView):
    template_name = "core/account/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if has_confirmed_device(form.get_user()):
            # Whoever has set up an app confirms every login with it, whatever the organisation requires.
            query = urlencode({"next": self.get_success_url()})
            return HttpResponseRedirect(f"{reverse('core:two-factor-verify')}?{query}")
        return response


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/account/password_reset.html"
    email_template_name = "core/account/password_reset_email.txt"
    subject_template_name = "core/account/password_reset_subject.txt"
    success_url = reverse_lazy("core:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/account/password_reset_confirm.html"
    success_url = reverse_lazy("core:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/account/password_reset_complete.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — guaranteed by login_required
    return user


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if has_confirmed_device(user) and not getattr(user, "is_verified", lambda: False)():
        # Replacing a device needs the current one first, or a stolen password would be enough.
        return HttpResponseRedirect(
            f"{reverse('core:two-factor-verify')}?{urlencode({'next': request.path})}"
        )
    device = pending_device(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_confirm(request=request, user=user, device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Two-factor authentication is on."))
            return HttpResponseRedirect(safe_next(request, reverse("core:staff-home")))
    return render(
        request,
        "core/account/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": provisioning_qr_svg(device=device, user=user),
            "secret": device_secret_base32(device),
            "next": safe_next(request, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not has_confirmed_device(user):
        return HttpResponseRedirect(
            f"{reverse('core:two-factor-setup')}?{urlencode({'next': safe_next(request, '')})}"
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_verify(request=request, user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(safe_next(request, reverse("core:staff-home")))
    return render(
        request, "core/account/two_factor_verify.html", {"form": form, "next": safe_next(request, "")}
    )
