"""Configuration from environment variables: defaults for the embedded install, strict rules in production."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from verantwoord.conf.environment import database_url, env_bool, env_int, env_list, is_production, secret_key
from verantwoord.conf.oidc import oidc_settings

OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "verantwoord",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example/jwks",
}


def test_booleans_are_read_strictly() -> None:
    assert env_bool({"DEBUG": "yes"}, "DEBUG") is True
    assert env_bool({"DEBUG": "0"}, "DEBUG", default=True) is False
    assert env_bool({}, "DEBUG") is False
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool({"DEBUG": "maybe"}, "DEBUG")


def test_lists_and_numbers() -> None:
    assert env_list({"ALLOWED_HOSTS": "a.example, b.example,"}, "ALLOWED_HOSTS", []) == [
        "a.example",
        "b.example",
    ]
    assert env_list({}, "ALLOWED_HOSTS", ["x"]) == ["x"]
    assert env_int({"PORT": "8123"}, "PORT", 8000) == 8123
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int({"PORT": "eighty"}, "PORT", 8000)


def test_environment_names_are_checked() -> None:
    assert is_production({"VERANTWOORD_ENV": "production"})
    assert not is_production({})
    with pytest.raises(ImproperlyConfigured):
        is_production({"VERANTWOORD_ENV": "prod"})


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_key({}, tmp_path)
    assert len(first) >= 50
    assert secret_key({}, tmp_path) == first
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_key_from_environment_must_be_long(tmp_path: Path) -> None:
    assert secret_key({"SECRET_KEY": "x" * 40}, tmp_path) == "x" * 40
    with pytest.raises(ImproperlyConfigured, match="32"):
        secret_key({"SECRET_KEY": "short"}, tmp_path)


def test_production_requires_secret_key_and_database(tmp_path: Path) -> None:
    production = {"VERANTWOORD_ENV": "production"}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        secret_key(production, tmp_path)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_url(production, tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_database_defaults_to_sqlite_under_var(tmp_path: Path) -> None:
    assert database_url({}, tmp_path) == f"sqlite:///{tmp_path / 'verantwoord.sqlite3'}"
    url = "postgres://postgres@127.0.0.1:5432/verantwoord"
    assert database_url({"DATABASE_URL": url}, tmp_path) == url


def test_oidc_is_off_unless_configured() -> None:
    assert not oidc_settings({}).enabled


def test_oidc_settings_when_configured() -> None:
    configuration = oidc_settings(OIDC_ENV | {"OIDC_PROVIDER_NAME": "Entra ID"})
    assert configuration.enabled
    assert configuration.provider_name == "Entra ID"
    assert configuration.django_settings["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert configuration.django_settings["OIDC_CREATE_USER"] is False


def test_oidc_names_what_is_missing() -> None:
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings({key: value for key, value in OIDC_ENV.items() if key != "OIDC_OP_JWKS_ENDPOINT"})


def test_production_settings_are_strict(tmp_path: Path) -> None:
    """Import the real settings module in a child process with production variables."""
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "VERANTWOORD_ENV": "production",
        "SECRET_KEY": "k" * 50,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/verantwoord",
        "ALLOWED_HOSTS": "verantwoord.example",
        "VERANTWOORD_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "verantwoord.conf.settings",
    }
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False True True True ['verantwoord.example']"
    missing = subprocess.run(
        [sys.executable, "-c", script], env=env | {"SECRET_KEY": ""}, capture_output=True, text=True
    )
    assert missing.returncode != 0
    assert "SECRET_KEY is required" in missing.stderr
