"""The policy area's own compliance check: an AI policy adopted by the board, and not older than a year."""

from __future__ import annotations

import calendar
import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.policy import selectors
from verantwoord.policy.checklist import CheckOutcome, ComplianceCheck, ConcernedItem, Severity

MAX_AGE_MONTHS = 12


def _policy_url(organisation: Organisation) -> str:
    return reverse("policy:overview", kwargs={"slug": organisation.slug})


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the last day of that month when it is shorter, e.g. 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_not_adopted_or_outdated(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    adopted = selectors.adopted_version(organisation=organisation)
    if adopted is None:
        label = _("No AI policy has been adopted")
    else:
        adopted_on = adopted.decision_date or (
            timezone.localtime(adopted.adopted_at).date() if adopted.adopted_at else None
        )
        if adopted_on is not None and adopted_on >= months_before(today, MAX_AGE_MONTHS):
            return CheckOutcome(count=0)
        label = _("AI policy version %(number)s was adopted on %(date)s, more than %(months)s months ago") % {
            "number": adopted.number,
            "date": date_format(adopted_on, "DATE_FORMAT") if adopted_on else "?",
            "months": MAX_AGE_MONTHS,
        }
    return CheckOutcome(count=1, items=[ConcernedItem(label, _policy_url(organisation))])


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="policy.not_adopted_or_outdated",
        title=gettext_lazy("AI policy not adopted, or adopted more than 12 months ago"),
        explanation=gettext_lazy(
            "The AI policy says how the municipality uses AI responsibly, and the board adopts it. Review it every "
            "year so it stays true to practice: update the document, have the board adopt the new version and "
            "present it to the council."
        ),
        source=gettext_lazy(
            "AI Act art. 4 and art. 26 (deployer's measures); Algoritmekader (governance); the organisation's "
            "commitment to a yearly review"
        ),
        severity=Severity.MEDIUM,
        run=policy_not_adopted_or_outdated,
        fix_url=_policy_url,
    )
]
