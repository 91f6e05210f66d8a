"""The fairness metrics engine: count tables built once, every metric derived from them (no Django).

Input is one row per decision: a group code (an index into the group labels), whether the decision was the
*positive* outcome (``y_pred``; "selected" in fairlearn's words — for a fraud model that is "selected for
investigation") and, where known, the ground truth (``y_true``: 1, 0, or -1 for unknown).

One ``numpy.bincount`` over ``group * 6 + pred * 3 + (truth + 1)`` gives, per group, the six cells
(predicted 0/1 x truth unknown/0/1). Everything else — selection rate, the confusion-matrix rates,
precision, accuracy, Wilson intervals, the 2x2 tests of each group against the reference (or the rest) and
the min/max disparities — is arithmetic on that small table, so the cost over ten million rows is one pass.

Metric names and definitions are fairlearn's (``MetricFrame`` with ``selection_rate``,
``true_positive_rate``, …); a rate whose denominator is zero is ``None`` here (fairlearn reports 0).
Rates over rows with an unknown truth are left out of the confusion-matrix metrics (selective labels:
see docs/monitoring.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]  # no stubs are pinned

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile
DEFAULT_MIN_GROUP_SIZE = 10
DEFAULT_RATIO_THRESHOLD = 0.8  # the four-fifths rule
DEFAULT_DIFFERENCE_THRESHOLD = 0.05  # five percentage points
DEFAULT_ALPHA = 0.05
# Below this expected count in a cell of the 2x2 table the chi-square approximation is poor: use Fisher.
CHI_SQUARE_MIN_EXPECTED = 5.0

SELECTION_RATE = "selection_rate"
TRUE_POSITIVE_RATE = "true_positive_rate"
FALSE_POSITIVE_RATE = "false_positive_rate"
TRUE_NEGATIVE_RATE = "true_negative_rate"
FALSE_NEGATIVE_RATE = "false_negative_rate"
PRECISION = "precision"
ACCURACY = "accuracy"
RATE_METRICS = (
    SELECTION_RATE,
    TRUE_POSITIVE_RATE,
    FALSE_POSITIVE_RATE,
    TRUE_NEGATIVE_RATE,
    FALSE_NEGATIVE_RATE,
    PRECISION,
    ACCURACY,
)
TRUTH_METRICS = RATE_METRICS[1:]
INTERSECTION_SEPARATOR = "|"

# Cell order of the count table: pred 0/1 x truth unknown/0/1.
_CELLS = 6


@dataclass(frozen=True)
class Thresholds:
    """When a difference counts: significant at ``alpha`` AND ratio below ``ratio`` or difference above
    ``difference`` (either threshold may be None to leave it out)."""

    ratio: float | None = DEFAULT_RATIO_THRESHOLD
    difference: float | None = DEFAULT_DIFFERENCE_THRESHOLD
    alpha: float = DEFAULT_ALPHA


@dataclass
class FairnessResult:
    overall: dict[str, Any]
    groups: dict[str, dict[str, Any]]
    disparities: list[dict[str, Any]]
    suppressed: list[str]
    metrics: tuple[str, ...] = RATE_METRICS
    flagged: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "groups": self.groups,
            "disparities": self.disparities,
            "suppressed": self.suppressed,
        }


def wilson_interval(
    successes: npt.NDArray[np.float64], trials: npt.NDArray[np.float64], z: float = Z_95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score interval of a binomial proportion, elementwise; NaN where ``trials`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = successes / trials
        z2 = z * z
        denominator = 1.0 + z2 / trials
        centre = (p + z2 / (2.0 * trials)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / trials + z2 / (4.0 * trials * trials)) / denominator
        return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def two_by_two_test(a_hits: int, a_total: int, b_hits: int, b_total: int) -> tuple[float, str]:
    """p-value that two proportions differ: chi-square (without continuity correction) or, when an
    expected cell count is below 5, Fisher's exact test."""
    table = np.array([[a_hits, a_total - a_hits], [b_hits, b_total - b_hits]], dtype=np.float64)
    rows, cols, total = table.sum(axis=1), table.sum(axis=0), table.sum()
    if total == 0 or (rows == 0).any() or (cols == 0).any():
        return 1.0, "none"
    expected = np.outer(rows, cols) / total
    if expected.min() < CHI_SQUARE_MIN_EXPECTED:
        return float(stats.fisher_exact(table.astype(np.int64)).pvalue), "fisher"
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return float(stats.chi2.sf(chi2, 1)), "chi-square"


def count_table(
    group_codes: npt.NDArray[np.integer[Any]],
    group_count: int,
    y_pred: npt.NDArray[np.bool_] | npt.NDArray[np.integer[Any]],
    y_true: npt.NDArray[np.integer[Any]] | None = None,
) -> npt.NDArray[np.int64]:
    """``counts[group, pred, truth + 1]``: the one pass over the rows."""
    codes = group_codes.astype(np.int64, copy=False) * _CELLS
    codes += y_pred.astype(np.int64, copy=False) * 3
    if y_true is not None:  # without truth every row stays in cell 0 (unknown) of the last axis
        codes += y_true.astype(np.int64, copy=False) + 1
    flat = np.bincount(codes, minlength=group_count * _CELLS)
    return flat.reshape(group_count, 2, 3).astype(np.int64, copy=False)


def _numerators_denominators(
    counts: npt.NDArray[np.int64],
) -> dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Per metric: (hits, trials) per row of ``counts`` (shape [..., 2, 3])."""
    n = counts.sum(axis=(-2, -1))
    predicted = counts[..., 1, :].sum(axis=-1)
    tn, fp = counts[..., 0, 1], counts[..., 1, 1]
    fn, tp = counts[..., 0, 2], counts[..., 1, 2]
    positives, negatives = tp + fn, tn + fp
    known = positives + negatives
    return {
        SELECTION_RATE: (predicted, n),
        TRUE_POSITIVE_RATE: (tp, positives),
        FALSE_POSITIVE_RATE: (fp, negatives),
        TRUE_NEGATIVE_RATE: (tn, negatives),
        FALSE_NEGATIVE_RATE: (fn, positives),
        PRECISION: (tp, tp + fp),
        ACCURACY: (tp + tn, known),
    }


def _value(hits: float, trials: float) -> float | None:
    return hits / trials if trials else None


def _ratio(value: float, reference: float) -> float | None:
    return value / reference if reference else None


def _breaches(ratio: float | None, difference: float, thresholds: Thresholds) -> bool:
    # The ratio is read both ways (min/max): a rate far above the reference is as much a disparity as one
    # far below it — for an unfavourable selection the higher rate is the disadvantaged group.
    if (
        thresholds.ratio is not None
        and ratio is not None
        and ratio > 0
        and min(ratio, 1.0 / ratio) < thresholds.ratio
    ):
        return True
    if thresholds.ratio is not None and ratio == 0:
        return True
    return thresholds.difference is not None and abs(difference) > thresholds.difference


def fairness_from_counts(
    counts: npt.NDArray[np.int64],
    labels: Sequence[str],
    *,
    metrics: Sequence[str] | None = None,
    reference: str | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    thresholds: Thresholds | None = None,
) -> FairnessResult:
    """Every metric from the count table. ``reference`` None compares each group with the rest."""
    thresholds = thresholds or Thresholds()
    has_truth = bool(counts[:, :, 1:].sum())
    wanted = tuple(metrics) if metrics is not None else RATE_METRICS
    wanted = tuple(name for name in wanted if name == SELECTION_RATE or has_truth)
    unknown = [name for name in wanted if name not in RATE_METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s): {', '.join(unknown)}")
    if reference is not None and reference not in labels:
        raise ValueError(f"reference group {reference!r} does not occur in the data")

    total = counts.sum(axis=0)
    parts = _numerators_denominators(counts)
    overall_parts = _numerators_denominators(total)
    sizes = counts.sum(axis=(1, 2))

    overall: dict[str, Any] = {"count": int(total.sum())}
    for name in wanted:
        hits, trials = overall_parts[name]
        overall[name] = _value(float(hits), float(trials))
        low, high = wilson_interval(np.array([hits], dtype=np.float64), np.array([trials], dtype=np.float64))
        overall[name + "_ci"] = None if not trials else [float(low[0]), float(high[0])]

    shown = [index for index, size in enumerate(sizes) if size >= min_group_size and size > 0]
    suppressed = sorted(labels[index] for index, size in enumerate(sizes) if 0 < size < min_group_size)
    intervals = {
        name: wilson_interval(parts[name][0].astype(np.float64), parts[name][1].astype(np.float64))
        for name in wanted
    }
    groups: dict[str, dict[str, Any]] = {}
    for index in shown:
        row: dict[str, Any] = {"count": int(sizes[index])}
        for name in wanted:
            hit_count, trial_count = int(parts[name][0][index]), int(parts[name][1][index])
            # A rate over fewer than the minimum number of people is suppressed too (a small cell).
            if trial_count < max(min_group_size, 1):
                row[name], row[name + "_ci"] = None, None
                continue
            row[name] = hit_count / trial_count
            row[name + "_ci"] = [float(intervals[name][0][index]), float(intervals[name][1][index])]
        groups[labels[index]] = row

    disparities: list[dict[str, Any]] = []
    for name in wanted:
        hits, trials = parts[name]
        comparable = [index for index in shown if groups[labels[index]][name] is not None]
        if reference is not None and reference in groups and groups[reference][name] is not None:
            ref_index = labels.index(reference)
            pairs = [(index, int(hits[ref_index]), int(trials[ref_index]), reference) for index in comparable]
            pairs = [pair for pair in pairs if pair[0] != ref_index]
        else:
            all_hits, all_trials = int(hits.sum()), int(trials.sum())
            pairs = [
                (index, all_hits - int(hits[index]), all_trials - int(trials[index]), "rest")
                for index in comparable
            ]
        for index, ref_hits, ref_trials, against in pairs:
            if ref_trials < max(min_group_size, 1):
                continue
            value = int(hits[index]) / int(trials[index])
            ref_value = ref_hits / ref_trials
            ratio = _ratio(value, ref_value)
            difference = value - ref_value
            p_value, test = two_by_two_test(int(hits[index]), int(trials[index]), ref_hits, ref_trials)
            significant = p_value < thresholds.alpha
            disparities.append(
                {
                    "metric": name,
                    "group": labels[index],
                    "reference": against,
                    "value": value,
                    "reference_value": ref_value,
                    "ratio": ratio,
                    "difference": difference,
                    "p_value": p_value,
                    "test": test,
                    "significant": significant,
                    "flagged": significant and _breaches(ratio, difference, thresholds),
                }
            )
        if len(comparable) >= 2:
            values = [(groups[labels[index]][name], labels[index]) for index in comparable]
            low_value, low_group = min(values)
            high_value, high_group = max(values)
            disparities.append(
                {
                    "metric": name,
                    "group": "between_groups",
                    "min_group": low_group,
                    "max_group": high_group,
                    "min": low_value,
                    "max": high_value,
                    "ratio": low_value / high_value if high_value else None,
                    "difference": high_value - low_value,
                }
            )
    result = FairnessResult(overall, groups, disparities, suppressed, wanted)
    result.flagged = [item for item in disparities if item.get("flagged")]
    return result


def fairness_metrics(
    group_codes: npt.NDArray[np.integer[Any]],
    labels: Sequence[str],
    y_pred: npt.NDArray[np.bool_] | npt.NDArray[np.integer[Any]],
    y_true: npt.NDArray[np.integer[Any]] | None = None,
    **options: Any,
) -> FairnessResult:
    """From row arrays: group codes into ``labels``, 0/1 predictions and optional 1/0/-1 truth."""
    counts = count_table(group_codes, len(labels), y_pred, y_true)
    return fairness_from_counts(counts, list(labels), **options)


def intersect_codes(
    first: npt.NDArray[np.integer[Any]],
    first_labels: Sequence[str],
    second: npt.NDArray[np.integer[Any]],
    second_labels: Sequence[str],
) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Codes and labels ``A|B`` of the intersection of two group columns."""
    codes = first.astype(np.int64) * len(second_labels) + second.astype(np.int64)
    labels = [f"{a}{INTERSECTION_SEPARATOR}{b}" for a in first_labels for b in second_labels]
    return codes, labels


def json_safe(value: Any) -> Any:
    """NaN and infinities as None, so the JSON stays valid."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
