"""What the compliance tasks add to the AI policy: the check on overdue tasks, and the live block of section 8 (how
the tasks from the AI Act, the assessments and the reviews stand)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.compliance.choices import OPEN_STATUSES, TaskStatus
from verantwoord.compliance.models import ComplianceTask
from verantwoord.compliance.selectors import overdue_tasks
from verantwoord.core.models import Organisation
from verantwoord.core.selectors import values_as_of
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table

# Task sources by the prefix their area gives them (compliance comes before those areas, so it names them here).
SOURCE_PREFIXES: tuple[tuple[str, Promise], ...] = (
    ("aiact", gettext_lazy("AI Act obligations")),
    ("assessment-", gettext_lazy("Action points of assessments")),
    ("review:", gettext_lazy("Annual reviews")),
)


def _task_url(organisation: Organisation, task_id: int) -> str:
    return reverse("compliance:task", kwargs={"slug": organisation.slug, "task_id": task_id})


def _overview_url(organisation: Organisation) -> str:
    return reverse("compliance:overview", kwargs={"slug": organisation.slug})


def tasks_overdue(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    tasks = list(overdue_tasks(organisation=organisation, today=today))
    return CheckOutcome(
        count=len(tasks),
        items=[
            ConcernedItem(
                _("%(algorithm)s: %(task)s (due %(date)s)")
                % {
                    "algorithm": task.algorithm.name,
                    "task": task.title,
                    "date": date_format(task.due_date, "DATE_FORMAT") if task.due_date else "",
                },
                _task_url(organisation, task.pk),
            )
            for task in tasks[:ITEMS_LISTED]
        ],
    )


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="compliance.tasks_overdue",
        title=gettext_lazy("Compliance tasks past their due date"),
        explanation=gettext_lazy(
            "These tasks come from the AI Act obligations, the action points of assessments and the reviews. "
            "Their due date has passed and they are not done. Do the task and add the evidence, or agree a new "
            "date with the owner."
        ),
        source=gettext_lazy("AI Act art. 26; GDPR art. 5(2) (accountability); the organisation's AI policy"),
        severity=Severity.MEDIUM,
        run=tasks_overdue,
        fix_url=_overview_url,
    )
]


def _source_label(source: str) -> str:
    for prefix, label in SOURCE_PREFIXES:
        if source.startswith(prefix):
            return str(label)
    return _("Other")


def _as_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def tasks_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 8: the compliance tasks at `moment`: those that existed then, with their status and due date
    then (rebuilt from the audit trail), counted per source."""
    tasks = {
        task.pk: task
        for task in ComplianceTask.objects.filter(organisation=organisation, created_at__lte=moment)
    }
    values = values_as_of(
        organisation=organisation, objects=tasks, fields=("status", "due_date"), moment=moment
    )
    day = moment.date()
    order = [str(label) for _prefix, label in SOURCE_PREFIXES] + [_("Other")]
    counts: dict[str, list[int]] = {}
    for pk, row in values.items():
        counts_of = counts.setdefault(_source_label(tasks[pk].source), [0, 0, 0, 0])
        due = _as_date(row["due_date"])
        if row["status"] in OPEN_STATUSES:
            counts_of[0] += 1
            if due is not None and due < day:
                counts_of[1] += 1
        elif row["status"] == TaskStatus.DONE:
            counts_of[2] += 1
        else:
            counts_of[3] += 1
    if not counts:
        return LiveContent(paragraphs=[_("There were no compliance tasks yet.")])
    rows = [[label, *(str(n) for n in counts[label])] for label in order if label in counts]
    rows.append([_("Total"), *(str(sum(c[i] for c in counts.values())) for i in range(4))])
    return LiveContent(
        paragraphs=[
            _(
                "What the AI Act, the assessments and the reviews require becomes a task on the algorithm, with an "
                "owner, a due date and evidence. The AI team follows the open and overdue tasks on the compliance "
                "checklist."
            )
        ],
        tables=[
            Table(
                _("Compliance tasks on %(date)s") % {"date": date_format(day, "DATE_FORMAT")},
                [_("Source"), _("Open"), _("Of which overdue"), _("Done"), _("No longer applies")],
                rows,
            )
        ],
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="compliance.tasks",
        section=8,
        title=gettext_lazy("Compliance tasks"),
        build=tasks_block,
        order=30,
    )
]
