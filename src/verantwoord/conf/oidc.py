"""Optional OpenID Connect single sign-on (Entra ID, Keycloak, …), switched on by OIDC_RP_CLIENT_ID."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

REQUIRED_WHEN_ENABLED = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


@dataclass(frozen=True)
class OIDCConfiguration:
    enabled: bool
    django_settings: dict[str, Any] = field(default_factory=dict)
    provider_name: str = ""


def oidc_settings(env: Mapping[str, str]) -> OIDCConfiguration:
    client_id = env.get("OIDC_RP_CLIENT_ID", "").strip()
    if not client_id:
        return OIDCConfiguration(enabled=False)
    missing = [name for name in REQUIRED_WHEN_ENABLED if not env.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set, so single sign-on is on, but these are missing: " + ", ".join(missing)
        )
    return OIDCConfiguration(
        enabled=True,
        provider_name=env.get("OIDC_PROVIDER_NAME", "Single sign-on").strip(),
        django_settings={
            "OIDC_RP_CLIENT_ID": client_id,
            "OIDC_RP_CLIENT_SECRET": env["OIDC_RP_CLIENT_SECRET"],
            "OIDC_OP_AUTHORIZATION_ENDPOINT": env["OIDC_OP_AUTHORIZATION_ENDPOINT"],
            "OIDC_OP_TOKEN_ENDPOINT": env["OIDC_OP_TOKEN_ENDPOINT"],
            "OIDC_OP_USER_ENDPOINT": env["OIDC_OP_USER_ENDPOINT"],
            "OIDC_OP_JWKS_ENDPOINT": env["OIDC_OP_JWKS_ENDPOINT"],
            "OIDC_RP_SIGN_ALGO": env.get("OIDC_RP_SIGN_ALGO", "RS256"),
            "OIDC_RP_SCOPES": env.get("OIDC_RP_SCOPES", "openid email profile"),
            # Accounts are made by a beheerder; SSO only logs in people the platform already knows.
            "OIDC_CREATE_USER": False,
        },
    )
