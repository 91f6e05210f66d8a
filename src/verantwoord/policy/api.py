"""REST API of the AI policy document (NL API Design Rules: camelCase, problem+json): an organisation's versions,
and one version rendered as JSON in Dutch or English (?language=en): the same data the exports use."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.core.api import OrganisationScopedAPIView
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.policy import selectors
from verantwoord.policy.builder import build_document, document_json, is_frozen
from verantwoord.policy.models import PolicyVersion

LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    str,
    enum=["nl", "en"],
    description="The document's language (default: the request's, else nl).",
)


def _language(request: Request) -> str:
    language = request.query_params.get("language") or get_language() or "nl"
    return "en" if language.startswith("en") else "nl"


def version_summary(version: PolicyVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "state": version.state,
        "previous": version.previous.number if version.previous is not None else None,
        "templateVersion": version.template_version,
        "asOf": version.as_of.isoformat() if version.as_of else None,
        "liveDataFrozen": is_frozen(version),
        "submittedAt": version.submitted_at.isoformat() if version.submitted_at else None,
        "decisionBody": version.decision_body or None,
        "decisionDate": version.decision_date.isoformat() if version.decision_date else None,
        "decisionReference": version.decision_reference or None,
        "adoptedAt": version.adopted_at.isoformat() if version.adopted_at else None,
        "supersededAt": version.superseded_at.isoformat() if version.superseded_at else None,
        "contentHash": version.content_hash or None,
        "createdAt": version.created_at.isoformat(),
    }


class PolicyVersionListAPI(OrganisationScopedAPIView):
    """The versions of the organisation's AI policy, newest first."""

    permission = Permission.VIEW_POLICY

    @extend_schema(operation_id="organisations_policy_versions_list", responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        versions = selectors.policy_versions(organisation=self.get_organisation()).select_related("previous")
        return Response([version_summary(version) for version in versions])


class PolicyVersionDetailAPI(OrganisationScopedAPIView):
    """One version with its document rendered: sections 0-9 with text (Markdown) and live parts, and the checklist
    annex. A draft shows today's data; a version from review on shows what was frozen."""

    permission = Permission.VIEW_POLICY

    @extend_schema(parameters=[LANGUAGE_PARAMETER], responses={200: dict})
    def get(self, request: Request, slug: str, policy_version: int) -> Response:
        version = selectors.policy_version(organisation=self.get_organisation(), number=policy_version)
        if version is None:
            raise Http404
        document = build_document(version, _language(request))
        return Response(version_summary(version) | {"document": document_json(document)})


VERSION = ("slug", "policy_version")

POLICY_API_ENDPOINTS: list[Endpoint] = [
    Endpoint("AI policy versions", "api", "GET", "api:policy-version-list", Permission.VIEW_POLICY),
    Endpoint(
        "One AI policy version", "api", "GET", "api:policy-version-detail", Permission.VIEW_POLICY, VERSION
    ),
]
