"""The engine against fairlearn's MetricFrame (the oracle, a test dependency only) and textbook values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from scipy import stats
from sklearn.metrics import accuracy_score, precision_score

from verantwoord.monitoring.metrics import (
    RATE_METRICS,
    Thresholds,
    fairness_metrics,
    intersect_codes,
    two_by_two_test,
    wilson_interval,
)

ORACLE = {
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "true_negative_rate": true_negative_rate,
    "false_negative_rate": false_negative_rate,
    "precision": lambda y_true, y_pred: precision_score(y_true, y_pred, zero_division=0),
    "accuracy": accuracy_score,
}


def _data(seed: int, rows: int, groups: int) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, groups, rows)
    rates = rng.uniform(0.05, 0.6, groups)
    y_pred = (rng.random(rows) < rates[codes]).astype(np.int8)
    y_true = np.where(rng.random(rows) < 0.7, y_pred, 1 - y_pred).astype(np.int8)
    return codes, [f"g{index}" for index in range(groups)], y_pred, y_true


@pytest.mark.parametrize(("seed", "rows", "groups"), [(1, 5_000, 3), (2, 20_000, 5), (3, 800, 7)])
def test_every_metric_equals_fairlearn_metricframe_by_group_and_overall(
    seed: int, rows: int, groups: int
) -> None:
    codes, labels, y_pred, y_true = _data(seed, rows, groups)
    result = fairness_metrics(codes, labels, y_pred, y_true, min_group_size=0)
    frame = MetricFrame(
        metrics=ORACLE, y_true=y_true, y_pred=y_pred, sensitive_features=np.array(labels)[codes]
    )
    for name in RATE_METRICS:
        assert result.overall[name] == pytest.approx(float(frame.overall[name]), abs=1e-9)
        for label in labels:
            assert result.groups[label][name] == pytest.approx(float(frame.by_group[name][label]), abs=1e-9)
    counts = np.bincount(codes, minlength=groups)
    assert [result.groups[label]["count"] for label in labels] == counts.tolist()
    # fairlearn's own disparity summaries equal our between-groups row.
    between = {item["metric"]: item for item in result.disparities if item["group"] == "between_groups"}
    for name in RATE_METRICS:
        assert between[name]["difference"] == pytest.approx(float(frame.difference()[name]), abs=1e-9)
        assert between[name]["ratio"] == pytest.approx(float(frame.ratio()[name]), abs=1e-9)


def test_intersection_of_two_columns_matches_fairlearn_with_two_sensitive_features() -> None:
    rng = np.random.default_rng(7)
    rows = 6_000
    first, second = rng.integers(0, 3, rows), rng.integers(0, 2, rows)
    y_pred = (rng.random(rows) < 0.2 + 0.1 * first).astype(np.int8)
    codes, labels = intersect_codes(first, ["a", "b", "c"], second, ["m", "v"])
    result = fairness_metrics(codes, labels, y_pred, min_group_size=0)
    frame = MetricFrame(
        metrics={"selection_rate": selection_rate},
        y_true=y_pred,
        y_pred=y_pred,
        sensitive_features={"x": np.array(["a", "b", "c"])[first], "y": np.array(["m", "v"])[second]},
    )
    for (a, b), value in frame.by_group["selection_rate"].items():
        assert result.groups[f"{a}|{b}"]["selection_rate"] == pytest.approx(value, abs=1e-9)
    assert set(result.overall) == {"count", "selection_rate", "selection_rate_ci"}


def test_wilson_interval_matches_the_textbook_formula() -> None:
    # Agresti & Coull's example: 0 successes in 10 trials -> [0, 0.2775].
    low, high = wilson_interval(np.array([0.0, 8.0]), np.array([10.0, 10.0]))
    assert low[0] == 0.0 and high[0] == pytest.approx(0.27753, abs=1e-5)
    z = 1.959963984540054
    p, n = 0.8, 10
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (low[1], high[1]) == pytest.approx((centre - half, centre + half), abs=1e-12)
    # scipy's implementation of the same interval agrees.
    ci = stats.binomtest(8, 10).proportion_ci(method="wilson")
    assert (low[1], high[1]) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_tests_use_chi_square_for_large_cells_and_fisher_for_small() -> None:
    p_value, test = two_by_two_test(210, 1000, 100, 1000)
    expected = stats.chi2_contingency(np.array([[210, 790], [100, 900]]), correction=False).pvalue
    assert test == "chi-square" and p_value == pytest.approx(expected, rel=1e-9)
    p_value, test = two_by_two_test(3, 12, 0, 15)
    assert test == "fisher"
    assert p_value == pytest.approx(stats.fisher_exact([[3, 9], [0, 15]]).pvalue, rel=1e-12)


def test_a_large_significant_disparity_is_flagged_and_a_small_one_is_not() -> None:
    rng = np.random.default_rng(11)
    rows = 30_000
    codes = rng.integers(0, 3, rows)
    rates = np.array([0.10, 0.11, 0.21])
    y_pred = (rng.random(rows) < rates[codes]).astype(np.int8)
    result = fairness_metrics(codes, ["NL", "EU", "buiten EU"], y_pred, reference="NL")
    by_group = {item["group"]: item for item in result.disparities if item.get("reference") == "NL"}
    assert by_group["buiten EU"]["flagged"] and by_group["buiten EU"]["significant"]
    assert by_group["buiten EU"]["ratio"] == pytest.approx(2.1, abs=0.15)
    # EU differs by about one point: below both thresholds, so not flagged whatever the p-value.
    assert not by_group["EU"]["flagged"]
    assert [item["group"] for item in result.flagged] == ["buiten EU"]


def test_an_unsignificant_difference_over_the_threshold_is_not_flagged() -> None:
    # 2 of 20 against 4 of 20: ratio 0.5, but with twenty people each that is well within chance.
    codes = np.repeat([0, 1], 20)
    y_pred = np.array([1] * 2 + [0] * 18 + [1] * 4 + [0] * 16)
    result = fairness_metrics(codes, ["a", "b"], y_pred, reference="a", thresholds=Thresholds(ratio=0.8))
    (item,) = [item for item in result.disparities if item["group"] == "b"]
    assert item["ratio"] == pytest.approx(2.0) and item["test"] == "fisher"
    assert not item["significant"] and not item["flagged"]


def test_small_groups_are_suppressed_everywhere() -> None:
    codes = np.array([0] * 50 + [1] * 40 + [2] * 9)
    y_pred = np.array(([1, 0] * 25) + ([1, 0, 0, 0] * 10) + [1] * 9)
    result = fairness_metrics(codes, ["a", "b", "klein"], y_pred)
    assert result.suppressed == ["klein"]
    assert "klein" not in result.groups
    assert all(item["group"] != "klein" for item in result.disparities)
    assert all("klein" not in (item.get("min_group"), item.get("max_group")) for item in result.disparities)
    # The overall still counts everyone.
    assert result.overall["count"] == 99


def test_a_rate_over_too_few_people_is_suppressed_although_the_group_is_large() -> None:
    codes = np.zeros(100, dtype=np.int64)
    y_pred = np.array([1] * 5 + [0] * 95)
    y_true = np.array([1] * 5 + [-1] * 95)  # only five outcomes known
    result = fairness_metrics(codes, ["a"], y_pred, y_true)
    assert result.groups["a"]["selection_rate"] == pytest.approx(0.05)
    assert result.groups["a"]["true_positive_rate"] is None
    assert result.groups["a"]["precision_ci"] is None


def test_unknown_reference_and_metric_are_refused() -> None:
    codes, labels, y_pred, _ = _data(1, 100, 2)
    with pytest.raises(ValueError, match="reference group"):
        fairness_metrics(codes, labels, y_pred, reference="nobody")
    with pytest.raises(ValueError, match="unknown metric"):
        fairness_metrics(codes, labels, y_pred, np.ones(100, dtype=np.int8), metrics=["recall"])
