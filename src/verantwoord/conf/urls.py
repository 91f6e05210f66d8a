"""Root URLs: pages under i18n_patterns (Dutch without prefix, English under /en/); API and health not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from verantwoord.core.views.health import healthz

api_patterns: list[URLPattern | URLResolver] = [
    path(
        "openapi.json",
        SpectacularJSONAPIView.as_view(permission_classes=[], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[], authentication_classes=[]
        ),
        name="docs",
    ),
    path("", include("verantwoord.core.api_urls")),
    path("", include("verantwoord.register.api_urls")),
    path("", include("verantwoord.aiact.api_urls")),
    path("", include("verantwoord.decisionlog.api_urls")),
    path("", include("verantwoord.assessments.api_urls")),
    path("", include("verantwoord.monitoring.api_urls")),
    path("", include("verantwoord.policy.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api_patterns, "api"), namespace="api")),
    path("django-admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
if settings.OIDC.enabled:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

urlpatterns += i18n_patterns(
    path("", include("verantwoord.core.urls")),
    path("", include("verantwoord.register.urls_public")),
    path("", include("verantwoord.policy.urls_public")),
    path("beheer/<slug:slug>/algoritmes/", include("verantwoord.register.urls_staff")),
    path("beheer/<slug:slug>/", include("verantwoord.compliance.urls")),
    path("beheer/<slug:slug>/", include("verantwoord.aiact.urls")),
    path("", include("verantwoord.decisionlog.urls")),
    path("", include("verantwoord.assessments.urls")),
    path("", include("verantwoord.monitoring.urls")),
    path("", include("verantwoord.policy.urls")),
    path("", include("verantwoord.reviews.urls")),
    prefix_default_language=False,
)
