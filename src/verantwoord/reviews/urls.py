"""Pages of the annual review (Dutch paths; English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.reviews import views

app_name = "reviews"
BASE = "beheer/<slug:slug>/jaarlijkse-evaluatie"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, views.OverviewView.as_view(), name="overview"),
    path(f"{BASE}/nieuw", views.ReviewFormView.as_view(), name="record"),
    path(f"{BASE}/cyclus", views.CycleView.as_view(), name="cycle"),
    path(f"{BASE}/<int:review_id>", views.DetailView.as_view(), name="detail"),
    path(f"{BASE}/<int:review_id>/bewerken", views.ReviewFormView.as_view(), name="edit"),
]
