"""Pages of the monitoring app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver

app_name = "monitoring"

urlpatterns: list[URLPattern | URLResolver] = []
