"""What the checks found: precise messages, and the verdict."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGES_PER_CHECK = 20


class VerifyError(Exception):
    """One precise reason why something does not check out."""


@dataclass
class Report:
    bundle: str
    checks: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def record(self, check: str, problems: Sequence[str], summary: str) -> bool:
        shown = list(problems[:MAX_MESSAGES_PER_CHECK])
        if len(problems) > MAX_MESSAGES_PER_CHECK:
            shown.append(f"… and {len(problems) - MAX_MESSAGES_PER_CHECK} more problems of this kind")
        self.checks.append({"check": check, "ok": not problems, "detail": summary if not problems else shown})
        self.errors.extend(f"{check}: {message}" for message in shown)
        return not problems

    def merge(self, other: Report, check: str) -> None:
        """Take over one check's result (and its errors) from a report made elsewhere."""
        for item in other.checks:
            if item["check"] == check:
                self.checks.append(item)
        prefix = f"{check}: "
        self.errors.extend(error for error in other.errors if error.startswith(prefix))

    @property
    def intact(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "intact": self.intact,
            **self.facts,
            "checks": self.checks,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def as_text(self) -> Iterator[str]:
        yield f"verantwoord-verify {self.bundle}"
        if "tree_size" in self.facts:
            yield f"  origin {self.facts['origin']}, tree size {self.facts['tree_size']}, root {self.facts['root_hash']}"
        for check in self.checks:
            if check["ok"]:
                yield f"  ok    {check['check']}: {check['detail']}"
            else:
                for message in check["detail"]:
                    yield f"  FAIL  {check['check']}: {message}"
        for warning in self.warnings:
            yield f"  warn  {warning}"
        yield "INTACT" if self.intact else f"NOT INTACT: {len(self.errors)} problem(s)"
