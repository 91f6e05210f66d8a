"""Fairness metrics from a CSV or Parquet file, for auditors and data scientists (no database).

Columns are read with Polars and turned into the engine's arrays: group labels into codes (sorted labels),
the prediction into 0/1 (equal to the favourable value given, or a score at or above a threshold) and the
ground truth into 1/0, or -1 where it is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from verantwoord.monitoring.metrics import FairnessResult, fairness_metrics, intersect_codes

MISSING_GROUP = "(missing)"
_TRUE_LIKE = ("1", "true", "True", "TRUE", "yes", "ja")


class FairnessInputError(ValueError):
    """The file or the columns asked for cannot be used; the message says why."""


def read_table(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    if not path.is_file():
        raise FairnessInputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            schema_names = pl.read_parquet_schema(path).keys()
            frame_columns = list(schema_names)
        elif suffix in {".csv", ".txt"}:
            frame_columns = pl.read_csv(path, n_rows=0).columns
        else:
            raise FairnessInputError(f"{path}: give a .csv or .parquet file")
        missing = [name for name in columns if name not in frame_columns]
        if missing:
            raise FairnessInputError(
                f"{path}: no column(s) {', '.join(missing)}; the file has: {', '.join(frame_columns)}"
            )
        wanted = list(dict.fromkeys(columns))
        if suffix == ".parquet":
            return pl.read_parquet(path, columns=wanted)
        # Every column as text: "0"/"1" and labels compare as written, whatever the inference makes of them.
        return pl.read_csv(path, columns=wanted, infer_schema=False)
    except FairnessInputError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise FairnessInputError(f"{path}: cannot read the file ({error})") from error


def group_codes(column: pl.Series) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Codes into the sorted distinct labels; an empty value is its own group, ``(missing)``."""
    text = column.cast(pl.String).fill_null(MISSING_GROUP)
    labels = sorted(text.unique().to_list())
    codes = text.cast(pl.Enum(labels)).to_physical().to_numpy().astype(np.int64)
    return codes, labels


def _positive_value(column: pl.Series, favourable: str | None, name: str) -> str:
    if favourable is not None:
        return favourable
    values = set(column.cast(pl.String).drop_nulls().unique().to_list())
    for candidate in _TRUE_LIKE:
        if candidate in values and len(values) <= 2:
            return candidate
    raise FairnessInputError(
        f"column {name} has the values {', '.join(sorted(values)[:10])}: say which is the favourable "
        "(positive) outcome with --favourable"
    )


def binary_column(
    column: pl.Series, *, favourable: str | None, threshold: float | None, name: str, allow_unknown: bool
) -> npt.NDArray[np.int8]:
    """1 where the value is the favourable one (or a score ≥ threshold), else 0; -1 where empty."""
    if threshold is not None:
        try:
            scores = column.cast(pl.Float64, strict=True)
        except pl.exceptions.PolarsError as error:
            raise FairnessInputError(f"column {name} is not numeric, so it has no threshold") from error
        values = (scores >= threshold).cast(pl.Int8)
    else:
        positive = _positive_value(column, favourable, name)
        values = (column.cast(pl.String) == positive).cast(pl.Int8)
    if values.null_count():
        if not allow_unknown:
            raise FairnessInputError(f"column {name} has {values.null_count()} empty value(s)")
        values = values.fill_null(-1)
    return values.to_numpy().astype(np.int8)


def fairness_from_file(
    path: Path,
    *,
    groups: Sequence[str],
    y_pred: str,
    y_true: str | None = None,
    favourable: str | None = None,
    threshold: float | None = None,
    **options: Any,
) -> FairnessResult:
    if not 1 <= len(groups) <= 2:
        raise FairnessInputError("give one or two group columns (two for their intersection)")
    columns = [*groups, y_pred, *([y_true] if y_true else [])]
    frame = read_table(path, columns)
    if frame.height == 0:
        raise FairnessInputError(f"{path}: the file has no rows")
    codes, labels = group_codes(frame[groups[0]])
    if len(groups) == 2:
        second, second_labels = group_codes(frame[groups[1]])
        codes, labels = intersect_codes(codes, labels, second, second_labels)
    predictions = binary_column(
        frame[y_pred], favourable=favourable, threshold=threshold, name=y_pred, allow_unknown=False
    )
    truth = None
    if y_true:
        # The truth is a label, never a score: the favourable value (or 1/true) counts as positive.
        truth = binary_column(
            frame[y_true],
            favourable=favourable if threshold is None else None,
            threshold=None,
            name=y_true,
            allow_unknown=True,
        )
    return fairness_metrics(codes, labels, predictions, truth, **options)
