"""Single sign-on with OpenID Connect: log in people the platform already knows, matched by e-mail address.

Accounts and roles are still made by a beheerder; the identity provider only proves who someone is.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from verantwoord.core.models import User


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = str(claims.get("email", "")).strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # Only an address the provider has verified may be used to match an account.
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False
