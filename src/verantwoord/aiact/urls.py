"""Staff page URLs of the AI Act classification (under /beheer/<slug>/algoritmes/<id>/ai-verordening)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.aiact import views

app_name = "aiact"
BASE = "algoritmes/<int:algorithm_id>/ai-verordening"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/starten", views.StartView.as_view(), name="start"),
    path(f"{BASE}/vraag", views.QuestionView.as_view(), name="question"),
    path(f"{BASE}/controleren", views.ReviewView.as_view(), name="review"),
    path(f"{BASE}/<int:version>", views.ResultView.as_view(), name="result"),
]
