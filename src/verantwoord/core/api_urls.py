"""API URLs of the core, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import path

from verantwoord.core import api

urlpatterns = [
    path("organisations", api.OrganisationListAPI.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>", api.OrganisationDetailAPI.as_view(), name="organisation-detail"),
    path("organisations/<slug:slug>/members", api.MemberListAPI.as_view(), name="member-list"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>",
        api.MemberDetailAPI.as_view(),
        name="member-detail",
    ),
    path(
        "organisations/<slug:slug>/audit-records", api.AuditRecordListAPI.as_view(), name="audit-record-list"
    ),
    path("me", api.MeAPI.as_view(), name="me"),
]
