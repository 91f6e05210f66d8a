"""The decision log's compliance check and its live block of section 8, on prepared data."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.decisionlog.conftest import record
from verantwoord.core.models import Organisation
from verantwoord.decisionlog import services
from verantwoord.decisionlog.models import Checkpoint, DecisionLog, EntryKind, LogEntry, RetentionPolicy
from verantwoord.decisionlog.services import RETENTION_MINIMUM_DAYS
from verantwoord.policy.checklist import ComplianceCheck, registered_checks
from verantwoord.policy.live_blocks import LiveContent, registered_live_blocks
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _check() -> ComplianceCheck:
    return next(check for check in registered_checks() if check.key == "decisionlog.checkpoint_overdue")


def _block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    (block,) = [block for block in registered_live_blocks(8) if block.key == "decisionlog.setup"]
    return block.build(organisation, moment)


def test_checkpoint_check_passes_when_the_log_is_sealed(
    organisation: Organisation, log: DecisionLog, append: Callable[..., services.AppendReport]
) -> None:
    append(record(1), record(2))
    services.checkpoint_create(log=log)
    Checkpoint.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    # Old, but it covers everything: nothing waits for a checkpoint.
    outcome = _check().run(organisation, timezone.localdate())
    assert outcome.count == 0 and not outcome.not_applicable


def test_checkpoint_check_finds_entries_waiting_more_than_a_day(
    organisation: Organisation, log: DecisionLog, append: Callable[..., services.AppendReport]
) -> None:
    append(record(1))
    services.checkpoint_create(log=log)
    append(record(2), record(3))
    check = _check()
    # A recent checkpoint: the worker runs and will seal the new entries.
    assert check.run(organisation, timezone.localdate()).count == 0

    signed = timezone.now() - datetime.timedelta(hours=25)
    Checkpoint.objects.update(created_at=signed)
    outcome = check.run(organisation, timezone.localdate())

    log.refresh_from_db()
    waiting = log.size - Checkpoint.objects.get().size
    assert outcome.count == 1
    assert outcome.items[0].label == (
        f"{waiting} entries after the last checkpoint, signed on {date_format(timezone.localtime(signed).date(), 'DATE_FORMAT')}"
    )
    assert outcome.items[0].url.endswith(f"/beheer/{organisation.slug}/beslissingen/controlepunten")


def test_checkpoint_check_without_any_checkpoint(
    organisation: Organisation, log: DecisionLog, append: Callable[..., services.AppendReport]
) -> None:
    check = _check()
    append(record(1))
    assert check.run(organisation, timezone.localdate()).count == 0  # the log is new
    assert check.run(organisation, timezone.localdate() + datetime.timedelta(days=2)).count == 1
    empty = Organisation.objects.create(name="Gemeente Leeg", slug="leeg")
    assert check.run(empty, timezone.localdate()).not_applicable


def test_setup_block_equals_the_database(
    organisation: Organisation,
    log: DecisionLog,
    algorithm: Algorithm,
    append: Callable[..., services.AppendReport],
) -> None:
    before = timezone.now()
    append(record(1), record(2), record(3))
    services.checkpoint_create(log=log)
    RetentionPolicy.objects.create(algorithm=algorithm, retention_days=400)

    content = _block(organisation, timezone.now())

    (table,) = content.tables
    decisions = LogEntry.objects.filter(algorithm=algorithm, kind=EntryKind.DECISION).count()
    assert decisions == 3
    assert table.rows == [[algorithm.name, str(decisions), "0", "400"]]
    log.refresh_from_db()
    assert any(f"/register/{organisation.slug}/logboek" in paragraph for paragraph in content.paragraphs)
    assert any(f" {log.size} " in paragraph for paragraph in content.paragraphs)

    earlier = _block(organisation, before)
    assert earlier.tables == []
    RetentionPolicy.objects.all().delete()
    assert _block(organisation, timezone.now()).tables[0].rows[0][3] == str(RETENTION_MINIMUM_DAYS)
    assert _block(Organisation.objects.create(name="Gemeente Leeg", slug="leeg"), timezone.now()).paragraphs
