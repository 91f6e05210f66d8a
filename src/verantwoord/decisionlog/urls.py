"""URLs of the decision log's pages: staff pages under /beheer/<slug>/beslissingen, the public page of an
organisation's log under /register/<slug>/logboek (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.decisionlog import views

app_name = "decisionlog"
BASE = "beheer/<slug:slug>/beslissingen"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/instellingen", views.SettingsView.as_view(), name="settings"),
    path(f"{BASE}/controlepunten", views.CheckpointsView.as_view(), name="checkpoints"),
    path(f"{BASE}/zoeken", views.SearchView.as_view(), name="search"),
    path(f"{BASE}/wissen", views.EraseView.as_view(), name="erase"),
    path(f"{BASE}/<int:index>", views.EntryView.as_view(), name="entry"),
    path(f"{BASE}/algoritmes/<int:algorithm_id>", views.AlgorithmDecisionsView.as_view(), name="algorithm"),
    path(f"{BASE}/algoritmes/<int:algorithm_id>/sleutels", views.APIKeysView.as_view(), name="api-keys"),
    path("register/<slug:slug>/logboek", views.public_log, name="public"),
]
