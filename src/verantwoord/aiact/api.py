"""REST API of the AI Act area: the decision tree, stateless classification, and classifications stored on an
algorithm (NL API Design Rules: camelCase, problem+json)."""

from __future__ import annotations

import re
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.aiact import selectors, services
from verantwoord.aiact.dates import application_dates
from verantwoord.aiact.engine import ClassificationError, classify
from verantwoord.aiact.models import AlgorithmClassification
from verantwoord.aiact.obligations import obligations_for
from verantwoord.aiact.presentation import classification_data, tree_data
from verantwoord.aiact.tree import decision_tree
from verantwoord.core.access import acting_user
from verantwoord.core.api import OrganisationScopedAPIView
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.register.models import Algorithm

LANGUAGE_PARAMETER = OpenApiParameter(
    "language", str, enum=["nl", "en"], description="Language of texts (nl)."
)
SNAKE = re.compile(r"_([a-z0-9])")


def camel(value: Any) -> Any:
    """Stored records use snake_case keys; the API speaks camelCase. Answer and question ids are left alone."""
    if isinstance(value, dict):
        return {
            (SNAKE.sub(lambda match: match.group(1).upper(), key) if isinstance(key, str) else key): (
                item if key in {"answers", "justifications"} else camel(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [camel(item) for item in value]
    return value


def _language(request: Request) -> str:
    language = request.query_params.get("language") or get_language() or "nl"
    return "en" if language.startswith("en") else "nl"


class ClassifyRequestSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(child=serializers.CharField(), help_text="Question id → answer id.")
    datesVersion = serializers.CharField(required=False)  # noqa: N815


class StoreRequestSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(child=serializers.CharField())
    justifications = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


def stored_data(stored: AlgorithmClassification) -> dict[str, Any]:
    return {
        "version": stored.version,
        "current": stored.is_current,
        "classifiedAt": stored.classified_at.isoformat(),
        "classifiedBy": stored.classified_by.get_full_name() if stored.classified_by else None,
        "treeVersion": stored.tree_version,
        "datesVersion": stored.dates_version,
        "riskClass": stored.risk_class,
        "answers": stored.answers,
        "justifications": stored.justifications,
        "result": camel(stored.result),
    }


class DecisionTreeAPI(APIView):
    """The AI Act decision tree (data, versioned), in both languages."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(tree_data(decision_tree()))


class ClassifyAPI(APIView):
    """Classify a set of answers without storing anything (a calculation; no login needed)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=ClassifyRequestSerializer, responses={200: dict}, parameters=[LANGUAGE_PARAMETER])
    def post(self, request: Request) -> Response:
        serializer = ClassifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dates_version = serializer.validated_data.get("datesVersion")
        try:
            classification = classify(serializer.validated_data["answers"])
            obligations = obligations_for(classification, dates_version=dates_version)
        except ClassificationError as error:
            raise serializers.ValidationError({"answers": [str(error)]}) from error
        return Response(
            classification_data(
                classification,
                obligations,
                dates_version=application_dates().get(dates_version).id,
                language=_language(request),
            )
        )


class AlgorithmClassificationsAPI(OrganisationScopedAPIView):
    """The stored classifications of an algorithm (newest first); POST classifies and stores a new version, sets
    the algorithm's risk class and updates its compliance tasks."""

    permission = Permission.VIEW_INTERNAL
    permissions_by_method = {"POST": Permission.EDIT_ALGORITHM}

    def _algorithm(self, algorithm_id: int) -> Algorithm:
        return get_object_or_404(Algorithm, organisation=self.get_organisation(), pk=algorithm_id)

    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        algorithm = self._algorithm(algorithm_id)
        return Response([stored_data(item) for item in selectors.classifications_of(algorithm=algorithm)])

    @extend_schema(request=StoreRequestSerializer, responses={201: dict})
    def post(self, request: Request, slug: str, algorithm_id: int) -> Response:
        algorithm = self._algorithm(algorithm_id)
        serializer = StoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stored, sync = services.classification_store(
            actor=acting_user(request),
            algorithm=algorithm,
            answers=serializer.validated_data["answers"],
            justifications=serializer.validated_data.get("justifications", {}),
            reason=serializer.validated_data.get("reason", ""),
        )
        body = stored_data(stored) | {
            "tasks": {"created": len(sync.created), "updated": len(sync.updated), "closed": len(sync.closed)}
        }
        return Response(body, status=status.HTTP_201_CREATED)


ARGUMENTS = ("slug", "algorithm_id")
AIACT_API_ENDPOINTS: list[Endpoint] = [
    Endpoint("AI Act decision tree", "api", "GET", "api:aiact-decision-tree", Access.PUBLIC, ()),
    Endpoint("Classify (stateless)", "api", "POST", "api:aiact-classify", Access.PUBLIC, ()),
    Endpoint(
        "Classifications of an algorithm",
        "api",
        "GET",
        "api:aiact-classifications",
        Permission.VIEW_INTERNAL,
        ARGUMENTS,
    ),
    Endpoint(
        "Classify and store", "api", "POST", "api:aiact-classifications", Permission.EDIT_ALGORITHM, ARGUMENTS
    ),
]
