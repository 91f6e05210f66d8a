"""Security headers that Django 5.2 does not set itself: Content-Security-Policy and friends.

No page loads anything from another site, so the policy is `default-src 'self'` everywhere. The only
relaxation is inline styles on the self-hosted API docs page, which Swagger UI needs to render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
API_DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY + "; style-src 'self' 'unsafe-inline'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
API_PREFIX = "/api/"
API_DOCS_PATH = "/api/v1/docs"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = (
            API_DOCS_CONTENT_SECURITY_POLICY if request.path == API_DOCS_PATH else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith(API_PREFIX):
            # NL API Design Rules: version header and no caching of API responses.
            response.headers["API-Version"] = settings.API_VERSION
            response.headers.setdefault("Cache-Control", "no-store")
        return response
