"""Reads of the AI Act area."""

from __future__ import annotations

from django.db.models import QuerySet

from verantwoord.aiact.models import AlgorithmClassification, ClassificationDraft
from verantwoord.register.models import Algorithm


def current_classification(*, algorithm: Algorithm) -> AlgorithmClassification | None:
    return AlgorithmClassification.objects.filter(algorithm=algorithm, is_current=True).first()


def classifications_of(*, algorithm: Algorithm) -> QuerySet[AlgorithmClassification]:
    return AlgorithmClassification.objects.filter(algorithm=algorithm).select_related("classified_by")


def classification_version(*, algorithm: Algorithm, version: int) -> AlgorithmClassification | None:
    return classifications_of(algorithm=algorithm).filter(version=version).first()


def draft_of(*, algorithm: Algorithm) -> ClassificationDraft | None:
    return ClassificationDraft.objects.filter(algorithm=algorithm).first()
