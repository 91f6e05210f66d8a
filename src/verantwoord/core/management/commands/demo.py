"""`verantwoord demo`: (re)load the demo organisation Gemeente Voorbeeldstad; existing data is kept."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from verantwoord.core.demo import demo_load
from verantwoord.core.management.output import write_json, write_table


class Command(BaseCommand):
    help = "Load the demo organisation 'Gemeente Voorbeeldstad' with people in every role. Safe to re-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        if options["json"]:
            write_json(self, asdict(summary))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {summary.organisation} ({summary.slug})"))
        if summary.created:
            self.stdout.write("Created: " + ", ".join(summary.created))
        for area, details in summary.areas.items():
            self.stdout.write(f"{area}: " + ", ".join(f"{key} {value}" for key, value in details.items()))
        self.stdout.write(f"Demo logins (password for all: {summary.password}):")
        write_table(
            self, ["username", "role"], [[login["username"], login["role"]] for login in summary.logins]
        )
