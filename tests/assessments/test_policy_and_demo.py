"""What assessments add to the AI policy (compliance checks, live blocks of sections 3 and 4), the periodic job,
and the demo: assessments in several states, loaded idempotently."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.aiact.test_classification_storage import answers
from tests.assessments.factories import decided_dpia, filled
from tests.core.factories import OrganisationFactory
from tests.register.factories import complete_algorithm_data
from verantwoord.aiact import services as aiact_services
from verantwoord.assessments import services
from verantwoord.assessments.models import Assessment, Decision, State
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.core.jobs import registered_jobs
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import registered_checks
from verantwoord.policy.live_blocks import registered_live_blocks
from verantwoord.register import services as register_services
from verantwoord.register.choices import RegisterStatus
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _check(key: str):  # type: ignore[no-untyped-def]
    return next(check for check in registered_checks() if check.key == key)


def _block(key: str):  # type: ignore[no-untyped-def]
    return next(block for block in registered_live_blocks() if block.key == key)


@pytest.fixture
def high_risk() -> Algorithm:
    return high_risk_algorithm(OrganisationFactory())


def high_risk_algorithm(organisation: Organisation) -> Algorithm:
    algorithm = register_services.algorithm_create(
        actor=None,
        organisation=organisation,
        data=complete_algorithm_data(status=RegisterStatus.IN_DEVELOPMENT, personal_data=True),
    )
    aiact_services.classification_store(
        actor=None, algorithm=algorithm, answers=answers("social_assistance_fraud_risk_model")
    )
    algorithm.refresh_from_db()
    return algorithm


def test_high_risk_without_fria_and_personal_data_without_dpia(high_risk: Algorithm) -> None:
    organisation, today = high_risk.organisation, timezone.localdate()
    fria, dpia = (
        _check("assessments.high_risk_without_fria"),
        _check("assessments.personal_data_without_dpia"),
    )
    assert fria.run(organisation, today).count == 1 and dpia.run(organisation, today).count == 1
    assert fria.run(organisation, today).items[0].label == high_risk.name
    iama = filled(high_risk, "iama", {"legal_basis": "yes"})
    services.assessment_submit(actor=None, assessment=iama)
    services.assessment_advise(actor=None, assessment=iama, outcome="positive", text="Goed.")
    services.assessment_decide(actor=None, assessment=iama, decision=Decision.APPROVED, note="Akkoord.")
    decided_dpia(high_risk)
    assert fria.run(organisation, today).count == 0 and dpia.run(organisation, today).count == 0
    assert fria.run(OrganisationFactory(), today).not_applicable


def test_the_missing_assessment_checks_ask_no_more_of_the_database_per_approved_algorithm(
    high_risk: Algorithm,
) -> None:
    organisation, today = high_risk.organisation, timezone.localdate()
    check = _check("assessments.personal_data_without_dpia")
    decided_dpia(high_risk)
    with CaptureQueriesContext(connection) as one:
        assert check.run(organisation, today).count == 0
    for _number in range(3):
        decided_dpia(high_risk_algorithm(organisation))
    with CaptureQueriesContext(connection) as four:
        assert check.run(organisation, today).count == 0
    assert len(four.captured_queries) == len(one.captured_queries)

    rejected = high_risk_algorithm(organisation)
    decided_dpia(rejected, decision=Decision.REJECTED)
    outcome = check.run(organisation, today)
    assert outcome.count == 1 and outcome.items[0].label == rejected.name


def test_overdue_reviews_are_a_compliance_item(high_risk: Algorithm) -> None:
    check = _check("assessments.reviews_overdue")
    decided = decided_dpia(high_risk)
    assert decided.review_date is not None
    assert check.run(high_risk.organisation, decided.review_date - datetime.timedelta(days=1)).count == 0
    assert check.run(high_risk.organisation, decided.review_date).count == 1


def test_live_blocks_come_from_the_workflow_table_and_the_policy() -> None:
    organisation = OrganisationFactory()
    moment = timezone.now()
    workflow = _block("assessments.workflow").build(organisation, moment)
    assert _block("assessments.workflow").section == 3
    steps = [row[1] for row in workflow.tables[0].rows]
    assert {"Submit for review", "Give advice", "Decide", "Return for changes"} <= set(steps)
    advise_row = next(row for row in workflow.tables[0].rows if row[1] == "Give advice")
    assert "Privacy officer (FG)" in advise_row[3] and "Ethics committee member" in advise_row[3]
    block = _block("assessments.requirements")
    assert block.section == 4
    before = block.build(organisation, moment)
    assert not any("impactful" in row[0] for row in before.tables[0].rows)
    services.policy_update(
        actor=None, organisation=organisation, data={"iama_for_impactful": True, "review_months": 12}
    )
    after = block.build(organisation, moment)
    assert any(row[0] == "Every impactful algorithm" for row in after.tables[0].rows)
    assert "12 months" in after.paragraphs[0]


def test_the_review_reminder_job_is_registered() -> None:
    assert "assessments.review_reminders" in {job.name for job in registered_jobs()}


def test_demo_has_assessments_in_several_states(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")
    summary = demo_load()
    assert summary.areas["assessments"]["assessments"] >= 5
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    states = set(Assessment.objects.filter(organisation=organisation).values_list("state", flat=True))
    assert {State.DRAFT, State.SUBMITTED, State.RETURNED, State.DECIDED} <= states
    assert Assessment.objects.filter(organisation=organisation, summary_published_at__isnull=False).exists()
    count = Assessment.objects.count()
    demo_load()
    assert Assessment.objects.count() == count
