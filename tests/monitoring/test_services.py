"""Check runs over the real decision log: stored runs, the log entry, findings, notifications, the job."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from fairlearn.metrics import MetricFrame, selection_rate

from tests.monitoring.conftest import CONFIG, decision_records
from verantwoord.core.models import AuditRecord, User
from verantwoord.decisionlog import selectors as log_selectors
from verantwoord.decisionlog import services as log_services
from verantwoord.decisionlog.models import EntryKind, LogEntry
from verantwoord.decisionlog.verification import log_verify
from verantwoord.monitoring import services
from verantwoord.monitoring.models import CheckRun, Finding, FindingStatus, MonitoringConfig, RunStatus
from verantwoord.monitoring.selectors import MissingLegalBasisError, check_input
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_check_finds_the_disparity_stores_the_run_and_opens_one_finding(
    logged: None, config: MonitoringConfig, owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.check_run(config=config, trigger="test")
    assert run.status == RunStatus.BREACH and run.decisions == 3_000 and run.config_version == 1
    nationality = run.results["nationaliteit"]
    assert nationality["suppressed"] == ["statenloos"]  # a handful of people: never shown
    assert "statenloos" not in str(run.results["nationaliteit|geslacht"]["groups"])
    flagged = {(item["group"], item["metric"]) for item in nationality["disparities"] if item.get("flagged")}
    assert ("buiten EU", "selection_rate") in flagged
    assert ("EU", "selection_rate") not in flagged
    finding = Finding.objects.get(attribute="nationaliteit", metric="selection_rate", group="buiten EU")
    assert (
        finding.owner == owner and finding.status == FindingStatus.OPEN and finding.reference == "Nederlands"
    )
    low, high = finding.value_ci
    assert low < finding.value < high and finding.ratio > 2
    # The owner and the AI team hear of it, once.
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"eigenaar@example.org", "ai-team@example.org"}
    assert "buiten EU" in mail.outbox[0].body


def test_the_run_summary_is_an_entry_of_the_tamper_evident_log(
    logged: None, config: MonitoringConfig
) -> None:
    run = services.check_run(config=config, trigger="test")
    record = AuditRecord.objects.get(action="monitoring.check_run", object_id=str(run.pk))
    entry = LogEntry.objects.get(audit_record_id=record.pk)
    assert entry.kind == EntryKind.GOVERNANCE
    assert log_selectors.entry_fields(entry)["action"] == "monitoring.check_run"
    assert record.changes["decisions"] == 3_000 and record.changes["flagged"]
    assert all(item["group"] != "statenloos" for item in record.changes["flagged"])
    assert log_verify(log=log_services.decision_log_of(config.organisation)).intact


def test_numbers_equal_fairlearn_on_the_same_logged_decisions(logged: None, config: MonitoringConfig) -> None:
    run = services.check_run(config=config, trigger="test")
    start, end = run.window_start, run.window_end
    data = check_input(config, start, end)
    codes, labels = data.groups["nationaliteit"]
    frame = MetricFrame(
        metrics=selection_rate,
        y_true=data.y_pred,
        y_pred=data.y_pred,
        sensitive_features=np.array(labels)[codes],
    )
    for group, row in run.results["nationaliteit"]["groups"].items():
        assert row["selection_rate"] == pytest.approx(frame.by_group[group], abs=1e-9)
    # Precision from the later outcome records: the share of investigations that led to a recovery.
    assert data.with_outcome > 100
    known = data.y_true >= 0
    assert run.results["nationaliteit"]["overall"]["precision"] == pytest.approx(
        float((data.y_true[known] == 1).sum() / (data.y_pred[known] == 1).sum()), abs=1e-9
    )


def test_a_repeated_breach_updates_the_open_finding(logged: None, config: MonitoringConfig) -> None:
    first = services.check_run(config=config, trigger="test")
    second = services.check_run(config=config, trigger="test")
    finding = Finding.objects.get(attribute="nationaliteit", metric="selection_rate", group="buiten EU")
    assert finding.occurrences == 2 and finding.first_run == first and finding.last_run == second
    assert (
        Finding.objects.filter(group="buiten EU", metric="selection_rate", attribute="nationaliteit").count()
        == 1
    )


def test_a_closed_finding_is_followed_by_a_new_one(
    logged: None, config: MonitoringConfig, beheerder: User
) -> None:
    services.check_run(config=config, trigger="test")
    finding = Finding.objects.get(attribute="nationaliteit", metric="selection_rate", group="buiten EU")
    services.finding_status_change(actor=beheerder, finding=finding, status=FindingStatus.INVESTIGATING)
    with pytest.raises(ValidationError):
        services.finding_status_change(actor=beheerder, finding=finding, status=FindingStatus.OPEN)
    services.finding_status_change(
        actor=beheerder, finding=finding, status=FindingStatus.RESOLVED, note="Drempel aangepast"
    )
    services.check_run(config=config, trigger="test")
    assert (
        Finding.objects.filter(group="buiten EU", metric="selection_rate", attribute="nationaliteit").count()
        == 2
    )


def test_no_legal_basis_no_reading_of_group_attributes(
    logged: None, config: MonitoringConfig, beheerder: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services.config_save(actor=beheerder, algorithm=config.algorithm, values={"legal_basis": " "})
    assert "legal_basis" in error.value.message_dict
    MonitoringConfig.objects.filter(pk=config.pk).update(legal_basis="")
    config.refresh_from_db()
    with pytest.raises(MissingLegalBasisError):
        services.check_run(config=config, trigger="test")
    assert not CheckRun.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"group_attributes": []}, "group_attributes"),
        ({"metrics": ["recall"]}, "metrics"),
        ({"intersections": [["nationaliteit", "wijk"]]}, "intersections"),
        ({"ratio_threshold": 1.5}, "ratio_threshold"),
        ({"prediction_source": "score", "score_threshold": None}, "score_threshold"),
        ({"truth_positive": [], "truth_negative": []}, "truth_positive"),
    ],
)
def test_bad_configurations_are_refused(
    config: MonitoringConfig, beheerder: User, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.config_save(actor=beheerder, algorithm=config.algorithm, values=values)
    assert field in error.value.message_dict
    config.refresh_from_db()
    assert config.version == 1


def test_a_change_raises_the_version_that_runs_record(
    logged: None, config: MonitoringConfig, beheerder: User
) -> None:
    changed = services.config_save(actor=beheerder, algorithm=config.algorithm, values={"min_group_size": 50})
    assert changed.version == 2
    unchanged = services.config_save(
        actor=beheerder, algorithm=config.algorithm, values={"min_group_size": 50}
    )
    assert unchanged.version == 2
    run = services.check_run(config=changed, trigger="test")
    assert run.config_version == 2 and run.config_settings["min_group_size"] == 50


def test_score_and_threshold_as_the_prediction(
    logged: None, config: MonitoringConfig, beheerder: User
) -> None:
    config = services.config_save(
        actor=beheerder,
        algorithm=config.algorithm,
        values={"prediction_source": "score", "score_threshold": 0.7},
    )
    run = services.check_run(config=config, trigger="test")
    by_decision = services.config_save(
        actor=beheerder, algorithm=config.algorithm, values={"prediction_source": "decision"}
    )
    other = services.check_run(config=by_decision, trigger="test")
    # The fixture's scores are ≥ 0.7 exactly when the decision is an investigation.
    assert run.results["nationaliteit"]["groups"] == other.results["nationaliteit"]["groups"]


def test_the_window_leaves_older_decisions_out(
    append: Callable[[list[dict[str, Any]]], None], config: MonitoringConfig, beheerder: User
) -> None:
    append(decision_records(400, days=20, prefix="NEW") + decision_records(300, seed=2, days=0, prefix="OLD"))
    LogEntry.objects.filter(decision_id__startswith="OLD").update(
        decided_at=timezone.now() - datetime.timedelta(days=200)
    )
    run = services.check_run(config=config, trigger="test")
    assert run.decisions == 400


def test_an_empty_window_is_recorded_as_no_data(config: MonitoringConfig) -> None:
    run = services.check_run(config=config, trigger="test")
    assert run.status == RunStatus.NO_DATA and run.decisions == 0
    assert not Finding.objects.exists()


def test_the_worker_job_runs_due_checks_once_a_day(logged: None, config: MonitoringConfig) -> None:
    assert "Risicomodel bijstand" in services.checks_run_due()
    assert services.checks_run_due() == "no checks due"
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert "Risicomodel bijstand" in services.checks_run_due(now=later)
    assert CheckRun.objects.filter(trigger="schedule").count() == 2
    MonitoringConfig.objects.update(enabled=False)
    assert services.checks_run_due(now=later + datetime.timedelta(days=2)) == "no checks due"


def test_algorithm_of_another_organisation_is_not_mixed_in(
    logged: None, config: MonitoringConfig, other_organisation_algorithm: Algorithm
) -> None:
    run = services.check_run(config=config, trigger="test")
    assert run.decisions == 3_000


@pytest.fixture
def other_organisation_algorithm(member_of: Callable[..., User]) -> Algorithm:
    from tests.register.factories import published_algorithm
    from verantwoord.core.models import Organisation
    from verantwoord.decisionlog import services as log_services

    other = Organisation.objects.create(name="Gemeente Anders", slug="anders")
    algorithm = published_algorithm(other, name="Ander model")
    records = decision_records(200, seed=9, prefix="X")
    log_services.decisions_append(
        organisation=other, algorithm=algorithm, records=list(enumerate(records, 1)), source="test"
    )
    return algorithm


def test_configuration_defaults(config: MonitoringConfig) -> None:
    assert (
        config.min_group_size == 10 and config.ratio_threshold == 0.8 and config.difference_threshold == 0.05
    )
    assert config.window == "rolling-90"
    assert CONFIG["metrics"] == config.metrics


def test_window_bounds() -> None:
    from zoneinfo import ZoneInfo

    from verantwoord.monitoring.selectors import window_bounds

    now = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=datetime.UTC)
    assert window_bounds("rolling-90", now) == (now - datetime.timedelta(days=90), now)
    assert window_bounds("rolling-30", now) == (now - datetime.timedelta(days=30), now)
    start, end = window_bounds("month", now)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert start == datetime.datetime(2026, 2, 1, tzinfo=amsterdam)
    assert end == datetime.datetime(2026, 3, 1, tzinfo=amsterdam)
    january = window_bounds("month", datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC))
    assert january[0] == datetime.datetime(2025, 12, 1, tzinfo=amsterdam)


def test_the_latest_outcome_of_a_decision_counts(
    append: Callable[[list[dict[str, Any]]], None], config: MonitoringConfig
) -> None:
    records = decision_records(200, seed=3)
    decision = next(record for record in records if record["decision"] == "onderzoek")
    later = datetime.datetime.fromisoformat(decision["decided_at"]) + datetime.timedelta(hours=2)
    corrections = [
        {
            "decision_id": f"{decision['decision_id']}/correctie-{number}",
            "decided_at": (later + datetime.timedelta(minutes=number)).isoformat(),
            "refers_to": decision["decision_id"],
            "fact": "correction",
            "decision": outcome,
        }
        for number, outcome in enumerate(["geen onrechtmatigheid", "terugvordering"])
    ]
    append(records + corrections)
    run = services.check_run(config=config, trigger="test")
    data = check_input(config, run.window_start, run.window_end)
    position = data_position(config, decision["decision_id"])
    assert data.y_true is not None and data.y_true[position] == 1


def data_position(config: MonitoringConfig, decision_id: str) -> int:
    from verantwoord.decisionlog.models import LogEntry as Entry

    index = Entry.objects.get(algorithm=config.algorithm, decision_id=decision_id).index
    columns = log_selectors.group_attribute_columns(algorithm=config.algorithm)
    return columns.indexes.index(index)
