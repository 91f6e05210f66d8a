"""Reads of compliance tasks."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from verantwoord.compliance.choices import OPEN_STATUSES
from verantwoord.compliance.models import ComplianceTask, TaskEvidence
from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm


def tasks_of_algorithm(*, algorithm: Algorithm) -> QuerySet[ComplianceTask]:
    return (
        ComplianceTask.objects.filter(algorithm=algorithm)
        .select_related("owner")
        .order_by("status", "due_date", "title", "id")
    )


def task_of_organisation(*, organisation: Organisation, task_id: int) -> ComplianceTask | None:
    return (
        ComplianceTask.objects.filter(organisation=organisation, pk=task_id)
        .select_related("algorithm", "owner", "organisation")
        .first()
    )


def open_tasks(*, organisation: Organisation) -> QuerySet[ComplianceTask]:
    return (
        ComplianceTask.objects.filter(organisation=organisation, status__in=OPEN_STATUSES)
        .select_related("algorithm", "owner")
        .order_by("due_date", "title")
    )


def overdue_tasks(
    *, organisation: Organisation, today: datetime.date | None = None
) -> QuerySet[ComplianceTask]:
    return open_tasks(organisation=organisation).filter(due_date__lt=today or timezone.localdate())


def evidence_of_task(*, task: ComplianceTask) -> QuerySet[TaskEvidence]:
    return TaskEvidence.objects.filter(task=task).select_related("added_by")
