"""Writes of compliance tasks. Every write is audited; evidence is never deleted by a re-classification."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from verantwoord.compliance.choices import OPEN_STATUSES, EvidenceKind, TaskStatus
from verantwoord.compliance.files import checked_upload
from verantwoord.compliance.models import ComplianceTask, TaskEvidence
from verantwoord.core.audit import audit_record, field_changes, snapshot
from verantwoord.core.models import Membership, User
from verantwoord.register.models import Algorithm

TASK_AUDITED_FIELDS = (
    "title",
    "explanation",
    "references",
    "applies_from",
    "due_date",
    "owner",
    "status",
    "closed_reason",
)
TASK_EDITABLE_FIELDS = ("owner", "due_date", "status", "closed_reason")


@dataclass(frozen=True)
class TaskSpec:
    """What a source wants to exist as a task."""

    key: str
    title: str
    explanation: str = ""
    references: Sequence[str] = field(default_factory=tuple)
    applies_from: datetime.date | None = None
    due_date: datetime.date | None = None


@dataclass
class SyncResult:
    created: list[ComplianceTask] = field(default_factory=list)
    updated: list[ComplianceTask] = field(default_factory=list)
    closed: list[ComplianceTask] = field(default_factory=list)
    reopened: list[ComplianceTask] = field(default_factory=list)


@transaction.atomic
def tasks_sync(
    *,
    actor: User | None,
    algorithm: Algorithm,
    source: str,
    wanted: Sequence[TaskSpec],
    close_reason: str,
    reason: str = "",
) -> SyncResult:
    """Make the algorithm's tasks from `source` match `wanted`.

    New keys become open tasks (owned by the algorithm's owner); existing tasks keep their owner, status and
    evidence and get the new texts and dates; tasks no longer wanted are closed as "no longer applies" with
    `close_reason`; a closed-as-not-applicable task that is wanted again is reopened.
    """
    result = SyncResult()
    existing = {
        task.source_key: task
        for task in ComplianceTask.objects.select_for_update().filter(algorithm=algorithm, source=source)
    }
    for spec in wanted:
        task = existing.pop(spec.key, None)
        if task is None:
            task = ComplianceTask.objects.create(
                organisation=algorithm.organisation,
                algorithm=algorithm,
                source=source,
                source_key=spec.key,
                title=spec.title[:300],
                explanation=spec.explanation,
                references=list(spec.references),
                applies_from=spec.applies_from,
                due_date=spec.due_date,
                owner=algorithm.owner,
            )
            audit_record(
                actor=actor,
                action="task.create",
                instance=task,
                organisation=algorithm.organisation,
                changes=field_changes({}, snapshot(task, TASK_AUDITED_FIELDS)),
                reason=reason,
            )
            result.created.append(task)
            continue
        before = snapshot(task, TASK_AUDITED_FIELDS)
        task.title, task.explanation, task.references = (
            spec.title[:300],
            spec.explanation,
            list(spec.references),
        )
        task.applies_from = spec.applies_from
        if task.status in OPEN_STATUSES or task.status == TaskStatus.NOT_APPLICABLE:
            task.due_date = spec.due_date
        reopened = task.status == TaskStatus.NOT_APPLICABLE
        if reopened:
            task.status, task.closed_reason = TaskStatus.OPEN, ""
        changes = field_changes(before, snapshot(task, TASK_AUDITED_FIELDS))
        if changes:
            task.save()
            audit_record(
                actor=actor,
                action="task.reopen" if reopened else "task.update",
                instance=task,
                organisation=algorithm.organisation,
                changes=changes,
                reason=reason,
            )
            (result.reopened if reopened else result.updated).append(task)
    for task in existing.values():
        if task.status not in OPEN_STATUSES:
            continue  # done tasks stay done: their evidence still shows what was done
        before = snapshot(task, TASK_AUDITED_FIELDS)
        task.status, task.closed_reason = TaskStatus.NOT_APPLICABLE, close_reason
        task.save()
        audit_record(
            actor=actor,
            action="task.close",
            instance=task,
            organisation=algorithm.organisation,
            changes=field_changes(before, snapshot(task, TASK_AUDITED_FIELDS)),
            reason=reason,
        )
        result.closed.append(task)
    return result


@transaction.atomic
def task_update(
    *, actor: User | None, task: ComplianceTask, data: Mapping[str, Any], reason: str = ""
) -> ComplianceTask:
    unknown = set(data) - set(TASK_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    task = ComplianceTask.objects.select_for_update().select_related("organisation").get(pk=task.pk)
    before = snapshot(task, TASK_AUDITED_FIELDS)
    for name, value in data.items():
        setattr(task, name, value)
    errors: dict[str, list[str]] = {}
    if task.status not in TaskStatus.values:
        errors["status"] = [_("Unknown status.")]
    if (
        task.owner is not None
        and not Membership.objects.filter(user=task.owner, organisation=task.organisation).exists()
    ):
        errors["owner"] = [_("The owner must have a role in this organisation.")]
    if task.status == TaskStatus.NOT_APPLICABLE and not (task.closed_reason or "").strip():
        errors["closed_reason"] = [_("Say why this task no longer applies.")]
    if errors:
        raise ValidationError(errors)
    if task.status in OPEN_STATUSES:
        task.closed_reason = ""
    changes = field_changes(before, snapshot(task, TASK_AUDITED_FIELDS))
    if changes:
        task.save()
        audit_record(
            actor=actor,
            action="task.update",
            instance=task,
            organisation=task.organisation,
            changes=changes,
            reason=reason,
        )
    return task


@transaction.atomic
def evidence_add(
    *,
    actor: User | None,
    task: ComplianceTask,
    title: str,
    url: str = "",
    upload: UploadedFile[Any] | None = None,
    reason: str = "",
) -> TaskEvidence:
    """Add a link or a file as evidence. Files are checked (size, real type) and stored privately."""
    title = title.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the evidence a title.")]
    if bool(url) == bool(upload):
        errors["url"] = [_("Give either a link or a file.")]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = [_("Not a valid web address (it must start with https:// or http://).")]
    if errors:
        raise ValidationError(errors)
    evidence = TaskEvidence(task=task, title=title[:300], added_by=actor)
    if upload is not None:
        data, content_type = checked_upload(upload)
        evidence.kind = EvidenceKind.FILE
        evidence.content_type, evidence.size = content_type, len(data)
        evidence.sha256 = hashlib.sha256(data).hexdigest()
        evidence.file.save(upload.name or "evidence", ContentFile(data), save=False)
    else:
        evidence.kind, evidence.url = EvidenceKind.LINK, url
    evidence.save()
    audit_record(
        actor=actor,
        action="task.evidence_add",
        instance=task,
        organisation=task.organisation,
        changes={
            "evidence": [
                None,
                {
                    "title": evidence.title,
                    "kind": evidence.kind,
                    "url": evidence.url,
                    "sha256": evidence.sha256,
                },
            ]
        },
        reason=reason,
    )
    return evidence
