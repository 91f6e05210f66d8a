"""Bulk uploads (`decisions_append_batches`, the path of `verantwoord log append`): batches prepared in a
forked child while this process appends them, outside any transaction of the caller, on the real database;
the same reports and the same log as batches appended one after another in line."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from tests.decisionlog.conftest import record
from tests.register.factories import published_algorithm
from verantwoord.core.models import Organisation
from verantwoord.decisionlog import services
from verantwoord.decisionlog.models import LogEntry
from verantwoord.decisionlog.records import RecordError
from verantwoord.decisionlog.verification import log_verify

pytestmark = pytest.mark.django_db(transaction=True)

Batch = tuple[list[tuple[int, object]], list[RecordError]]


def batches() -> list[Batch]:
    """Three batches: clean; one with a bad record, a line that was not JSON and a repeated decision;
    one that repeats an earlier batch's decision and adds a later fact about it."""
    first = [(line, record(line)) for line in range(1, 201)]
    second: list[tuple[int, object]] = [(line, record(line)) for line in range(201, 301)]
    second[5] = (206, record(206, decided_at="gisteren"))
    second.append((302, record(250)))
    third: list[tuple[int, object]] = [
        (303, record(7)),
        (304, {"decision_id": "BIJ-00007-uitkomst", "decided_at": "2026-04-01T10:00:00Z",
               "refers_to": "BIJ-00007", "fact": "outcome"}),
    ]  # fmt: skip
    return [(first, []), (second, [RecordError(301, "", "not JSON")]), (third, [])]


def run(organisation: Organisation, name: str, **options: Any) -> list[dict[str, Any]]:
    algorithm = published_algorithm(organisation, name=name)
    reports = services.decisions_append_batches(
        organisation=organisation, algorithm=algorithm, batches=batches(), source="cli", **options
    )
    return [report.as_json() for report in reports]


def relative(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reports with every index counted from the first batch's first entry."""
    start = reports[0]["firstIndex"]
    result = []
    for report in reports:
        report = {k: v for k, v in report.items() if k not in ("firstIndex", "lastIndex", "treeSize")}
        report["duplicates"] = [
            {**item, "index": None if item["index"] is None else item["index"] - start}
            for item in report["duplicates"]
        ]
        result.append(report)
    return result


def test_batches_prepared_in_a_child_are_appended_as_in_line(
    organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = run(organisation, "Bijstand, in bulk")
    assert [report["accepted"] for report in forked] == [200, 99, 1]
    assert forked[1]["errors"] == [
        {"line": 206, "field": "decided_at", "reason": forked[1]["errors"][0]["reason"]},
        {"line": 301, "field": "", "reason": "not JSON"},
    ]
    assert forked[1]["duplicates"] == [{"line": 302, "decisionId": "BIJ-00250", "index": None}]
    assert forked[2]["duplicates"][0]["line"] == 303 and forked[2]["duplicates"][0]["index"] is not None
    later = LogEntry.objects.get(decision_id="BIJ-00007-uitkomst")
    assert later.refers_to_index == forked[2]["duplicates"][0]["index"]
    assert forked[0]["lastIndex"] + 1 == forked[1]["firstIndex"]

    monkeypatch.setattr(services, "can_fork", lambda: False)
    in_line = run(organisation, "Bijstand, in line")
    assert relative(in_line) == relative(forked)
    counts = [
        LogEntry.objects.filter(algorithm__name=name).count()
        for name in ("Bijstand, in bulk", "Bijstand, in line")
    ]
    assert counts == [300, 300]
    log = services.decision_log_of(organisation)
    assert log_verify(log=log).as_json()["errors"] == []


def test_an_atomic_batch_refused_in_bulk_leaves_the_others(organisation: Organisation) -> None:
    reports = run(organisation, "Bijstand, atomair", atomic=True)
    assert [report["accepted"] for report in reports] == [200, 0, 1]  # a duplicate is not an error
    assert reports[1]["rejected"] == 2 and reports[1]["treeSize"] == reports[0]["treeSize"]


def test_inside_a_transaction_of_the_caller_everything_stays_in_line(organisation: Organisation) -> None:
    algorithm = published_algorithm(organisation, name="Bijstand, in een transactie")
    with transaction.atomic():
        reports = services.decisions_append_batches(
            organisation=organisation, algorithm=algorithm, batches=batches()[:1], source="cli"
        )
        assert [report.accepted for report in reports] == [200]
        transaction.set_rollback(True)
    assert not LogEntry.objects.filter(algorithm=algorithm).exists()
    assert not connection.in_atomic_block
