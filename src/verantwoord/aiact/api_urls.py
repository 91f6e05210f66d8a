"""API URLs of the AI Act area, under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.aiact import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("ai-act/decision-tree", api.DecisionTreeAPI.as_view(), name="aiact-decision-tree"),
    path("ai-act/classifications", api.ClassifyAPI.as_view(), name="aiact-classify"),
    path(
        "organisations/<slug:slug>/register/algorithms/<int:algorithm_id>/ai-act-classifications",
        api.AlgorithmClassificationsAPI.as_view(),
        name="aiact-classifications",
    ),
]
