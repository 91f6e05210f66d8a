"""API URLs of the policy app, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.policy import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "organisations/<slug:slug>/policy-versions",
        api.PolicyVersionListAPI.as_view(),
        name="policy-version-list",
    ),
    path(
        "organisations/<slug:slug>/policy-versions/<int:policy_version>",
        api.PolicyVersionDetailAPI.as_view(),
        name="policy-version-detail",
    ),
]
