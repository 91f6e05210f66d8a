"""Reads of the assessments area."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from verantwoord.assessments.models import (
    Advice,
    Answer,
    Assessment,
    AssessmentPolicy,
    Attachment,
    Comment,
    Decision,
    GateOverride,
    State,
)
from verantwoord.assessments.questionnaire import Template, current_template, template_version
from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm

APPROVING = (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS)
PUBLIC_SUMMARY_TEMPLATES = ("dpia", "iama")


def assessments_of_organisation(*, organisation: Organisation) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("algorithm", "decided_by")
        .order_by("algorithm__name", "template_key", "-version")
    )


def assessments_of_algorithm(*, algorithm: Algorithm) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(algorithm=algorithm)
        .select_related("decided_by")
        .order_by("template_key", "-version")
    )


def assessment_for_staff(*, organisation: Organisation, assessment_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(organisation=organisation, pk=assessment_id)
        .select_related("algorithm", "algorithm__organisation", "decided_by", "previous", "created_by")
        .first()
    )


def template_of(assessment: Assessment) -> Template:
    """The template version the assessment was made with (records keep the version of the data they used)."""
    return template_version(assessment.template_key, assessment.template_version)


def answers_of(*, assessment: Assessment) -> dict[str, Any]:
    return dict(Answer.objects.filter(assessment=assessment).values_list("question_id", "value"))


def answer_rows(*, assessment: Assessment) -> dict[str, Answer]:
    return {
        answer.question_id: answer
        for answer in Answer.objects.filter(assessment=assessment).select_related("updated_by")
    }


def attachments_of(*, assessment: Assessment) -> QuerySet[Attachment]:
    return Attachment.objects.filter(assessment=assessment).select_related("uploaded_by")


def attachment_counts(*, assessment: Assessment) -> dict[str, int]:
    return dict(Counter(attachments_of(assessment=assessment).values_list("question_id", flat=True)))


def comments_of(*, assessment: Assessment) -> QuerySet[Comment]:
    return Comment.objects.filter(assessment=assessment).select_related("author")


def advice_of(*, assessment: Assessment) -> QuerySet[Advice]:
    return Advice.objects.filter(assessment=assessment).select_related("given_by")


def open_assessment(*, algorithm: Algorithm, template_key: str) -> Assessment | None:
    """The version still being worked on or reviewed (at most one per template and algorithm)."""
    return (
        Assessment.objects.filter(algorithm=algorithm, template_key=template_key)
        .exclude(state__in=(State.DECIDED, State.SUPERSEDED))
        .first()
    )


def latest_decided(*, algorithm: Algorithm, template_key: str) -> Assessment | None:
    return (
        Assessment.objects.filter(algorithm=algorithm, template_key=template_key, state=State.DECIDED)
        .order_by("-version", "-pk")
        .first()
    )


def approved_assessment(*, algorithm: Algorithm, template_key: str) -> Assessment | None:
    """The decided, approved version that counts now (a newer rejected decision replaces an approval)."""
    latest = latest_decided(algorithm=algorithm, template_key=template_key)
    return latest if latest is not None and latest.decision in APPROVING else None


def approved_algorithm_ids(*, algorithms: Sequence[Algorithm], template_key: str) -> set[int]:
    """Of ``algorithms``, those :func:`approved_assessment` finds an approval of ``template_key`` for: one query."""
    rows = (
        Assessment.objects.filter(algorithm__in=algorithms, template_key=template_key, state=State.DECIDED)
        .order_by("algorithm_id", "-version", "-pk")
        .values_list("algorithm_id", "decision")
    )
    latest: dict[int, str] = {}
    for algorithm_id, decision in rows:
        latest.setdefault(algorithm_id, decision)
    return {algorithm_id for algorithm_id, decision in latest.items() if decision in APPROVING}


def chain_root(assessment: Assessment) -> Assessment:
    """The first version of the chain, whose id names the chain's compliance tasks."""
    current = assessment
    while current.previous_id is not None:
        current = Assessment.objects.get(pk=current.previous_id)
    return current


def versions_of(*, assessment: Assessment) -> list[Assessment]:
    """The whole chain, newest first."""
    chain = [chain_root(assessment)]
    while True:
        following = Assessment.objects.filter(previous=chain[-1]).first()
        if following is None:
            break
        chain.append(following)
    return list(reversed(chain))


def policy_of(*, organisation: Organisation) -> AssessmentPolicy:
    """The organisation's assessment policy; the defaults (an unsaved row) when none is set."""
    return AssessmentPolicy.objects.filter(organisation=organisation).first() or AssessmentPolicy(
        organisation=organisation
    )


def active_overrides(*, algorithm: Algorithm) -> QuerySet[GateOverride]:
    return GateOverride.objects.filter(algorithm=algorithm, revoked_at__isnull=True).select_related(
        "created_by"
    )


def overrides_of(*, algorithm: Algorithm) -> QuerySet[GateOverride]:
    return GateOverride.objects.filter(algorithm=algorithm).select_related("created_by")


def published_summaries(*, algorithm: Algorithm) -> QuerySet[Assessment]:
    """Public summaries of decided DPIAs and IAMAs (public by construction: only these fields are shown)."""
    return Assessment.objects.filter(
        algorithm=algorithm,
        template_key__in=PUBLIC_SUMMARY_TEMPLATES,
        summary_published_at__isnull=False,
        state__in=(State.DECIDED, State.SUPERSEDED),
    ).order_by("template_key", "-version")


def public_summary(*, organisation_slug: str, assessment_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(
            pk=assessment_id,
            organisation__slug=organisation_slug,
            template_key__in=PUBLIC_SUMMARY_TEMPLATES,
            summary_published_at__isnull=False,
        )
        .select_related("algorithm", "organisation")
        .first()
    )


def reviews_due(*, today: datetime.date, organisation: Organisation | None = None) -> QuerySet[Assessment]:
    """Decided, current assessments whose re-assessment date has come."""
    queryset = Assessment.objects.filter(state=State.DECIDED, review_date__lte=today).select_related(
        "algorithm", "organisation"
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


def template_title(key: str, language: str) -> str:
    try:
        return current_template(key).title.get(language)
    except ValueError:
        return key
