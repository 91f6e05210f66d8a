"""Reads of the monitoring: check input from the decision log (as arrays), configurations, runs, findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet
from django.utils import timezone

from verantwoord.core.models import Organisation
from verantwoord.decisionlog import selectors as log_selectors
from verantwoord.monitoring.datafiles import MISSING_GROUP
from verantwoord.monitoring.metrics import INTERSECTION_SEPARATOR
from verantwoord.monitoring.models import (
    OPEN_STATUSES,
    CheckRun,
    Finding,
    MonitoringConfig,
    PredictionSource,
    Window,
)
from verantwoord.register.models import Algorithm


class MissingLegalBasisError(PermissionError):
    """Group attributes are special-category data: without a recorded legal basis they are not read."""


@dataclass
class CheckInput:
    """The rows of one window as arrays: per attribute (and intersection) codes and labels."""

    groups: dict[str, tuple[npt.NDArray[np.int64], list[str]]]
    y_pred: npt.NDArray[np.int8]
    y_true: npt.NDArray[np.int8] | None
    decisions: int
    with_outcome: int


def window_bounds(window: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a check window ending at ``now`` (a calendar month: the previous full month)."""
    if window == Window.MONTH:
        local = timezone.localtime(now)
        first_this = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        first_previous = (first_this - datetime.timedelta(days=1)).replace(day=1)
        return first_previous, first_this
    days = 30 if window == Window.ROLLING_30 else 90
    return now - datetime.timedelta(days=days), now


def _label(value: Any) -> str:
    if value is None:
        return MISSING_GROUP
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _attribute_codes(
    combination_codes: npt.NDArray[np.int64], combinations: list[dict[str, Any]], attribute: str
) -> tuple[npt.NDArray[np.int64], list[str]]:
    per_combination = [_label(combination.get(attribute)) for combination in combinations]
    labels = sorted(set(per_combination))
    lookup = np.array([labels.index(label) for label in per_combination], dtype=np.int64)
    return lookup[combination_codes], labels


def check_input(config: MonitoringConfig, start: datetime.datetime, end: datetime.datetime) -> CheckInput:
    """Read the window's decisions with their group attributes (one query, decoded in bulk) and their
    later outcome records, as the engine's arrays. Refuses without a recorded legal basis."""
    if not config.legal_basis.strip():
        raise MissingLegalBasisError(
            f"{config.algorithm}: no legal basis recorded for processing group attributes"
        )
    score = config.prediction_source == PredictionSource.SCORE
    columns = log_selectors.group_attribute_columns(
        algorithm=config.algorithm, since=start, until=end, with_output=score
    )
    count = len(columns.indexes)
    combination_codes = np.fromiter(columns.combination_codes, dtype=np.int64, count=count)
    groups: dict[str, tuple[npt.NDArray[np.int64], list[str]]] = {}
    for attribute in config.group_attributes:
        groups[attribute] = _attribute_codes(combination_codes, columns.combinations, attribute)
    for first, second in config.intersections:
        a_codes, a_labels = groups.get(first) or _attribute_codes(
            combination_codes, columns.combinations, first
        )
        b_codes, b_labels = groups.get(second) or _attribute_codes(
            combination_codes, columns.combinations, second
        )
        groups[f"{first}{INTERSECTION_SEPARATOR}{second}"] = (
            a_codes * len(b_labels) + b_codes,
            [f"{a}{INTERSECTION_SEPARATOR}{b}" for a in a_labels for b in b_labels],
        )
    if score:
        threshold = config.score_threshold if config.score_threshold is not None else 0.5
        scores = np.array(
            [
                value if isinstance(value, int | float) and not isinstance(value, bool) else np.nan
                for value in columns.outputs
            ],
            dtype=np.float64,
        )
        y_pred = (scores >= threshold).astype(np.int8)
    else:
        y_pred = (np.array(columns.decisions, dtype=object) == config.positive_decision).astype(np.int8)
    y_true = None
    with_outcome = 0
    if config.truth_positive or config.truth_negative:
        y_true = np.full(count, -1, dtype=np.int8)
        if count:
            indexes = np.fromiter(columns.indexes, dtype=np.int64, count=count)
            facts = log_selectors.later_fact_decisions(
                algorithm=config.algorithm, since_index=int(indexes[0])
            )
            if facts:
                refers_to = np.fromiter((fact[0] for fact in facts), dtype=np.int64, count=len(facts))
                outcome = np.array([fact[1] for fact in facts], dtype=object)
                positive = np.isin(outcome, config.truth_positive)
                known = positive | np.isin(outcome, config.truth_negative)
                positions = np.minimum(np.searchsorted(indexes, refers_to), count - 1)
                known &= indexes[positions] == refers_to
                # Facts come oldest first; the latest outcome of a decision counts (a correction replaces
                # an earlier outcome): the first occurrence of each decision in the reversed order.
                latest_first = positions[known][::-1]
                decided, first = np.unique(latest_first, return_index=True)
                y_true[decided] = positive[known][::-1][first].astype(np.int8)
        with_outcome = int((y_true >= 0).sum())
    return CheckInput(groups, y_pred, y_true, count, with_outcome)


# --- Configurations, runs and findings ------------------------------------------------------------------


def config_of(*, algorithm: Algorithm) -> MonitoringConfig | None:
    return MonitoringConfig.objects.filter(algorithm=algorithm).select_related("algorithm").first()


def configs_of(*, organisation: Organisation) -> QuerySet[MonitoringConfig]:
    return (
        MonitoringConfig.objects.filter(organisation=organisation)
        .select_related("algorithm")
        .order_by("algorithm__name")
    )


def runs_of(*, algorithm: Algorithm, limit: int = 24) -> list[CheckRun]:
    return list(CheckRun.objects.filter(algorithm=algorithm).order_by("-created_at", "-id")[:limit])


def latest_run(*, algorithm: Algorithm) -> CheckRun | None:
    return CheckRun.objects.filter(algorithm=algorithm).order_by("-created_at", "-id").first()


def findings_of(
    *, organisation: Organisation, algorithm: Algorithm | None = None, open_only: bool = False
) -> QuerySet[Finding]:
    findings = Finding.objects.filter(organisation=organisation).select_related("algorithm", "owner")
    if algorithm is not None:
        findings = findings.filter(algorithm=algorithm)
    if open_only:
        findings = findings.filter(status__in=OPEN_STATUSES)
    return findings.order_by("-updated_at", "-id")


def open_findings_older_than(
    *, organisation: Organisation, days: int, today: datetime.date
) -> QuerySet[Finding]:
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )
    return findings_of(organisation=organisation, open_only=True).filter(created_at__lt=cutoff)


def metric_series(
    *, algorithm: Algorithm, metric: str, attribute: str, limit: int = 24
) -> list[dict[str, Any]]:
    """Per run, oldest first: the window end and each shown group's value and interval (for a chart)."""
    points = []
    for run in reversed(runs_of(algorithm=algorithm, limit=limit)):
        result = run.results.get(attribute)
        if not result:
            continue
        values = {
            group: (row.get(metric), row.get(metric + "_ci"))
            for group, row in result["groups"].items()
            if row.get(metric) is not None
        }
        points.append({"run": run, "at": run.window_end, "values": values})
    return points
