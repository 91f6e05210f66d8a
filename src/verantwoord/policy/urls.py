"""Pages of the policy app (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.policy import checklist_views, views

app_name = "policy"
BASE = "beheer/<slug:slug>/ai-beleid"
VERSION = f"{BASE}/versie/<int:policy_version>"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/nieuwe-versie", views.StartView.as_view(), name="start"),
    path(VERSION, views.VersionView.as_view(), name="version"),
    path(f"{VERSION}/bewerken/<str:language>", views.EditView.as_view(), name="edit"),
    path(f"{VERSION}/tekst/<int:block_id>", views.BlockView.as_view(), name="block"),
    path(f"{VERSION}/indienen", views.SubmitView.as_view(), name="submit"),
    path(f"{VERSION}/terugsturen", views.ReturnView.as_view(), name="return"),
    path(f"{VERSION}/vaststellen", views.AdoptView.as_view(), name="adopt"),
    path(f"{VERSION}/verschillen", views.DiffView.as_view(), name="diff"),
    path(f"{BASE}/checklist", checklist_views.ChecklistView.as_view(), name="checklist"),
]
