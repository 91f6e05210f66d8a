"""API URLs of the monitoring app, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
