"""Reads of the annual review: the cycle, reviews, and what is due or overdue on a date."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from verantwoord.core.models import Membership, Organisation, User
from verantwoord.register.models import Algorithm
from verantwoord.reviews.models import (
    DEFAULT_INTERVAL_MONTHS,
    DEFAULT_REMINDER_DAYS,
    Review,
    ReviewCycle,
    ReviewStatus,
)

POLICY_SUBJECT = "policy"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months; the 29th-31st become the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def cycle_of(*, organisation: Organisation) -> ReviewCycle:
    """The organisation's cycle; an unsaved one with the defaults if it never set one."""
    cycle = ReviewCycle.objects.filter(organisation=organisation).first()
    return cycle or ReviewCycle(
        organisation=organisation,
        interval_months=DEFAULT_INTERVAL_MONTHS,
        reminder_days=DEFAULT_REMINDER_DAYS,
    )


def reviews_of_organisation(*, organisation: Organisation) -> QuerySet[Review]:
    return Review.objects.filter(organisation=organisation).select_related("algorithm", "recorded_by")


def review_of_organisation(*, organisation: Organisation, review_id: int) -> Review | None:
    return (
        Review.objects.filter(organisation=organisation, pk=review_id)
        .select_related("algorithm", "created_by", "recorded_by")
        .prefetch_related("reviewers", "planned_changes__owner", "planned_changes__task")
        .first()
    )


def recorded_reviews(*, organisation: Organisation, until: datetime.date | None = None) -> QuerySet[Review]:
    reviews = reviews_of_organisation(organisation=organisation).filter(status=ReviewStatus.RECORDED)
    if until is not None:
        reviews = reviews.filter(review_date__lte=until)
    return reviews


def last_policy_review(*, organisation: Organisation, until: datetime.date | None = None) -> Review | None:
    return recorded_reviews(organisation=organisation, until=until).filter(algorithm__isnull=True).first()


def last_algorithm_review(*, algorithm: Algorithm, until: datetime.date | None = None) -> Review | None:
    reviews = Review.objects.filter(algorithm=algorithm, status=ReviewStatus.RECORDED)
    if until is not None:
        reviews = reviews.filter(review_date__lte=until)
    return reviews.select_related("recorded_by").first()


def next_policy_review_date(*, organisation: Organisation) -> datetime.date | None:
    """The date set on the cycle (a recorded policy review sets it too); else 12 months (the cycle's interval)
    after the last policy review; None when there is neither."""
    cycle = cycle_of(organisation=organisation)
    if cycle.next_policy_review_date is not None:
        return cycle.next_policy_review_date
    last = last_policy_review(organisation=organisation)
    return add_months(last.review_date, cycle.interval_months) if last else None


@dataclass(frozen=True)
class DueReview:
    """A review that is due on or before a date: of the policy (algorithm None) or of an algorithm."""

    organisation: Organisation
    algorithm: Algorithm | None
    due_date: datetime.date
    overdue: bool
    last_review: Review | None

    @property
    def subject(self) -> str:
        return POLICY_SUBJECT if self.algorithm is None else f"algorithm:{self.algorithm.pk}"

    @property
    def label(self) -> str:
        return self.algorithm.name if self.algorithm is not None else str(self.organisation)


def reviews_due(
    *, organisation: Organisation, today: datetime.date, within_days: int | None = None
) -> list[DueReview]:
    """Reviews due within `within_days` of `today` (the cycle's reminder days when None), overdue ones first.
    An algorithm is reviewed on its next review date; archived algorithms are not."""
    cycle = cycle_of(organisation=organisation)
    horizon = today + datetime.timedelta(days=cycle.reminder_days if within_days is None else within_days)
    due: list[DueReview] = []
    policy_date = next_policy_review_date(organisation=organisation)
    if policy_date is not None and policy_date <= horizon:
        due.append(
            DueReview(
                organisation,
                None,
                policy_date,
                policy_date < today,
                last_policy_review(organisation=organisation),
            )
        )
    algorithms = Algorithm.objects.filter(
        organisation=organisation, archived_at__isnull=True, next_review_date__lte=horizon
    ).select_related("owner")
    for algorithm in algorithms:
        if algorithm.next_review_date is None:  # excluded by the filter; narrows the type
            continue
        due.append(
            DueReview(
                organisation,
                algorithm,
                algorithm.next_review_date,
                algorithm.next_review_date < today,
                last_algorithm_review(algorithm=algorithm),
            )
        )
    return sorted(due, key=lambda item: (item.due_date, item.label))


def overdue_reviews(*, organisation: Organisation, today: datetime.date) -> list[DueReview]:
    return [
        item for item in reviews_due(organisation=organisation, today=today, within_days=0) if item.overdue
    ]


def organisations_with_cycles() -> QuerySet[Organisation]:
    """Organisations the reminder job looks at: those with a policy cycle, a review or an algorithm date."""
    return Organisation.objects.filter(
        pk__in=set(ReviewCycle.objects.values_list("organisation_id", flat=True))
        | set(Review.objects.values_list("organisation_id", flat=True))
        | set(
            Algorithm.objects.filter(next_review_date__isnull=False).values_list("organisation_id", flat=True)
        )
    ).order_by("slug")


def people_of(*, organisation: Organisation) -> list[User]:
    """Everyone with a role in the organisation, once each: who can be a reviewer or own a planned change."""
    ids = Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


def active_algorithms(*, organisation: Organisation) -> list[Algorithm]:
    return list(
        Algorithm.objects.filter(organisation=organisation, archived_at__isnull=True)
        .select_related("organisation")
        .order_by("name")
    )
