"""Writes of the monitoring: the configuration, check runs (stored, summarised in the tamper-evident log),
findings and their status, and the notification of a breach."""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verantwoord.core.audit import audit_record, field_changes, snapshot
from verantwoord.core.models import User
from verantwoord.monitoring import metrics
from verantwoord.monitoring.metrics import fairness_metrics, json_safe
from verantwoord.monitoring.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    CheckRun,
    Finding,
    MonitoringConfig,
    PredictionSource,
    RunStatus,
)
from verantwoord.monitoring.selectors import check_input, window_bounds
from verantwoord.register.models import Algorithm

CONFIG_FIELDS = (
    "enabled",
    "legal_basis",
    "positive_decision",
    "positive_is_favourable",
    "prediction_source",
    "score_threshold",
    "truth_positive",
    "truth_negative",
    "group_attributes",
    "intersections",
    "reference_groups",
    "metrics",
    "ratio_threshold",
    "difference_threshold",
    "alpha",
    "min_group_size",
    "window",
    "notify_emails",
)
# A scheduled check runs once a day per algorithm; the worker looks every hour for checks that are due.
SCHEDULE_EVERY = datetime.timedelta(days=1)


def _validate(config: MonitoringConfig) -> None:
    errors: dict[str, str] = {}
    if not config.legal_basis.strip():
        errors["legal_basis"] = _(
            "Record the legal basis for processing group attributes (special-category data) first."
        )
    if not config.group_attributes:
        errors["group_attributes"] = _("Name at least one group attribute to check.")
    if config.prediction_source == PredictionSource.DECISION and not config.positive_decision.strip():
        errors["positive_decision"] = _("Name the decision that counts as selected.")
    if config.prediction_source == PredictionSource.SCORE and config.score_threshold is None:
        errors["score_threshold"] = _("A score needs a threshold.")
    unknown = [name for name in config.metrics if name not in metrics.RATE_METRICS]
    if unknown or not config.metrics:
        errors["metrics"] = _("Choose one or more of the metrics offered.")
    if set(config.metrics) - {metrics.SELECTION_RATE} and not (
        config.truth_positive or config.truth_negative
    ):
        errors["truth_positive"] = _(
            "Error rates and precision need the outcomes that confirm or refute a selection."
        )
    for pair in config.intersections:
        if len(pair) != 2 or any(name not in config.group_attributes for name in pair):
            errors["intersections"] = _("An intersection combines two of the group attributes checked.")
    if config.ratio_threshold is not None and not 0 < config.ratio_threshold <= 1:
        errors["ratio_threshold"] = _("The ratio threshold lies between 0 and 1, e.g. 0.8.")
    if config.difference_threshold is not None and not 0 <= config.difference_threshold < 1:
        errors["difference_threshold"] = _("The difference threshold lies between 0 and 1, e.g. 0.05.")
    if not 0 < config.alpha < 1:
        errors["alpha"] = _("The significance level lies between 0 and 1, e.g. 0.05.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def config_save(
    *, actor: User | None, algorithm: Algorithm, values: Mapping[str, Any], reason: str = ""
) -> MonitoringConfig:
    """Create or change the check of an algorithm; a change raises the version that runs record."""
    config = MonitoringConfig.objects.select_for_update().filter(algorithm=algorithm).first()
    created = config is None
    if config is None:
        config = MonitoringConfig(organisation=algorithm.organisation, algorithm=algorithm)
    before = {} if created else snapshot(config, CONFIG_FIELDS)
    for name, value in values.items():
        if name not in CONFIG_FIELDS:
            raise ValueError(f"not a configuration field: {name}")
        setattr(config, name, value)
    _validate(config)
    changes = field_changes(before, snapshot(config, CONFIG_FIELDS))
    if not created and not changes:
        return config
    if not created:
        config.version += 1
    config.save()
    audit_record(
        actor=actor,
        action="monitoring.config_created" if created else "monitoring.config_changed",
        instance=config,
        organisation=algorithm.organisation,
        changes={**changes, "version": config.version},
        reason=reason,
    )
    return config


def _summary(run: CheckRun, flagged: list[dict[str, Any]]) -> dict[str, Any]:
    """What the tamper-evident log keeps of a run: aggregates of shown groups only."""
    return {
        "algorithm": run.algorithm_id,
        "config_version": run.config_version,
        "window": [run.window_start.isoformat(), run.window_end.isoformat()],
        "decisions": run.decisions,
        "with_outcome": run.with_outcome,
        "status": run.status,
        "flagged": [
            {
                key: item[key]
                for key in (
                    "attribute",
                    "metric",
                    "group",
                    "reference",
                    "value",
                    "ratio",
                    "difference",
                    "p_value",
                )
            }
            for item in flagged
        ],
    }


def check_run(
    *,
    config: MonitoringConfig,
    actor: User | None = None,
    trigger: str = "page",
    now: datetime.datetime | None = None,
) -> CheckRun:
    """Run the check over its window: read (outside the write transaction), compute, then store the run,
    append its summary to the log (through the audit trail), create or update findings and notify."""
    now = now or timezone.now()
    start, end = window_bounds(config.window, now)
    began = time.perf_counter()
    data = check_input(config, start, end)
    results: dict[str, Any] = {}
    flagged: list[dict[str, Any]] = []
    for name, (codes, labels) in data.groups.items():
        reference = config.reference_groups.get(name)
        result = fairness_metrics(
            codes,
            labels,
            data.y_pred,
            data.y_true,
            metrics=config.metrics,
            reference=reference if reference in labels else None,
            min_group_size=config.min_group_size,
            thresholds=config.thresholds(),
        )
        results[name] = json_safe(result.as_json())
        for item in result.flagged:
            flagged.append(
                {
                    **json_safe(item),
                    "attribute": name,
                    "ci": results[name]["groups"][item["group"]][item["metric"] + "_ci"],
                }
            )
    status = RunStatus.NO_DATA if not data.decisions else (RunStatus.BREACH if flagged else RunStatus.OK)
    with transaction.atomic():
        # Runs of one algorithm (the schedule and a click on "run now") store and open findings one at a
        # time, so a breach never opens two findings.
        MonitoringConfig.objects.select_for_update().filter(pk=config.pk).first()
        run = CheckRun.objects.create(
            organisation=config.organisation,
            algorithm=config.algorithm,
            config=config,
            config_version=config.version,
            config_settings=snapshot(config, CONFIG_FIELDS),
            window_start=start,
            window_end=end,
            trigger=trigger,
            decisions=data.decisions,
            with_outcome=data.with_outcome,
            results=results,
            flagged_count=len(flagged),
            status=status,
            seconds=time.perf_counter() - began,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="monitoring.check_run",
            instance=run,
            organisation=config.organisation,
            changes=_summary(run, flagged),
        )
        new_findings = [_finding_upsert(run, item, actor) for item in flagged]
        created = [finding for finding, is_new in new_findings if is_new]
        if created:
            finding_ids = [finding.pk for finding in created]
            transaction.on_commit(lambda: _notify(config.pk, finding_ids))
    return run


def _finding_upsert(run: CheckRun, item: dict[str, Any], actor: User | None) -> tuple[Finding, bool]:
    values = {
        "reference": item["reference"],
        "value": item["value"],
        "value_ci": item["ci"],
        "reference_value": item["reference_value"],
        "ratio": item["ratio"],
        "difference": item["difference"],
        "p_value": item["p_value"],
        "window_start": run.window_start,
        "window_end": run.window_end,
        "last_run": run,
    }
    finding = (
        Finding.objects.select_for_update()
        .filter(
            algorithm=run.algorithm,
            attribute=item["attribute"],
            metric=item["metric"],
            group=item["group"],
            status__in=OPEN_STATUSES,
        )
        .first()
    )
    if finding is None:
        finding = Finding.objects.create(
            organisation=run.organisation,
            algorithm=run.algorithm,
            attribute=item["attribute"],
            metric=item["metric"],
            group=item["group"],
            first_run=run,
            owner=run.algorithm.owner,
            **values,
        )
        audit_record(
            actor=actor,
            action="monitoring.finding_created",
            instance=finding,
            organisation=run.organisation,
            changes={
                "run": run.pk,
                "metric": finding.metric,
                "attribute": finding.attribute,
                "group": finding.group,
            },
        )
        return finding, True
    for name, value in values.items():
        setattr(finding, name, value)
    finding.occurrences += 1
    finding.save()
    audit_record(
        actor=actor,
        action="monitoring.finding_repeated",
        instance=finding,
        organisation=run.organisation,
        changes={"run": run.pk, "occurrences": finding.occurrences},
    )
    return finding, False


def _notify(config_id: int, finding_ids: list[int]) -> None:
    """Mail the owner and the AI team of new findings (Django's mail, the configured backend)."""
    config = MonitoringConfig.objects.select_related("algorithm__owner", "organisation").get(pk=config_id)
    recipients = [
        address.strip() for address in config.notify_emails.replace(";", ",").split(",") if address.strip()
    ]
    owner = config.algorithm.owner
    if owner is not None and owner.email:
        recipients.insert(0, owner.email)
    if not recipients:
        return
    findings = Finding.objects.filter(pk__in=finding_ids).order_by("attribute", "metric", "group")
    with translation.override("nl"):
        lines = [
            f"- {finding.get_metric_display()}, {finding.attribute} = {finding.group}: "
            f"{finding.value:.3f} {_('against')} {finding.reference_value:.3f} ({finding.reference})"
            for finding in findings
        ]
        send_mail(
            subject=_("Bias check of %(algorithm)s: %(count)d new finding(s)")
            % {"algorithm": config.algorithm.name, "count": len(lines)},
            message=_(
                "The scheduled bias check of %(algorithm)s flagged a disparity that is statistically "
                "significant and over the threshold:\n\n%(findings)s\n\nA flag asks for an explanation; it "
                "does not by itself prove discrimination. Look at the finding in Verantwoord."
            )
            % {"algorithm": config.algorithm.name, "findings": "\n".join(lines)},
            from_email=None,
            recipient_list=list(dict.fromkeys(recipients)),
        )


@transaction.atomic
def finding_status_change(*, actor: User | None, finding: Finding, status: str, note: str = "") -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if status not in TRANSITIONS.get(finding.status, set()):
        raise ValidationError(
            {
                "status": _("This finding cannot go from %(old)s to %(new)s.")
                % {"old": finding.status, "new": status}
            }
        )
    old = finding.status
    finding.status = status
    if note:
        finding.note = note
    finding.save()
    audit_record(
        actor=actor,
        action="monitoring.finding_status",
        instance=finding,
        organisation=finding.organisation,
        changes={"status": [old, status]},
        reason=note,
    )
    return finding


def checks_run_due(now: datetime.datetime | None = None) -> str:
    """The worker's job: run each enabled check whose last run is a day old or more."""
    now = now or timezone.now()
    done = []
    for config in MonitoringConfig.objects.filter(enabled=True).select_related("algorithm", "organisation"):
        last = (
            CheckRun.objects.filter(config=config)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None and last > now - SCHEDULE_EVERY:
            continue
        run = check_run(config=config, trigger="schedule", now=now)
        done.append(f"{config.algorithm.name}: {run.status}")
    return "; ".join(done) or "no checks due"
