"""Access to an organisation's internal pages: login, role permission, then two-factor when required."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from verantwoord.core import selectors
from verantwoord.core.models import Organisation, User
from verantwoord.core.permissions import Permission
from verantwoord.core.two_factor import has_confirmed_device, is_verified


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a request that has passed the login check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def two_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to set up or enter their one-time code, then back here."""
    name = "core:two-factor-verify" if has_confirmed_device(request.user) else "core:two-factor-setup"
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class OrganisationView(View):
    """Base for internal pages of one organisation (URL kwarg `slug`).

    `permission` guards GET/HEAD; `write_permission` guards POST. Anonymous users go to the login page,
    members without the permission get 403, and two-factor is asked for where the organisation requires it.
    """

    permission: Permission = Permission.VIEW_INTERNAL
    write_permission: Permission | None = None
    organisation: Organisation

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.organisation = get_object_or_404(Organisation, slug=kwargs["slug"])
        required = self.permission
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if self.write_permission is None:
                return self.http_method_not_allowed(request, *args, **kwargs)
            required = self.write_permission
        if not selectors.user_has_permission(
            user=request.user, organisation=self.organisation, permission=required
        ):
            raise PermissionDenied
        if self.organisation.require_two_factor and not is_verified(request.user):
            return two_factor_redirect(request)
        return super().dispatch(request, *args, **kwargs)

    def can(self, permission: Permission) -> bool:
        return selectors.user_has_permission(
            user=self.request.user, organisation=self.organisation, permission=permission
        )

    def base_context(self, **extra: Any) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "can": {permission.value: self.can(permission) for permission in Permission},
            **extra,
        }
