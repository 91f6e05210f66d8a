"""REST API of assessments (NL API Design Rules: camelCase, problem+json): the templates, an organisation's
assessments, one assessment, and its answers (PATCH with the revision each answer was read at: 409 on a conflict)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.assessments import selectors, services
from verantwoord.assessments.models import Assessment
from verantwoord.assessments.questionnaire import Template, current_templates
from verantwoord.assessments.workflow import next_steps
from verantwoord.core.access import acting_user
from verantwoord.core.api import OrganisationScopedAPIView
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission


class EditConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed an answer since you read it."
    default_code = "conflict"


def _language(request: Request) -> str:
    language = request.query_params.get("language") or get_language() or "nl"
    return "en" if language.startswith("en") else "nl"


def template_data(template: Template, language: str) -> dict[str, Any]:
    return {
        "key": template.key,
        "version": template.version,
        "title": template.title.get(language),
        "sourceInstrument": template.source_instrument,
        "sourceVersion": template.source_version,
        "adviceBy": template.advice_by,
        "producesFria": template.produces_fria,
        "questionCount": template.question_count,
        "sections": [
            {
                "id": section.id,
                "title": section.title.get(language),
                "questions": [q.id for q in section.questions],
            }
            for section in template.sections()
        ],
    }


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "algorithm": assessment.algorithm_id,
        "template": assessment.template_key,
        "templateVersion": assessment.template_version,
        "version": assessment.version,
        "previous": assessment.previous_id,
        "state": assessment.state,
        "decision": assessment.decision or None,
        "decidedAt": assessment.decided_at.isoformat() if assessment.decided_at else None,
        "reviewDate": assessment.review_date.isoformat() if assessment.review_date else None,
        "contentHash": assessment.content_hash or None,
    }


def answers_data(assessment: Assessment) -> dict[str, Any]:
    return {
        answer.question_id: {"value": answer.value, "revision": answer.revision}
        for answer in selectors.answer_rows(assessment=assessment).values()
    }


class TemplatesAPI(APIView):
    """The questionnaire templates shipped (newest version of each), with their question counts (public data)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        language = _language(request)
        return Response([template_data(template, language) for template in current_templates().values()])


class AssessmentListAPI(OrganisationScopedAPIView):
    """The organisation's assessments (filter with ?algorithm=)."""

    permission = Permission.VIEW_ASSESSMENTS

    @extend_schema(operation_id="organisations_assessments_list", responses={200: dict})
    def get(self, request: Request, slug: str) -> Response:
        assessments = selectors.assessments_of_organisation(organisation=self.get_organisation())
        algorithm = request.query_params.get("algorithm")
        if algorithm and algorithm.isdigit():
            assessments = assessments.filter(algorithm_id=int(algorithm))
        return Response([assessment_summary(item) for item in assessments])


class AssessmentDetailAPI(OrganisationScopedAPIView):
    """One assessment: state, next steps, answers, advice, decision and hash."""

    permission = Permission.VIEW_ASSESSMENTS

    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str, assessment_id: int) -> Response:
        assessment = get_object_or_404(Assessment, organisation=self.get_organisation(), pk=assessment_id)
        return Response(
            assessment_summary(assessment)
            | {
                "nextSteps": [str(state) for state in next_steps(assessment)],
                "answers": answers_data(assessment),
                "advice": [
                    {
                        "advisor": advice.advisor_kind,
                        "outcome": advice.outcome,
                        "text": advice.text,
                        "conditions": advice.conditions,
                        "givenAt": advice.given_at.isoformat(),
                    }
                    for advice in selectors.advice_of(assessment=assessment)
                ],
                "decisionNote": assessment.decision_note or None,
                "conditions": assessment.conditions,
            }
        )


class AnswersSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.DictField(),
        help_text="Question id → {value, revision}: the revision the answer had when you read it (0 if none).",
    )


class AnswersAPI(OrganisationScopedAPIView):
    """The answers of an assessment. PATCH saves some: each names the revision it was read at; when someone saved
    in between, nothing is saved and 409 lists the current answers."""

    permission = Permission.VIEW_ASSESSMENTS
    permissions_by_method = {"PATCH": Permission.EDIT_ASSESSMENTS}

    def _assessment(self, assessment_id: int) -> Assessment:
        return get_object_or_404(Assessment, organisation=self.get_organisation(), pk=assessment_id)

    @extend_schema(responses={200: dict})
    def get(self, request: Request, slug: str, assessment_id: int) -> Response:
        return Response(answers_data(self._assessment(assessment_id)))

    @extend_schema(request=AnswersSerializer, responses={200: dict, 409: dict})
    def patch(self, request: Request, slug: str, assessment_id: int) -> Response:
        assessment = self._assessment(assessment_id)
        serializer = AnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["answers"]
        errors: dict[str, list[str]] = {}
        conflicts: list[str] = []
        try:
            with transaction.atomic():
                for question_id, item in items.items():
                    revision = item.get("revision")
                    try:
                        services.answer_save(
                            actor=acting_user(request),
                            assessment=assessment,
                            question_id=str(question_id),
                            value=item.get("value"),
                            expected_revision=int(revision) if revision is not None else 0,
                        )
                    except services.EditConflictError:
                        conflicts.append(str(question_id))
                    except ValidationError as error:
                        if hasattr(error, "error_dict"):
                            for key, messages in error.message_dict.items():
                                errors.setdefault(key, []).extend(messages)
                        else:
                            errors.setdefault(str(question_id), []).extend(error.messages)
                if errors or conflicts:
                    raise _RollbackError
        except _RollbackError:
            if conflicts:
                raise EditConflict(
                    {"detail": "Someone else changed an answer since you read it.", "questions": conflicts}
                ) from None
            raise serializers.ValidationError(errors) from None
        return Response(answers_data(assessment))


class _RollbackError(Exception):
    """Undo every answer of a PATCH when one of them fails: all or nothing."""


ASSESSMENT = ("slug", "assessment_id")
ASSESSMENT_API_ENDPOINTS: list[Endpoint] = [
    Endpoint("Assessment templates", "api", "GET", "api:assessment-templates", Access.PUBLIC, ()),
    Endpoint("Assessments", "api", "GET", "api:assessment-list", Permission.VIEW_ASSESSMENTS),
    Endpoint(
        "One assessment", "api", "GET", "api:assessment-detail", Permission.VIEW_ASSESSMENTS, ASSESSMENT
    ),
    Endpoint(
        "Answers of an assessment",
        "api",
        "GET",
        "api:assessment-answers",
        Permission.VIEW_ASSESSMENTS,
        ASSESSMENT,
    ),
    Endpoint(
        "Save answers", "api", "PATCH", "api:assessment-answers", Permission.EDIT_ASSESSMENTS, ASSESSMENT
    ),
]
