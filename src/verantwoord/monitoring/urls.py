"""Pages of the monitoring app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.monitoring import views

app_name = "monitoring"
BASE = "beheer/<slug:slug>/monitoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/bevindingen", views.FindingsView.as_view(), name="findings"),
    path(f"{BASE}/bevindingen/<int:finding_id>", views.FindingView.as_view(), name="finding"),
    path(f"{BASE}/algoritmes/<int:algorithm_id>", views.AlgorithmView.as_view(), name="algorithm"),
    path(f"{BASE}/algoritmes/<int:algorithm_id>/instellingen", views.ConfigView.as_view(), name="config"),
    path(f"{BASE}/algoritmes/<int:algorithm_id>/rapport.pdf", views.ReportView.as_view(), name="report"),
]
