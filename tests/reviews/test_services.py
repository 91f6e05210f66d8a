"""Services of the annual review: drafting and recording, immutability, the next date on the algorithm (through
the register), tasks from planned changes, the cycle, and the audit trail of every write."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.core.factories import MembershipFactory, UserFactory
from tests.register.factories import published_algorithm
from tests.reviews.factories import recorded_review, setting
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import AuditRecord
from verantwoord.core.roles import Role
from verantwoord.register.choices import PublicationState
from verantwoord.register.models import Publication
from verantwoord.reviews import selectors, services
from verantwoord.reviews.models import ReviewStatus

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_recording_sets_the_algorithm_date_makes_tasks_and_is_audited() -> None:
    s = setting()
    review = services.review_create(
        actor=s.owner,
        organisation=s.organisation,
        algorithm=s.algorithm,
        review_date=DAY,
        reviewers=[s.owner, s.beheerder],
        findings="De wachttijd is korter.",
        decisions="Blijft in gebruik.",
        planned_changes=[
            services.PlannedChangeSpec("Drempelwaarde herzien", s.beheerder, datetime.date(2026, 6, 1)),
            services.PlannedChangeSpec("Uitleg op de website", None, None),
        ],
    )
    assert review.status == ReviewStatus.DRAFT
    assert review.next_review_date == datetime.date(2027, 3, 10)  # default: 12 months on
    s.algorithm.refresh_from_db()
    assert s.algorithm.next_review_date is None  # a draft changes nothing yet
    assert not ComplianceTask.objects.filter(algorithm=s.algorithm, source__startswith="review:").exists()

    services.review_record(actor=s.owner, review=review)

    review.refresh_from_db()
    assert review.status == ReviewStatus.RECORDED and review.recorded_by == s.owner
    s.algorithm.refresh_from_db()
    assert s.algorithm.next_review_date == datetime.date(2027, 3, 10)
    tasks = {
        task.title: task
        for task in ComplianceTask.objects.filter(algorithm=s.algorithm, source=f"review:{review.pk}")
    }
    assert set(tasks) == {"Drempelwaarde herzien", "Uitleg op de website"}
    assert tasks["Drempelwaarde herzien"].owner == s.beheerder
    assert tasks["Drempelwaarde herzien"].due_date == datetime.date(2026, 6, 1)
    assert tasks["Uitleg op de website"].owner == s.owner  # the algorithm's owner when none is named
    assert [change.task_id for change in review.planned_changes.all()] == [
        tasks["Drempelwaarde herzien"].pk,
        tasks["Uitleg op de website"].pk,
    ]
    actions = list(
        AuditRecord.objects.filter(organisation=s.organisation, object_type="reviews.review")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["review.create", "review.record"]
    algorithm_change = AuditRecord.objects.filter(
        action="algorithm.update", object_id=str(s.algorithm.pk)
    ).last()
    assert algorithm_change is not None
    assert algorithm_change.changes["next_review_date"] == [None, "2027-03-10"]


def test_a_recorded_review_cannot_change() -> None:
    s = setting()
    review = recorded_review(s.organisation, algorithm=s.algorithm, review_date=DAY, actor=s.beheerder)
    with pytest.raises(ValidationError, match="cannot change"):
        services.review_update(
            actor=s.beheerder,
            review=review,
            review_date=DAY,
            reviewers=[],
            findings="Anders",
            decisions="",
            planned_changes_text="",
            planned_changes=[],
            next_review_date=datetime.date(2027, 1, 1),
        )
    with pytest.raises(ValidationError, match="cannot change"):
        services.review_record(actor=s.beheerder, review=review)
    review.refresh_from_db()
    assert review.findings == "Werkt zoals bedoeld."


def test_a_draft_can_be_edited_and_each_edit_is_audited() -> None:
    s = setting()
    review = services.review_create(
        actor=s.beheerder,
        organisation=s.organisation,
        algorithm=None,
        review_date=DAY,
        findings="Eerste versie",
    )
    services.review_update(
        actor=s.beheerder,
        review=review,
        review_date=DAY,
        reviewers=[s.beheerder],
        findings="Tweede versie",
        decisions="",
        planned_changes_text="",
        planned_changes=[],
        next_review_date=datetime.date(2027, 1, 1),
    )
    record = AuditRecord.objects.get(action="review.update", object_id=str(review.pk))
    assert record.changes["findings"] == ["Eerste versie", "Tweede versie"]
    assert record.changes["reviewers"] == [[], [s.beheerder.pk]]


def test_policy_review_sets_the_cycle_date_and_makes_no_tasks() -> None:
    s = setting()
    assert selectors.next_policy_review_date(organisation=s.organisation) is None
    review = services.review_create(
        actor=s.beheerder,
        organisation=s.organisation,
        algorithm=None,
        review_date=DAY,
        decisions="Beleid blijft.",
        planned_changes=[services.PlannedChangeSpec("Verslag aan de raad", s.beheerder, DAY)],
    )
    services.review_record(actor=s.beheerder, review=review)
    assert selectors.next_policy_review_date(organisation=s.organisation) == datetime.date(2027, 3, 10)
    assert not ComplianceTask.objects.filter(source__startswith="review:").exists()
    assert AuditRecord.objects.filter(action="review.cycle_update").count() == 1


def test_who_may_record() -> None:
    s = setting()
    other_owner = UserFactory()
    MembershipFactory(user=other_owner, organisation=s.organisation, role=Role.ALGORITHM_OWNER)
    auditor = UserFactory()
    MembershipFactory(user=auditor, organisation=s.organisation, role=Role.AUDITOR)
    with pytest.raises(ValidationError, match="owner of Slimme verkeerslichten"):
        services.review_create(
            actor=other_owner, organisation=s.organisation, algorithm=s.algorithm, review_date=DAY
        )
    with pytest.raises(ValidationError, match="Only the beheerder"):
        services.review_create(actor=s.owner, organisation=s.organisation, algorithm=None, review_date=DAY)
    with pytest.raises(ValidationError):
        services.review_create(
            actor=auditor, organisation=s.organisation, algorithm=s.algorithm, review_date=DAY
        )
    assert services.may_record(user=s.owner, organisation=s.organisation, algorithm=s.algorithm)
    assert services.may_record(user=s.beheerder, organisation=s.organisation, algorithm=None)


def test_validation() -> None:
    s = setting()
    outsider = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.review_create(
            actor=s.beheerder,
            organisation=s.organisation,
            algorithm=None,
            review_date=DAY,
            next_review_date=DAY,
        )
    assert "next_review_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.review_create(
            actor=s.beheerder,
            organisation=s.organisation,
            algorithm=None,
            review_date=DAY,
            reviewers=[outsider],
        )
    assert "reviewers" in error.value.message_dict
    empty = services.review_create(
        actor=s.beheerder, organisation=s.organisation, algorithm=None, review_date=DAY
    )
    with pytest.raises(ValidationError, match="findings or the decisions"):
        services.review_record(actor=s.beheerder, review=empty)


def test_cycle_update_and_interval() -> None:
    s = setting()
    services.cycle_update(
        actor=s.beheerder,
        organisation=s.organisation,
        next_policy_review_date=None,
        interval_months=6,
        reminder_days=14,
    )
    review = services.review_create(
        actor=s.beheerder, organisation=s.organisation, algorithm=None, review_date=datetime.date(2026, 8, 31)
    )
    assert review.next_review_date == datetime.date(2027, 2, 28)  # 6 months, end of a shorter month
    with pytest.raises(ValidationError):
        services.cycle_update(
            actor=s.beheerder,
            organisation=s.organisation,
            next_policy_review_date=None,
            interval_months=0,
            reminder_days=14,
        )
    assert AuditRecord.objects.filter(action="review.cycle_update").count() == 1


def test_reviews_due_and_overdue() -> None:
    s = setting()
    recorded_review(
        s.organisation,
        algorithm=s.algorithm,
        review_date=datetime.date(2025, 1, 1),
        next_review_date=datetime.date(2026, 3, 1),
    )
    recorded_review(
        s.organisation, review_date=datetime.date(2025, 4, 1), next_review_date=datetime.date(2026, 4, 1)
    )
    due = selectors.reviews_due(organisation=s.organisation, today=DAY)
    assert [(item.label, item.due_date, item.overdue) for item in due] == [
        ("Slimme verkeerslichten", datetime.date(2026, 3, 1), True),
        ("Gemeente Evaldorp", datetime.date(2026, 4, 1), False),
    ]
    assert [item.algorithm for item in selectors.overdue_reviews(organisation=s.organisation, today=DAY)] == [
        s.algorithm
    ]
    assert (
        selectors.reviews_due(organisation=s.organisation, today=DAY, within_days=10)[-1].algorithm
        == s.algorithm
    )


def test_recording_a_review_keeps_a_published_algorithm_published() -> None:
    # The review date is planning, not part of what the register publishes: no new review round for it.
    s = setting()
    algorithm = published_algorithm(s.organisation, name="Gepubliceerd algoritme")
    review = services.review_create(
        actor=s.beheerder,
        organisation=s.organisation,
        algorithm=algorithm,
        review_date=DAY,
        reviewers=[s.beheerder],
        findings="Werkt zoals bedoeld.",
        decisions="Blijft in gebruik.",
        planned_changes=[],
    )
    services.review_record(actor=s.beheerder, review=review)
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.PUBLISHED
    assert algorithm.next_review_date == datetime.date(2027, 3, 10)
    assert Publication.objects.filter(algorithm=algorithm).count() == 1
