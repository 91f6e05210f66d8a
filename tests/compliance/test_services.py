"""Compliance tasks: sync from a source keeps evidence and owners, closes what no longer applies, audits all."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.register.factories import AlgorithmFactory
from verantwoord.compliance import selectors, services
from verantwoord.compliance.choices import TaskStatus
from verantwoord.compliance.files import MAX_UPLOAD_BYTES, sniff_content_type
from verantwoord.compliance.models import ComplianceTask
from verantwoord.compliance.services import TaskSpec
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def specs(*keys: str, due: datetime.date | None = None) -> list[TaskSpec]:
    return [TaskSpec(key=key, title=f"Taak {key}", references=["art. 26(2)"], due_date=due) for key in keys]


def test_sync_creates_updates_and_closes(organisation: Organisation, beheerder: User) -> None:
    algorithm = AlgorithmFactory(organisation=organisation, owner=beheerder)
    first = services.tasks_sync(
        actor=None, algorithm=algorithm, source="aiact", wanted=specs("a", "b"), close_reason="x"
    )
    assert [task.source_key for task in first.created] == ["a", "b"]
    assert all(task.owner == beheerder for task in first.created)
    task_a = first.created[0]
    services.task_update(actor=beheerder, task=task_a, data={"status": TaskStatus.DONE})
    services.evidence_add(
        actor=beheerder, task=first.created[1], title="Instructie", url="https://intranet.example/instructie"
    )

    second = services.tasks_sync(
        actor=None,
        algorithm=algorithm,
        source="aiact",
        wanted=specs("a", "c", due=datetime.date(2027, 12, 2)),
        close_reason="Geldt niet meer na herclassificatie (versie 2)",
    )
    assert [task.source_key for task in second.created] == ["c"]
    assert [task.source_key for task in second.closed] == ["b"]
    closed = ComplianceTask.objects.get(source_key="b")
    assert closed.status == TaskStatus.NOT_APPLICABLE
    assert closed.closed_reason.startswith("Geldt niet meer")
    assert closed.evidence.count() == 1  # evidence is never lost
    assert ComplianceTask.objects.get(source_key="a").status == TaskStatus.DONE

    third = services.tasks_sync(
        actor=None, algorithm=algorithm, source="aiact", wanted=specs("a", "b", "c"), close_reason="x"
    )
    assert [task.source_key for task in third.reopened] == ["b"]
    assert ComplianceTask.objects.get(source_key="b").status == TaskStatus.OPEN
    actions = set(
        AuditRecord.objects.filter(object_type="compliance.compliancetask").values_list("action", flat=True)
    )
    assert {"task.create", "task.update", "task.close", "task.reopen", "task.evidence_add"} <= actions


def test_sync_is_idempotent(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    services.tasks_sync(actor=None, algorithm=algorithm, source="aiact", wanted=specs("a"), close_reason="x")
    records = AuditRecord.objects.count()
    again = services.tasks_sync(
        actor=None, algorithm=algorithm, source="aiact", wanted=specs("a"), close_reason="x"
    )
    assert (again.created, again.updated, again.closed) == ([], [], [])
    assert AuditRecord.objects.count() == records


def test_sources_do_not_touch_each_other(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    services.tasks_sync(actor=None, algorithm=algorithm, source="aiact", wanted=specs("a"), close_reason="x")
    services.tasks_sync(actor=None, algorithm=algorithm, source="assessment:1", wanted=[], close_reason="x")
    assert ComplianceTask.objects.get().status == TaskStatus.OPEN


def test_task_update_rules(
    organisation: Organisation, beheerder: User, member_of: Callable[..., User]
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    [task] = services.tasks_sync(
        actor=None, algorithm=algorithm, source="s", wanted=specs("a"), close_reason="x"
    ).created
    with pytest.raises(ValidationError) as caught:
        services.task_update(
            actor=beheerder,
            task=task,
            data={
                "status": TaskStatus.NOT_APPLICABLE,
                "owner": User.objects.create(username="buiten", email="b@x.example"),
            },
        )
    assert set(caught.value.message_dict) == {"closed_reason", "owner"}
    staff = member_of(organisation, Role.STAFF)
    task = services.task_update(
        actor=beheerder, task=task, data={"owner": staff, "due_date": datetime.date(2026, 1, 1)}
    )
    assert list(selectors.overdue_tasks(organisation=organisation, today=datetime.date(2026, 2, 1))) == [task]
    with pytest.raises(ValidationError):
        services.task_update(actor=beheerder, task=task, data={"title": "x"})


def test_evidence_files_are_checked_and_stored_privately(organisation: Organisation, beheerder: User) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    [task] = services.tasks_sync(
        actor=None, algorithm=algorithm, source="s", wanted=specs("a"), close_reason="x"
    ).created
    evidence = services.evidence_add(
        actor=beheerder,
        task=task,
        title="Logboekbeleid",
        upload=SimpleUploadedFile("beleid.pdf", PDF, "text/html"),
    )
    assert evidence.content_type == "application/pdf"  # sniffed, not the browser's claim
    assert Path(evidence.file.path).read_bytes() == PDF
    assert "/evidence/" in evidence.file.path
    with pytest.raises(ValidationError, match=r"niet toegestaan|not allowed"):
        services.evidence_add(
            actor=beheerder,
            task=task,
            title="x",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf"),
        )
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=beheerder,
            task=task,
            title="x",
            upload=SimpleUploadedFile("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1)),
        )
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(actor=beheerder, task=task, title="", url="")
    assert set(caught.value.message_dict) == {"title", "url"}


def test_sniffing() -> None:
    assert sniff_content_type(PDF) == "application/pdf"
    assert sniff_content_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_content_type("gewone tekst, ë".encode()) == "text/plain"
    assert sniff_content_type(b"\x00\x01\x02") is None
    assert sniff_content_type(b"PK\x03\x04 not really a zip") is None
