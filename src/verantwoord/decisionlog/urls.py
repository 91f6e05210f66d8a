"""URLs of the decision log."""

from django.urls import URLPattern, URLResolver

app_name = "decisionlog"

urlpatterns: list[URLPattern | URLResolver] = []
