"""`verantwoord fairness compute` on real CSV and Parquet files, without the database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate


def _frame(rows: int = 3_000, seed: int = 5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    nationality = rng.choice(["NL", "EU", "buiten EU"], rows, p=[0.7, 0.12, 0.18])
    gender = rng.choice(["v", "m"], rows)
    rate = np.where(nationality == "buiten EU", 0.25, 0.1)
    selected = rng.random(rows) < rate
    fraud = np.where(rng.random(rows) < 0.5, selected, ~selected)
    return pl.DataFrame(
        {
            "nationaliteit": nationality,
            "geslacht": gender,
            "besluit": np.where(selected, "onderzoek", "geen onderzoek"),
            "score": np.where(selected, 0.8, 0.3) + rng.uniform(-0.05, 0.05, rows),
            "uitkomst": np.where(fraud, "onderzoek", "geen onderzoek"),
        }
    )


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("fairness", "compute", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_json_has_the_documented_shape_and_fairlearn_values(tmp_path: Path) -> None:
    frame = _frame()
    path = tmp_path / "besluiten.csv"
    frame.write_csv(path)
    code, output = _run(
        "--input",
        str(path),
        "--group",
        "nationaliteit",
        "--y-pred",
        "besluit",
        "--y-true",
        "uitkomst",
        "--favourable",
        "onderzoek",
        "--reference",
        "NL",
        "--json",
    )
    data = json.loads(output)
    assert code == 1  # the built-in disparity is flagged
    assert set(data) == {"overall", "groups", "disparities", "suppressed"}
    y_pred = (frame["besluit"] == "onderzoek").to_numpy().astype(int)
    y_true = (frame["uitkomst"] == "onderzoek").to_numpy().astype(int)
    oracle = MetricFrame(
        metrics={"selection_rate": selection_rate, "false_positive_rate": false_positive_rate},
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=frame["nationaliteit"].to_numpy(),
    )
    for group in ("NL", "EU", "buiten EU"):
        values = data["groups"][group]
        assert values["selection_rate"] == pytest.approx(oracle.by_group["selection_rate"][group], abs=1e-9)
        assert values["false_positive_rate"] == pytest.approx(
            oracle.by_group["false_positive_rate"][group], abs=1e-9
        )
        low, high = values["selection_rate_ci"]
        assert low < values["selection_rate"] < high
    assert data["overall"]["selection_rate"] == pytest.approx(oracle.overall["selection_rate"], abs=1e-9)
    flagged = [item for item in data["disparities"] if item.get("flagged")]
    assert {(item["metric"], item["group"]) for item in flagged} >= {("selection_rate", "buiten EU")}
    assert data["suppressed"] == []


def test_parquet_with_a_score_threshold_and_an_intersection(tmp_path: Path) -> None:
    path = tmp_path / "besluiten.parquet"
    _frame().write_parquet(path)
    code, output = _run(
        "--input",
        str(path),
        "--group",
        "nationaliteit",
        "--group",
        "geslacht",
        "--y-pred",
        "score",
        "--threshold",
        "0.5",
        "--json",
    )
    data = json.loads(output)
    assert set(data["groups"]) == {f"{a}|{b}" for a in ("NL", "EU", "buiten EU") for b in ("m", "v")}
    assert "true_positive_rate" not in data["overall"]  # no --y-true: only the selection rate
    assert code == 1


def test_the_table_names_groups_intervals_and_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "besluiten.csv"
    _frame().head(200).with_columns(pl.lit("x").alias("wijk")).write_csv(path)
    code, output = _run(
        "--input",
        str(path),
        "--group",
        "nationaliteit",
        "--y-pred",
        "besluit",
        "--favourable",
        "onderzoek",
        "--min-group-size",
        "30",
    )
    assert "(overall)" in output and "selection_rate" in output and "95% interval" in output
    assert "Suppressed" in output  # EU has about 24 of these 200 rows
    assert code in {0, 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--group", "wijk", "--y-pred", "besluit"], "no column(s) wijk"),
        (["--group", "nationaliteit", "--y-pred", "besluit"], "--favourable"),
        (["--group", "nationaliteit", "--y-pred", "besluit", "--threshold", "0.5"], "not numeric"),
        (
            [
                "--group",
                "nationaliteit",
                "--y-pred",
                "besluit",
                "--favourable",
                "onderzoek",
                "--reference",
                "Mars",
            ],
            "reference group",
        ),
    ],
)
def test_clear_errors_for_unusable_columns(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "besluiten.csv"
    _frame(100).write_csv(path)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        _run("--input", str(path), *args)
    assert error.value.returncode == 2


def test_clear_errors_for_bad_files(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        _run("--input", str(tmp_path / "weg.csv"), "--group", "a", "--y-pred", "b")
    wrong = tmp_path / "besluiten.xlsx"
    wrong.write_bytes(b"PK")
    with pytest.raises(CommandError, match=r"csv or \.parquet"):
        _run("--input", str(wrong), "--group", "a", "--y-pred", "b")
    broken = tmp_path / "kapot.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(CommandError, match="cannot read"):
        _run("--input", str(broken), "--group", "a", "--y-pred", "b")
