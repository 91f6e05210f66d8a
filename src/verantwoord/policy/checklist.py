"""The compliance checklist's registry. Each area registers its checks in AppConfig.ready (the register, the AI Act,
the decision log, assessments, monitoring, ...); the policy app runs them for the dashboard and the document's annex.
A check is a plain function over one organisation's data, so a later area adds checks without touching this app."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation

# The most concerned items a check lists; its count still says how many there are.
ITEMS_LISTED = 20


class Severity(enum.IntEnum):
    """Higher is more urgent; the dashboard sorts on it."""

    INFO = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4

    @property
    def label(self) -> str:
        return str(_SEVERITY_LABELS[self])


_SEVERITY_LABELS = {
    Severity.INFO: gettext_lazy("Information"),
    Severity.LOW: gettext_lazy("Low"),
    Severity.MEDIUM: gettext_lazy("Medium"),
    Severity.HIGH: gettext_lazy("High"),
}


@dataclass(frozen=True)
class ConcernedItem:
    """One thing a check found: a label a reader understands and the staff page where it is fixed."""

    label: str
    url: str


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found on a date. `count` is the number of items concerned (0: the check passes); `items` may
    hold fewer than `count` (a check lists at most a sensible number)."""

    count: int
    items: list[ConcernedItem] = field(default_factory=list)
    # Set when the check does not apply to this organisation (e.g. no decision logs at all).
    not_applicable: bool = False


@dataclass(frozen=True)
class ComplianceCheck:
    key: str  # stable, e.g. "register.in_use_not_published"
    title: str | Promise
    explanation: str | Promise  # plain language: why it matters and what to do
    source: str | Promise  # the legal or policy source, e.g. "AI Act art. 27"
    severity: Severity
    run: Callable[[Organisation, date], CheckOutcome]
    # The staff page where the items are fixed, for the organisation's slug.
    fix_url: Callable[[Organisation], str]


_checks: dict[str, ComplianceCheck] = {}


def register_check(check: ComplianceCheck) -> None:
    if check.key in _checks and _checks[check.key] is not check:
        raise ValueError(f"Compliance check {check.key!r} is registered twice")
    _checks[check.key] = check


def registered_checks() -> list[ComplianceCheck]:
    return [_checks[key] for key in sorted(_checks)]


@dataclass(frozen=True)
class CheckResult:
    """A check and what it found for one organisation on one date, with the URL where it is fixed."""

    check: ComplianceCheck
    outcome: CheckOutcome
    fix_url: str

    @property
    def passed(self) -> bool:
        return self.outcome.count == 0 or self.outcome.not_applicable


def run_checklist(organisation: Organisation, today: date) -> list[CheckResult]:
    """Every registered check for ``organisation`` as of ``today``: open items first (most severe, most items),
    then the checks that pass, then those that do not apply."""
    results = [
        CheckResult(check, check.run(organisation, today), check.fix_url(organisation))
        for check in registered_checks()
    ]
    return sorted(
        results,
        key=lambda r: (
            r.outcome.not_applicable,
            r.passed,
            -int(r.check.severity),
            -r.outcome.count,
            r.check.key,
        ),
    )
