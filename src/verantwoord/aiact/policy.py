"""What the AI Act area adds to the AI policy: compliance checks on classification, prohibited practices and the
obligations of high-risk systems, and the live block of section 4 (the classification overview)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.aiact.models import AlgorithmClassification
from verantwoord.aiact.services import TASK_SOURCE
from verantwoord.compliance.choices import OPEN_STATUSES
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.choices import AIActRiskClass, RegisterStatus
from verantwoord.register.models import Algorithm
from verantwoord.register.policy import algorithms_as_of


def _classification_url(organisation: Organisation, algorithm_id: int) -> str:
    return reverse("aiact:overview", kwargs={"slug": organisation.slug, "algorithm_id": algorithm_id})


def _register_url(organisation: Organisation) -> str:
    return reverse("register-staff:list", kwargs={"slug": organisation.slug})


def _tasks_url(organisation: Organisation) -> str:
    return reverse("compliance:overview", kwargs={"slug": organisation.slug})


def _algorithm_items(organisation: Organisation, algorithms: list[Algorithm]) -> list[ConcernedItem]:
    return [ConcernedItem(a.name, _classification_url(organisation, a.pk)) for a in algorithms[:ITEMS_LISTED]]


def not_classified(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """Algorithms in development or in use without an AI Act classification. Whether an algorithm is an AI system
    at all is the classification's first question, so every unclassified algorithm counts."""
    del today
    algorithms = list(
        Algorithm.objects.filter(organisation=organisation, archived_at__isnull=True, ai_act_risk_class="")
        .exclude(status=RegisterStatus.OUT_OF_USE)
        .order_by("name", "pk")
    )
    return CheckOutcome(count=len(algorithms), items=_algorithm_items(organisation, algorithms))


def prohibited_in_use(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    del today
    algorithms = list(
        Algorithm.objects.filter(
            organisation=organisation,
            archived_at__isnull=True,
            ai_act_risk_class=AIActRiskClass.PROHIBITED,
            status=RegisterStatus.IN_USE,
        ).order_by("name", "pk")
    )
    return CheckOutcome(count=len(algorithms), items=_algorithm_items(organisation, algorithms))


def high_risk_obligations_open(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """Obligations of the classification of a high-risk system that apply by `today` and are not done."""
    if not Algorithm.objects.filter(
        organisation=organisation, archived_at__isnull=True, ai_act_risk_class=AIActRiskClass.HIGH_RISK
    ).exists():
        return CheckOutcome(count=0, not_applicable=True)
    tasks = list(
        ComplianceTask.objects.filter(
            organisation=organisation,
            source=TASK_SOURCE,
            status__in=OPEN_STATUSES,
            applies_from__lte=today,
            algorithm__archived_at__isnull=True,
            algorithm__ai_act_risk_class=AIActRiskClass.HIGH_RISK,
        )
        .select_related("algorithm")
        .order_by("algorithm__name", "due_date", "title", "pk")
    )
    return CheckOutcome(
        count=len(tasks),
        items=[
            ConcernedItem(
                f"{task.algorithm.name}: {task.title}",
                reverse("compliance:task", kwargs={"slug": organisation.slug, "task_id": task.pk}),
            )
            for task in tasks[:ITEMS_LISTED]
        ],
    )


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="aiact.not_classified",
        title=gettext_lazy("Algorithms not classified under the AI Act"),
        explanation=gettext_lazy(
            "Only a classification shows whether an algorithm is an AI system, whether it is high-risk and which "
            "obligations apply. Answer the questions of the AI Act classification for each of these algorithms."
        ),
        source=gettext_lazy("AI Act art. 3(1), art. 5, art. 6 and art. 50"),
        severity=Severity.MEDIUM,
        run=not_classified,
        fix_url=_register_url,
    ),
    ComplianceCheck(
        key="aiact.prohibited_in_use",
        title=gettext_lazy("Prohibited AI practices still in use"),
        explanation=gettext_lazy(
            "The classification found a practice the AI Act prohibits, yet the algorithm is registered as in use. "
            "Stop using it now, or have the classification checked if it is wrong."
        ),
        source=gettext_lazy("AI Act art. 5"),
        severity=Severity.HIGH,
        run=prohibited_in_use,
        fix_url=_register_url,
    ),
    ComplianceCheck(
        key="aiact.high_risk_obligations_open",
        title=gettext_lazy("Obligations of high-risk AI systems that apply but are not done"),
        explanation=gettext_lazy(
            "For a high-risk AI system the municipality has duties as deployer, such as human oversight, keeping "
            "logs and informing the people concerned. These duties apply already. Do the task and add the evidence."
        ),
        source=gettext_lazy("AI Act art. 26 and art. 27"),
        severity=Severity.MEDIUM,
        run=high_risk_obligations_open,
        fix_url=_tasks_url,
    ),
]


def classification_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 4: how the algorithms were classified under the AI Act at `moment`, from the classification
    versions stored by then (they are immutable). The algorithms counted are those in the register then."""
    in_register = {a.algorithm_id: a for a in algorithms_as_of(organisation, moment)}
    latest: dict[int, AlgorithmClassification] = {}
    for classification in AlgorithmClassification.objects.filter(
        organisation=organisation, classified_at__lte=moment, algorithm_id__in=list(in_register)
    ).order_by("algorithm_id", "version"):
        latest[classification.algorithm_id] = classification
    counts = Counter(c.risk_class for c in latest.values())
    rows = [[str(label), str(counts[value])] for value, label in AIActRiskClass.choices if counts[value]]
    rows.append([_("Not yet classified"), str(len(in_register) - len(latest))])
    rows.append([_("Total"), str(len(in_register))])
    detailed = sorted(
        (c for c in latest.values() if c.risk_class in (AIActRiskClass.HIGH_RISK, AIActRiskClass.PROHIBITED)),
        key=lambda c: (in_register[c.algorithm_id].name, c.algorithm_id),
    )
    tables = [Table(_("Algorithms by AI Act risk class"), [_("Risk class"), _("Algorithms")], rows)]
    if detailed:
        tables.append(
            Table(
                _("High-risk and prohibited AI systems"),
                [_("Algorithm"), _("Risk class"), _("Classified on"), _("Obligations")],
                [
                    [
                        in_register[c.algorithm_id].name,
                        str(AIActRiskClass(c.risk_class).label),
                        date_format(timezone.localtime(c.classified_at).date(), "DATE_FORMAT"),
                        str(len(c.result.get("obligations", []))),
                    ]
                    for c in detailed
                ],
            )
        )
    return LiveContent(
        paragraphs=[
            _(
                "Every algorithm is classified with the AI Act decision tree: is it an AI system, is it prohibited "
                "or high-risk, which transparency duties apply. The classification is stored with the version of "
                "the decision tree, and its obligations become tasks with a due date. On %(date)s, %(classified)s "
                "of the %(count)s algorithms in the register were classified."
            )
            % {
                "date": date_format(moment.date(), "DATE_FORMAT"),
                "classified": len(latest),
                "count": len(in_register),
            }
        ],
        tables=tables,
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="aiact.classification",
        section=4,
        title=gettext_lazy("Classification under the AI Act"),
        build=classification_block,
        order=20,
    )
]
