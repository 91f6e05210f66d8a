"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from verantwoord import __version__

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def language_alternates(request: HttpRequest) -> list[dict[str, Any]]:
    """The current page in each language, for the switch and for `<link rel=alternate hreflang>`."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def layout(request: HttpRequest) -> dict[str, Any]:
    return {
        "verantwoord_version": __version__,
        "language_alternates": language_alternates(request),
        "oidc_enabled": settings.OIDC.enabled,
        "oidc_provider_name": settings.OIDC.provider_name,
    }
