"""API URLs of the decision log, under /api/v1/ (kebab-case, plural nouns, no trailing slash)."""

from django.urls import URLPattern, URLResolver, path

from verantwoord.decisionlog import api

LOG = "organisations/<slug:slug>/decision-log"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "organisations/<slug:slug>/algorithms/<int:algorithm_id>/decisions",
        api.DecisionListAPI.as_view(),
        name="decisionlog-decisions",
    ),
    path(LOG, api.LogAPI.as_view(), name="decisionlog-log"),
    path(f"{LOG}/entries", api.EntryListAPI.as_view(), name="decisionlog-entries"),
    path(f"{LOG}/entries/<int:index>", api.EntryDetailAPI.as_view(), name="decisionlog-entry"),
    path(f"{LOG}/checkpoints", api.CheckpointListAPI.as_view(), name="decisionlog-checkpoints"),
    path(f"{LOG}/keys", api.KeyListAPI.as_view(), name="decisionlog-keys"),
    path(
        f"{LOG}/proofs/inclusion/<int:index>",
        api.InclusionProofAPI.as_view(),
        name="decisionlog-inclusion-proof",
    ),
    path(
        f"{LOG}/proofs/consistency", api.ConsistencyProofAPI.as_view(), name="decisionlog-consistency-proof"
    ),
    path("decision-log/record-schema", api.RecordSchemaAPI.as_view(), name="decisionlog-record-schema"),
]
