"""`verantwoord fairness compute`: fairness metrics of a CSV or Parquet file, without the database.

Exit status 0 when nothing is flagged, 1 when a disparity is flagged (significant and over a threshold),
2 when the file or an argument is unusable. `--json` prints the result in the documented format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.core.management.output import write_json, write_table
from verantwoord.monitoring.datafiles import FairnessInputError, fairness_from_file
from verantwoord.monitoring.metrics import (
    DEFAULT_ALPHA,
    DEFAULT_DIFFERENCE_THRESHOLD,
    DEFAULT_MIN_GROUP_SIZE,
    DEFAULT_RATIO_THRESHOLD,
    FairnessResult,
    Thresholds,
    json_safe,
)

EXIT_FLAGGED = 1
EXIT_UNUSABLE = 2


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _interval(value: list[float] | None) -> str:
    return "-" if value is None else f"[{value[0]:.4f}, {value[1]:.4f}]"


class Command(BaseCommand):
    help = "Fairness metrics (per group, with intervals, disparities and verdicts) of a CSV or Parquet file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="Compute the metrics of a file.")
        compute.add_argument("--input", required=True, type=Path, metavar="FILE", help=".csv or .parquet")
        compute.add_argument(
            "--group",
            required=True,
            action="append",
            metavar="COLUMN",
            help="group column; give it twice for the intersection A|B of two columns",
        )
        compute.add_argument("--y-pred", required=True, metavar="COLUMN", help="the decision or score")
        compute.add_argument("--y-true", metavar="COLUMN", help="the actual outcome (empty = unknown)")
        compute.add_argument(
            "--favourable",
            metavar="VALUE",
            help="the value counted as the positive (selected) outcome; default 1 or true",
        )
        compute.add_argument("--threshold", type=float, help="--y-pred is a score: positive when ≥ this")
        compute.add_argument("--reference", metavar="GROUP", help="compare with this group (default: rest)")
        compute.add_argument("--min-group-size", type=int, default=DEFAULT_MIN_GROUP_SIZE)
        compute.add_argument("--ratio-threshold", type=float, default=DEFAULT_RATIO_THRESHOLD)
        compute.add_argument("--difference-threshold", type=float, default=DEFAULT_DIFFERENCE_THRESHOLD)
        compute.add_argument("--alpha", type=float, default=DEFAULT_ALPHA)
        compute.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["min_group_size"] < 0:
            raise CommandError("--min-group-size cannot be negative", returncode=EXIT_UNUSABLE)
        try:
            result = fairness_from_file(
                options["input"],
                groups=options["group"],
                y_pred=options["y_pred"],
                y_true=options["y_true"],
                favourable=options["favourable"],
                threshold=options["threshold"],
                reference=options["reference"],
                min_group_size=options["min_group_size"],
                thresholds=Thresholds(
                    ratio=options["ratio_threshold"],
                    difference=options["difference_threshold"],
                    alpha=options["alpha"],
                ),
            )
        except (FairnessInputError, ValueError) as error:
            raise CommandError(str(error), returncode=EXIT_UNUSABLE) from error
        if options["json"]:
            write_json(self, json_safe(result.as_json()))
        else:
            self._table(result)
        if result.flagged:
            raise SystemExit(EXIT_FLAGGED)

    def _table(self, result: FairnessResult) -> None:
        headers = ["group", "count"]
        for name in result.metrics:
            headers += [name, "95% interval"]
        rows: list[list[Any]] = [
            ["(overall)", result.overall["count"]]
            + [
                cell
                for name in result.metrics
                for cell in (_number(result.overall[name]), _interval(result.overall[name + "_ci"]))
            ]
        ]
        for group, values in result.groups.items():
            row: list[Any] = [group, values["count"]]
            for name in result.metrics:
                row += [_number(values[name]), _interval(values[name + "_ci"])]
            rows.append(row)
        write_table(self, headers, rows)
        if result.suppressed:
            self.stdout.write(
                f"\nSuppressed (fewer than the minimum group size): {', '.join(result.suppressed)}"
            )
        self.stdout.write("\nDisparities against the reference:")
        compared = [item for item in result.disparities if item["group"] != "between_groups"]
        write_table(
            self,
            ["metric", "group", "versus", "ratio", "difference", "p", "test", "verdict"],
            [
                [
                    item["metric"],
                    item["group"],
                    item["reference"],
                    _number(item["ratio"]),
                    _number(item["difference"]),
                    f"{item['p_value']:.3g}",
                    item["test"],
                    "FLAGGED" if item["flagged"] else ("significant" if item["significant"] else "-"),
                ]
                for item in compared
            ],
        )
        flagged = len(result.flagged)
        self.stdout.write(f"\n{flagged} disparit{'y' if flagged == 1 else 'ies'} flagged.")
