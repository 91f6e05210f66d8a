"""The outcome of an import: counts that account for every row, and the warnings and errors row by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# One finding: {"row": 1-based data row (None for the file as a whole), "field": standard key or None,
# "message": text, "algorithm_id": lars or source ID of the row, or None}.
Finding = dict[str, Any]


class RowError(Exception):
    """The row cannot be imported; `field` and `message` say why."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@dataclass
class ImportReport:
    """Every row of the file ends up in exactly one count: imported (new), updated, unchanged or skipped.

    A skipped row has at least one error saying why; warnings never stop a row.
    """

    total: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)

    def warn(self, *, row: int | None, field: str | None, message: str, algorithm_id: str | None) -> None:
        self.warnings.append(_finding(row, field, message, algorithm_id))

    def error(self, *, row: int | None, field: str | None, message: str, algorithm_id: str | None) -> None:
        self.errors.append(_finding(row, field, message, algorithm_id))

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }


def _finding(row: int | None, field: str | None, message: str, algorithm_id: str | None) -> Finding:
    return {"row": row, "field": field, "message": str(message), "algorithm_id": algorithm_id or None}
