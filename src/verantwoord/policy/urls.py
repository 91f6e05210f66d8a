"""Pages of the policy app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver

app_name = "policy"

urlpatterns: list[URLPattern | URLResolver] = []
