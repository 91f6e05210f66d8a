"""The AI Act's compliance checks and its live block of section 4, on prepared data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from tests.aiact.test_classification_storage import answers
from tests.register.factories import AlgorithmFactory
from verantwoord.aiact import services
from verantwoord.aiact.models import AlgorithmClassification
from verantwoord.compliance import services as compliance_services
from verantwoord.compliance.choices import OPEN_STATUSES, TaskStatus
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import ComplianceCheck, registered_checks
from verantwoord.policy.live_blocks import LiveContent, registered_live_blocks
from verantwoord.register.choices import AIActRiskClass, RegisterStatus
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db
FAR = datetime.date(2031, 1, 1)  # every obligation applies by then


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The texts of this area's checks and blocks are in the shared catalogue; assert on the English source."""
    with translation.override("en"):
        yield


def _check(key: str) -> ComplianceCheck:
    return next(check for check in registered_checks() if check.key == key)


def _classify(algorithm: Algorithm, scenario: str) -> AlgorithmClassification:
    stored, _sync = services.classification_store(actor=None, algorithm=algorithm, answers=answers(scenario))
    return stored


def _block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    (block,) = [block for block in registered_live_blocks(4) if block.key == "aiact.classification"]
    return block.build(organisation, moment)


def test_checks_pass_on_a_clean_organisation(organisation: Organisation) -> None:
    _classify(AlgorithmFactory(organisation=organisation), "copilot_for_staff")
    today = timezone.localdate()
    assert _check("aiact.not_classified").run(organisation, today).count == 0
    assert _check("aiact.prohibited_in_use").run(organisation, today).count == 0
    # No high-risk system: the obligations check does not apply.
    assert _check("aiact.high_risk_obligations_open").run(organisation, today).not_applicable


def test_not_classified_finds_the_unclassified_algorithms(organisation: Organisation) -> None:
    AlgorithmFactory(organisation=organisation, name="B in gebruik")
    AlgorithmFactory(
        organisation=organisation, name="A in ontwikkeling", status=RegisterStatus.IN_DEVELOPMENT
    )
    AlgorithmFactory(organisation=organisation, status=RegisterStatus.OUT_OF_USE)
    AlgorithmFactory(organisation=organisation, archived_at=timezone.now())
    _classify(AlgorithmFactory(organisation=organisation), "copilot_for_staff")
    AlgorithmFactory()  # another organisation

    outcome = _check("aiact.not_classified").run(organisation, timezone.localdate())

    assert outcome.count == 2
    assert [item.label for item in outcome.items] == ["A in ontwikkeling", "B in gebruik"]
    assert outcome.items[0].url.endswith("/ai-verordening")


def test_prohibited_in_use_finds_the_algorithm(organisation: Organisation) -> None:
    in_use = AlgorithmFactory(organisation=organisation, name="Emotieherkenning")
    _classify(in_use, "emotion_recognition_school")
    stopped = AlgorithmFactory(organisation=organisation, status=RegisterStatus.OUT_OF_USE)
    _classify(stopped, "emotion_recognition_school")
    assert Algorithm.objects.filter(ai_act_risk_class=AIActRiskClass.PROHIBITED).count() == 2

    outcome = _check("aiact.prohibited_in_use").run(organisation, timezone.localdate())

    assert outcome.count == 1
    assert [item.label for item in outcome.items] == ["Emotieherkenning"]


def test_high_risk_obligations_open_until_done(organisation: Organisation) -> None:
    algorithm = AlgorithmFactory(organisation=organisation, name="Cv-selectie")
    _classify(algorithm, "cv_screening")
    check = _check("aiact.high_risk_obligations_open")
    tasks = ComplianceTask.objects.filter(algorithm=algorithm, source="aiact", status__in=OPEN_STATUSES)
    assert tasks.count() > 1

    outcome = check.run(organisation, FAR)
    assert outcome.count == tasks.count()
    assert all(item.label.startswith("Cv-selectie: ") for item in outcome.items)

    first_date = min(task.applies_from for task in tasks if task.applies_from)
    before = check.run(organisation, first_date - datetime.timedelta(days=1))
    assert before.count == 0 and not before.not_applicable

    done = tasks.first()
    assert done is not None
    compliance_services.task_update(actor=None, task=done, data={"status": TaskStatus.DONE})
    assert check.run(organisation, FAR).count == outcome.count - 1


def test_block_counts_equal_the_database_and_follow_the_moment(organisation: Organisation) -> None:
    first = AlgorithmFactory(organisation=organisation, name="Cv-selectie")
    _classify(first, "cv_screening")
    second = AlgorithmFactory(organisation=organisation, name="Copilot")
    before = timezone.now()
    _classify(second, "copilot_for_staff")
    AlgorithmFactory(organisation=organisation)  # not classified

    now = _block(organisation, timezone.now())
    (counts, detail) = now.tables
    rows = {row[0]: int(row[1]) for row in counts.rows}
    expected = {
        str(AIActRiskClass(value).label): count
        for value, count in (
            (value, Algorithm.objects.filter(organisation=organisation, ai_act_risk_class=value).count())
            for value in AIActRiskClass.values
        )
        if count
    }
    assert rows == {**expected, "Not yet classified": 1, "Total": 3}
    assert detail.rows[0][:2] == ["Cv-selectie", "High-risk"]
    stored = AlgorithmClassification.objects.get(algorithm=first)
    assert detail.rows[0][3] == str(len(stored.result["obligations"]))

    then = {row[0]: int(row[1]) for row in _block(organisation, before).tables[0].rows}
    assert then == {"High-risk": 1, "Not yet classified": 1, "Total": 2}
