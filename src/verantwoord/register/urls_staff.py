"""Staff page URLs of the register (Dutch paths, under /beheer/<slug>/algoritmes)."""

from django.urls import URLPattern, URLResolver

app_name = "register-staff"

urlpatterns: list[URLPattern | URLResolver] = []
