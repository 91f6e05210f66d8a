"""Public page URLs of the register (Dutch paths, under /register)."""

from django.urls import URLPattern, URLResolver

app_name = "register-public"

urlpatterns: list[URLPattern | URLResolver] = []
