"""Reading configuration from environment variables.

Kept apart from settings.py so the rules (defaults, production requirements) can be tested without
reloading Django's settings.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    """Read a boolean; refuse values that are neither clearly true nor clearly false."""
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from error


def is_production(env: Mapping[str, str]) -> bool:
    environment = env.get("VERANTWOORD_ENV", "development").strip().lower()
    if environment not in {"development", "production", "test"}:
        raise ImproperlyConfigured(
            f"VERANTWOORD_ENV must be development, test or production; got {environment!r}."
        )
    return environment == "production"


def secret_key(env: Mapping[str, str], var_dir: Path) -> str:
    """The secret key: from SECRET_KEY, or — outside production — generated once and kept under var/.

    Production must set it explicitly, so that several app servers share one key and it is backed up
    with the rest of the configuration rather than living on one server's disk.
    """
    key = env.get("SECRET_KEY", "").strip()
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
        return key
    if is_production(env):
        raise ImproperlyConfigured("SECRET_KEY is required when VERANTWOORD_ENV=production.")
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions; O_EXCL so two processes starting at once cannot both write.
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def database_url(env: Mapping[str, str], var_dir: Path) -> str:
    """DATABASE_URL, or the embedded SQLite file under var/."""
    url = env.get("DATABASE_URL", "").strip()
    if url:
        return url
    if is_production(env):
        raise ImproperlyConfigured(
            "DATABASE_URL is required when VERANTWOORD_ENV=production (use PostgreSQL, see docs/deployment.md)."
        )
    var_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var_dir / 'verantwoord.sqlite3'}"
