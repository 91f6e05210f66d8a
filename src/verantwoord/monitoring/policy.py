"""What the monitoring adds to the AI policy: compliance checks and the live block of section 8."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.decisionlog.models import EntryKind, GroupAttributes, LogEntry
from verantwoord.monitoring import selectors
from verantwoord.monitoring.models import METRIC_CHOICES
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.models import Algorithm

FINDING_MAX_OPEN_DAYS = 30


def _finding_url(organisation: Organisation, finding_id: int) -> str:
    return reverse("monitoring:finding", kwargs={"slug": organisation.slug, "finding_id": finding_id})


def findings_open_too_long(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    findings = selectors.open_findings_older_than(
        organisation=organisation, days=FINDING_MAX_OPEN_DAYS, today=today
    )
    return CheckOutcome(
        count=findings.count(),
        items=[
            ConcernedItem(
                f"{finding.algorithm.name}: {finding.get_metric_display()} {finding.attribute} = {finding.group}",
                _finding_url(organisation, finding.pk),
            )
            for finding in findings[:ITEMS_LISTED]
        ],
    )


def _logged_unmonitored(organisation: Organisation) -> list[Algorithm]:
    """Algorithms whose logged decisions carry group attributes, but with no enabled check."""
    with_groups = GroupAttributes.objects.filter(
        entry__algorithm=OuterRef("pk"), entry__kind=EntryKind.DECISION
    )
    return list(
        Algorithm.objects.filter(organisation=organisation)
        .filter(Exists(with_groups))
        .exclude(monitoring_config__enabled=True)
        .order_by("name")
    )


def logged_without_monitoring(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    del today
    if not LogEntry.objects.filter(log__organisation=organisation, kind=EntryKind.DECISION).exists():
        return CheckOutcome(count=0, not_applicable=True)
    algorithms = _logged_unmonitored(organisation)
    return CheckOutcome(
        count=len(algorithms),
        items=[
            ConcernedItem(
                algorithm.name,
                reverse(
                    "monitoring:config", kwargs={"slug": organisation.slug, "algorithm_id": algorithm.pk}
                ),
            )
            for algorithm in algorithms[:ITEMS_LISTED]
        ],
    )


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="monitoring.findings_open_too_long",
        title=gettext_lazy("Bias findings open longer than 30 days"),
        explanation=gettext_lazy(
            "A bias check flagged a disparity that nobody has resolved or explained within 30 days. Investigate "
            "the finding, record what was found and what was done, and close it."
        ),
        source=gettext_lazy("Algoritmekader: bias and non-discrimination; GDPR art. 5(1)(a)"),
        severity=Severity.HIGH,
        run=findings_open_too_long,
        fix_url=lambda organisation: reverse("monitoring:findings", kwargs={"slug": organisation.slug}),
    ),
    ComplianceCheck(
        key="monitoring.logged_without_monitoring",
        title=gettext_lazy("Decisions with group attributes logged, but no bias check configured"),
        explanation=gettext_lazy(
            "The log of these algorithms holds group attributes for bias monitoring, yet no check runs over "
            "them. Configure a check, or stop collecting the special-category data."
        ),
        source=gettext_lazy("AI policy: periodic checks of logged decisions; GDPR art. 5(1)(c)"),
        severity=Severity.MEDIUM,
        run=logged_without_monitoring,
        fix_url=lambda organisation: reverse("monitoring:overview", kwargs={"slug": organisation.slug}),
    ),
]


def monitoring_setup_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    del moment
    configs = list(selectors.configs_of(organisation=organisation))
    if not configs:
        return LiveContent(paragraphs=[_("No algorithm is monitored for bias yet.")])
    names = dict(METRIC_CHOICES)
    rows = []
    for config in configs:
        thresholds = []
        if config.ratio_threshold is not None:
            thresholds.append(_("ratio below %(value)s") % {"value": config.ratio_threshold})
        if config.difference_threshold is not None:
            thresholds.append(
                _("difference above %(value)s points")
                % {"value": round(config.difference_threshold * 100, 1)}
            )
        rows.append(
            [
                config.algorithm.name,
                _("yes") if config.enabled else _("no"),
                ", ".join(str(names.get(metric, metric)) for metric in config.metrics),
                ", ".join(config.group_attributes),
                _(" or ").join(thresholds)
                + " "
                + _("(and significant at %(alpha)s)") % {"alpha": config.alpha},
                str(config.get_window_display()),
                str(config.min_group_size),
            ]
        )
    return LiveContent(
        paragraphs=[
            _(
                "These algorithms are checked for bias over their decision log, daily. A disparity is flagged "
                "when it is statistically significant and over the threshold; groups smaller than the minimum "
                "size are never shown."
            )
        ],
        tables=[
            Table(
                _("Monitoring set-up"),
                [
                    _("Algorithm"),
                    _("Enabled"),
                    _("Metrics"),
                    _("Group attributes"),
                    _("Flag when"),
                    _("Window"),
                    _("Minimum group size"),
                ],
                rows,
            )
        ],
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="monitoring.setup",
        section=8,
        title=gettext_lazy("Bias and quality monitoring"),
        build=monitoring_setup_block,
        order=40,
    )
]
