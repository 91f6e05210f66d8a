"""Benchmark: the fairness metrics engine against fairlearn's MetricFrame and a bare numpy bincount floor.

    .venv/bin/python benchmarks/bench_monitoring_metrics.py [--quick] [--json] [--rows N]

10 million decisions (default) in 5 groups, with predictions and ground truth. Three ways to the same numbers:

- engine: `verantwoord.monitoring.metrics.fairness_metrics` — one count table, then per group and overall the
  selection rate, true/false positive/negative rates, precision and accuracy, each with a Wilson interval,
  the chi-square/Fisher test of every group against the rest, min/max disparities and verdicts;
- floor: a bare `numpy.bincount` over group x prediction x truth and the seven rates from it (no intervals,
  no tests): what any vectorised computation of these numbers must at least do;
- fairlearn: `MetricFrame` with the seven metrics (the peer; its numbers are checked against the engine's).

Targets: engine >= 100x faster than fairlearn, within 3x of the floor, peak memory (the whole process,
including the data, measured before fairlearn runs) <= 2 GB. --quick: the engine and the floor on all rows, fairlearn on a 250,000-row
subsample, its time scaled linearly to the full size (said so in the table); well under a minute.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from verantwoord.monitoring.metrics import RATE_METRICS, fairness_metrics

GROUPS = 5
TARGET_FAIRLEARN = 100.0
TARGET_FLOOR = 3.0
TARGET_MEMORY_MB = 2048


def data(rows: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, GROUPS, rows, dtype=np.int64)
    rates = np.array([0.10, 0.11, 0.21, 0.12, 0.09])
    y_pred = (rng.random(rows, dtype=np.float32) < rates[codes]).astype(np.int8)
    y_true = np.where(rng.random(rows, dtype=np.float32) < 0.8, y_pred, 1 - y_pred).astype(np.int8)
    return codes, y_pred, y_true


def floor(codes: np.ndarray, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, np.ndarray]:
    counts = np.bincount(codes * 4 + y_pred * 2 + y_true, minlength=GROUPS * 4).reshape(GROUPS, 2, 2)
    tn, fn, fp, tp = counts[:, 0, 0], counts[:, 0, 1], counts[:, 1, 0], counts[:, 1, 1]
    n = counts.sum(axis=(1, 2))
    return {
        "selection_rate": (fp + tp) / n,
        "true_positive_rate": tp / (tp + fn),
        "false_positive_rate": fp / (fp + tn),
        "true_negative_rate": tn / (tn + fp),
        "false_negative_rate": fn / (tp + fn),
        "precision": tp / (tp + fp),
        "accuracy": (tp + tn) / n,
    }


def fairlearn_frame(codes: np.ndarray, y_pred: np.ndarray, y_true: np.ndarray, labels: list[str]) -> Any:
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
        true_negative_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score, precision_score

    return MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "true_positive_rate": true_positive_rate,
            "false_positive_rate": false_positive_rate,
            "true_negative_rate": true_negative_rate,
            "false_negative_rate": false_negative_rate,
            "precision": lambda t, p: precision_score(t, p, zero_division=0),
            "accuracy": accuracy_score,
        },
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=np.array(labels)[codes],
    )


def best_of(repeats: int, function: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fairlearn on a 250,000-row subsample")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    labels = [f"groep {index + 1}" for index in range(GROUPS)]
    codes, y_pred, y_true = data(args.rows)

    engine_s, result = best_of(3, lambda: fairness_metrics(codes, labels, y_pred, y_true))
    floor_s, floor_values = best_of(3, lambda: floor(codes, y_pred, y_true))
    for name in RATE_METRICS:
        for index, label in enumerate(labels):
            assert abs(result.groups[label][name] - floor_values[name][index]) < 1e-12

    # The engine's peak: the data and every computation above (fairlearn below needs far more on its own).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    peer_rows = min(args.rows, 250_000) if args.quick else args.rows
    sample = slice(0, peer_rows)
    started = time.perf_counter()
    frame = fairlearn_frame(codes[sample], y_pred[sample], y_true[sample], labels)
    peer_measured_s = time.perf_counter() - started
    peer_s = peer_measured_s * args.rows / peer_rows
    check = fairness_metrics(codes[sample], labels, y_pred[sample], y_true[sample])
    for name in RATE_METRICS:
        for label in labels:
            assert abs(check.groups[label][name] - float(frame.by_group[name][label])) < 1e-9
    peer_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    row = {
        "rows": args.rows,
        "groups": GROUPS,
        "engine_s": round(engine_s, 4),
        "floor_s": round(floor_s, 4),
        "fairlearn_s": round(peer_s, 2),
        "fairlearn_rows_measured": peer_rows,
        "fairlearn_measured_s": round(peer_measured_s, 2),
        "fairlearn_extrapolated": peer_rows != args.rows,
        "speedup_vs_fairlearn": round(peer_s / engine_s, 1),
        "engine_vs_floor": round(engine_s / floor_s, 2),
        "peak_memory_mb": round(peak_mb),
        "peak_memory_with_fairlearn_mb": round(peer_peak_mb),
        "ok": peer_s / engine_s >= TARGET_FAIRLEARN
        and engine_s / floor_s <= TARGET_FLOOR
        and peak_mb <= TARGET_MEMORY_MB,
    }
    if args.json:
        print(json.dumps(row, indent=2))
    else:
        note = (
            f" (measured on {peer_rows:,} rows: {peer_measured_s:.2f} s, scaled linearly)"
            if row["fairlearn_extrapolated"]
            else ""
        )
        print(
            f"{args.rows:,} decisions, {GROUPS} groups, 7 metrics with Wilson intervals, tests and verdicts\n"
        )
        print(f"{'method':<22} {'seconds':>9} {'ratio':>10}  target")
        print(f"{'engine':<22} {engine_s:>9.4f} {'1.0x':>10}")
        print(
            f"{'numpy bincount floor':<22} {floor_s:>9.4f} {row['engine_vs_floor']:>9}x  engine ≤ {TARGET_FLOOR}x floor "
            f"{'ok' if row['engine_vs_floor'] <= TARGET_FLOOR else 'MISSED'}"
        )
        print(
            f"{'fairlearn MetricFrame':<22} {peer_s:>9.2f} {row['speedup_vs_fairlearn']:>9}x  ≥ {TARGET_FAIRLEARN:.0f}x "
            f"faster {'ok' if row['speedup_vs_fairlearn'] >= TARGET_FAIRLEARN else 'MISSED'}{note}"
        )
        print(
            f"\npeak memory of the process with the data, the engine and the floor: {row['peak_memory_mb']} MB "
            f"(target ≤ {TARGET_MEMORY_MB} MB) {'ok' if peak_mb <= TARGET_MEMORY_MB else 'MISSED'}; "
            f"after fairlearn ran too: {row['peak_memory_with_fairlearn_mb']} MB"
        )
    return 0 if row["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
