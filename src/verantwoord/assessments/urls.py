"""Pages of the assessments app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver

app_name = "assessments"

urlpatterns: list[URLPattern | URLResolver] = []
