"""Single sign-on: matching by verified e-mail, never creating accounts, switched on by environment."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import override_settings

from tests.conf.test_environment import OIDC_ENV
from tests.core.factories import UserFactory
from verantwoord.core.oidc import OrganisationOIDCBackend

pytestmark = pytest.mark.django_db


@override_settings(**dict(OIDC_ENV.items()), OIDC_RP_SIGN_ALGO="RS256", OIDC_CREATE_USER=False)
def test_users_are_matched_by_verified_email() -> None:
    user = UserFactory(email="bea@voorbeeldstad.example")
    UserFactory(email="ex@voorbeeldstad.example", is_active=False)
    backend = OrganisationOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": "BEA@voorbeeldstad.example"})) == [user]
    assert list(backend.filter_users_by_claims({"email": "ex@voorbeeldstad.example"})) == []
    assert list(backend.filter_users_by_claims({})) == []
    assert backend.verify_claims({"email": "bea@voorbeeldstad.example", "email_verified": True})
    assert not backend.verify_claims({"email": "bea@voorbeeldstad.example", "email_verified": False})
    assert not backend.verify_claims({"sub": "123"})


def test_oidc_urls_and_backend_are_on_when_configured() -> None:
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.urls import reverse;"
        "print(reverse('oidc_authentication_init'), settings.AUTHENTICATION_BACKENDS[-1])"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "verantwoord.conf.settings", **OIDC_ENV}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["/oidc/authenticate/", "verantwoord.core.oidc.OrganisationOIDCBackend"]
