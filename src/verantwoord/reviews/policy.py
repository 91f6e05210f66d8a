"""What the annual review adds to the AI policy: two compliance checks (the policy review and the algorithm
reviews past their date) and the live block of section 8 (the review cycle, the last reviews, the next dates)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.models import Algorithm
from verantwoord.reviews import selectors

RECENT = 10


def _overview_url(organisation: Organisation) -> str:
    return reverse("reviews:overview", kwargs={"slug": organisation.slug})


def _record_url(organisation: Organisation, algorithm: Algorithm | None = None) -> str:
    url = reverse("reviews:record", kwargs={"slug": organisation.slug})
    return f"{url}?algorithm={algorithm.pk}" if algorithm is not None else url


def policy_review_overdue(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """The policy review is overdue when its date has passed, or when none was ever recorded nor planned."""
    next_date = selectors.next_policy_review_date(organisation=organisation)
    if next_date is None:
        label = _("No review of the AI policy recorded, and no date planned")
    elif next_date < today:
        label = _("Review of the AI policy was due on %(date)s") % {
            "date": date_format(next_date, "DATE_FORMAT")
        }
    else:
        return CheckOutcome(count=0)
    return CheckOutcome(count=1, items=[ConcernedItem(label, _record_url(organisation))])


def algorithm_review_overdue(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    overdue = [
        item
        for item in selectors.overdue_reviews(organisation=organisation, today=today)
        if item.algorithm is not None
    ]
    return CheckOutcome(
        count=len(overdue),
        items=[
            ConcernedItem(
                _("%(algorithm)s: review was due on %(date)s")
                % {"algorithm": item.label, "date": date_format(item.due_date, "DATE_FORMAT")},
                _record_url(organisation, item.algorithm),
            )
            for item in overdue[:ITEMS_LISTED]
        ],
    )


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="reviews.policy_review_overdue",
        title=gettext_lazy("Yearly review of the AI policy overdue"),
        explanation=gettext_lazy(
            "The municipality has committed to review its AI policy every year and to report on it to the council "
            "and residents. Plan the review and record what was found and decided."
        ),
        source=gettext_lazy("The organisation's AI policy (yearly review); Algoritmekader"),
        severity=Severity.MEDIUM,
        run=policy_review_overdue,
        fix_url=_overview_url,
    ),
    ComplianceCheck(
        key="reviews.algorithm_review_overdue",
        title=gettext_lazy("Algorithms past their review date"),
        explanation=gettext_lazy(
            "A municipality that uses an AI system must keep an eye on how it works in practice. Each algorithm "
            "has a review date: look back with its owner, record the findings and plan the changes."
        ),
        source=gettext_lazy("AI Act art. 26 (monitoring by deployers); Algoritmekader"),
        severity=Severity.MEDIUM,
        run=algorithm_review_overdue,
        fix_url=_overview_url,
    ),
]


def _date(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def cycle_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 8: the review cycle, the last reviews recorded by `moment` and the next dates."""
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    cycle = selectors.cycle_of(organisation=organisation)
    last_policy = selectors.last_policy_review(organisation=organisation, until=day)
    paragraphs = [
        _(
            "The AI policy is reviewed every %(months)s months, and so is every algorithm in the register. The "
            "beheerder and the algorithm's owner look back on how it works in practice, record their findings and "
            "decisions, and plan changes; planned changes become tasks with an owner and a due date. Reminders "
            "go out %(days)s days ahead of each date."
        )
        % {"months": cycle.interval_months, "days": cycle.reminder_days},
        _("Last review of the AI policy: %(last)s. Next review: %(next)s.")
        % {
            "last": _date(last_policy.review_date if last_policy else None),
            "next": _date(
                last_policy.next_review_date
                if last_policy
                else (cycle.next_policy_review_date if cycle.pk else None)
            ),
        },
    ]
    recent = list(selectors.recorded_reviews(organisation=organisation, until=day)[:RECENT])
    tables = []
    if recent:
        tables.append(
            Table(
                _("Last reviews recorded"),
                [_("Subject"), _("Review date"), _("Next review")],
                [
                    [
                        review.algorithm.name if review.algorithm else _("AI policy"),
                        _date(review.review_date),
                        _date(review.next_review_date),
                    ]
                    for review in recent
                ],
            )
        )
    # Next dates as they stood at `moment`: the newest review recorded by then decides each algorithm's date.
    upcoming: list[list[str]] = []
    for algorithm in Algorithm.objects.filter(organisation=organisation, archived_at__isnull=True).order_by(
        "name"
    ):
        last = selectors.last_algorithm_review(algorithm=algorithm, until=day)
        if last is not None:
            upcoming.append([algorithm.name, _date(last.review_date), _date(last.next_review_date)])
    if upcoming:
        tables.append(
            Table(
                _("Algorithms and their next review"),
                [_("Algorithm"), _("Last review"), _("Next review")],
                upcoming,
            )
        )
    else:
        paragraphs.append(_("No algorithm review has been recorded yet."))
    return LiveContent(paragraphs=paragraphs, tables=tables)


LIVE_BLOCKS = [
    LiveBlock(
        "reviews.cycle", 8, gettext_lazy("Annual review: cycle, last reviews and next dates"), cycle_block, 30
    )
]
