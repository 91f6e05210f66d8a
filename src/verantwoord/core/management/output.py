"""Shared output of management commands: a table for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand


def write_json(command: BaseCommand, data: Any) -> None:
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def write_table(command: BaseCommand, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(header)] + [len(row[index]) for row in cells]) for index, header in enumerate(headers)]
    command.stdout.write(
        "  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True))
    )
    for row in cells:
        command.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)))
