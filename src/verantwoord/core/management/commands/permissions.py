"""`verantwoord permissions`: print the permission matrix (the source of docs/permissions.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from verantwoord.core.management.output import write_json
from verantwoord.core.permission_matrix import matrix_markdown, matrix_rows


class Command(BaseCommand):
    help = "Print which role may do what, as a table, Markdown (--markdown) or JSON (--json)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--json", action="store_true")
        group.add_argument("--markdown", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            if options["json"]:
                write_json(self, matrix_rows())
            else:
                self.stdout.write(matrix_markdown(), ending="")
