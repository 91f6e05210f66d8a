"""The compliance checklist as a staff page for the AI team (/beheer/<slug>/ai-beleid/checklist): every registered
check with what it found today, the open ones first, each with the items concerned and where to fix them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from verantwoord.core.access import OrganisationView
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.policy.checklist import CheckResult, Severity, run_checklist


@dataclass(frozen=True)
class ChecklistRow:
    result: CheckResult
    severity: str
    # Items found but not listed (a check lists at most a sensible number).
    unlisted: int

    @property
    def anchor(self) -> str:
        return "check-" + self.result.check.key.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class ChecklistSummary:
    open_checks: int
    open_items: int
    passed: int
    not_applicable: int
    high: int


def _summary(results: list[CheckResult]) -> ChecklistSummary:
    failing = [r for r in results if not r.passed]
    return ChecklistSummary(
        open_checks=len(failing),
        open_items=sum(r.outcome.count for r in failing),
        passed=sum(1 for r in results if r.passed and not r.outcome.not_applicable),
        not_applicable=sum(1 for r in results if r.outcome.not_applicable),
        high=sum(1 for r in failing if r.check.severity == Severity.HIGH),
    )


class ChecklistView(OrganisationView):
    permission = Permission.VIEW_POLICY

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        today = timezone.localdate()
        results = run_checklist(self.organisation, today)
        rows = [
            ChecklistRow(r, r.check.severity.label, max(r.outcome.count - len(r.outcome.items), 0))
            for r in results
        ]
        return render(
            request,
            "policy/checklist.html",
            self.base_context(
                today=today,
                rows=rows,
                open_rows=[row for row in rows if not row.result.passed],
                summary=_summary(results),
            ),
        )


CHECKLIST_ENDPOINTS = [
    Endpoint("Compliance checklist", "page", "GET", "policy:checklist", Permission.VIEW_POLICY),
]
