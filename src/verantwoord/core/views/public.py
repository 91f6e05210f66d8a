"""Public pages of the core (no login)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from verantwoord.core import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/public/home.html", {"organisations": selectors.organisations_public()})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/public/accessibility.html")
