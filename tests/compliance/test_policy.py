"""The compliance tasks' check and live block of section 8, on prepared data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from tests.register.factories import AlgorithmFactory
from verantwoord.compliance import services
from verantwoord.compliance.choices import TaskStatus
from verantwoord.compliance.models import ComplianceTask
from verantwoord.compliance.services import TaskSpec
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import registered_checks
from verantwoord.policy.live_blocks import LiveContent, registered_live_blocks
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The texts of this area's checks and blocks are in the shared catalogue; assert on the English source."""
    with translation.override("en"):
        yield


def _tasks(algorithm: Algorithm, source: str, *due_dates: datetime.date | None) -> list[ComplianceTask]:
    services.tasks_sync(
        actor=None,
        algorithm=algorithm,
        source=source,
        wanted=[
            TaskSpec(key=f"{source}-{n}", title=f"Taak {n}", explanation="", references=(), due_date=due)
            for n, due in enumerate(due_dates, start=1)
        ],
        close_reason="test",
    )
    return list(ComplianceTask.objects.filter(algorithm=algorithm, source=source).order_by("source_key"))


def _block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    (block,) = [block for block in registered_live_blocks(8) if block.key == "compliance.tasks"]
    return block.build(organisation, moment)


def test_overdue_passes_on_a_clean_organisation(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    _tasks(algorithm, "aiact", TODAY, TODAY + datetime.timedelta(days=1), None)
    (check,) = [check for check in registered_checks() if check.key == "compliance.tasks_overdue"]
    assert check.run(organisation, TODAY).count == 0


def test_overdue_finds_exactly_the_open_tasks_past_due(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation, name="Parkeren")
    yesterday = TODAY - datetime.timedelta(days=1)
    late, in_progress, done, not_yet = _tasks(algorithm, "aiact", yesterday, yesterday, yesterday, TODAY)
    services.task_update(actor=None, task=in_progress, data={"status": TaskStatus.IN_PROGRESS})
    services.task_update(actor=None, task=done, data={"status": TaskStatus.DONE})
    _tasks(AlgorithmFactory(), "aiact", yesterday)  # another organisation
    (check,) = [check for check in registered_checks() if check.key == "compliance.tasks_overdue"]

    outcome = check.run(organisation, TODAY)

    assert outcome.count == 2
    assert [item.label for item in outcome.items] == [
        "Parkeren: Taak 1 (due May 31, 2026)",
        "Parkeren: Taak 2 (due May 31, 2026)",
    ]
    assert outcome.items[0].url.endswith(f"/beheer/{organisation.slug}/taken/{late.pk}")
    assert not_yet.pk


def test_block_counts_per_source_as_of_a_moment(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    past = timezone.localdate() - datetime.timedelta(days=3)
    ai_act = _tasks(algorithm, "aiact", past, None)
    _tasks(algorithm, "assessment-7", None)
    before = timezone.now()
    services.task_update(actor=None, task=ai_act[0], data={"status": TaskStatus.DONE})
    _tasks(algorithm, "review:3", None)

    def rows(content: LiveContent) -> dict[str, list[int]]:
        (table,) = content.tables
        return {row[0]: [int(n) for n in row[1:]] for row in table.rows}

    assert rows(_block(organisation, before)) == {
        "AI Act obligations": [2, 1, 0, 0],
        "Action points of assessments": [1, 0, 0, 0],
        "Total": [3, 1, 0, 0],
    }
    now = rows(_block(organisation, timezone.now()))
    assert now["AI Act obligations"] == [1, 0, 1, 0]
    assert now["Total"][0] == ComplianceTask.objects.filter(status=TaskStatus.OPEN).count() == 3
    assert _block(Organisation.objects.create(name="Leeg", slug="leeg"), timezone.now()).tables == []
