"""The public page of the adopted AI policy, beside the organisation's register (Dutch path; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.policy import public

app_name = "policy-public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("register/<slug:slug>/ai-beleid", public.public_policy, name="document"),
]
