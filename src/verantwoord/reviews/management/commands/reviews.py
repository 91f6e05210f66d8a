"""`verantwoord reviews due --organisation SLUG [--json] [--date YYYY-MM-DD] [--days N]`: the reviews due or
overdue, of the AI policy and of the algorithms.

Exit status 0 on success, 2 when the organisation does not exist or an argument is unusable.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from verantwoord.core.management.output import write_json, write_table
from verantwoord.core.models import Organisation
from verantwoord.reviews import selectors

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = "The annual reviews that are due or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser(
            "due", help="Reviews due within the reminder days (or --days), and overdue ones."
        )
        due.add_argument("--organisation", required=True, metavar="SLUG")
        due.add_argument("--date", default=None, help="as of this date (YYYY-MM-DD); default today")
        due.add_argument("--days", type=int, default=None, help="look this many days ahead")
        due.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.", returncode=EXIT_UNUSABLE)
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}", returncode=EXIT_UNUSABLE) from error
        items = selectors.reviews_due(organisation=organisation, today=today, within_days=options["days"])
        rows = [
            {
                "kind": "policy" if item.algorithm is None else "algorithm",
                "algorithmId": item.algorithm.pk if item.algorithm else None,
                "subject": item.label,
                "dueDate": item.due_date.isoformat(),
                "overdue": item.overdue,
                "daysOverdue": max((today - item.due_date).days, 0),
                "lastReviewDate": item.last_review.review_date.isoformat() if item.last_review else None,
                "owner": item.algorithm.owner.email if item.algorithm and item.algorithm.owner else None,
            }
            for item in items
        ]
        if options["json"]:
            write_json(self, {"organisation": organisation.slug, "date": today.isoformat(), "due": rows})
            return
        if not rows:
            self.stdout.write("No review is due.")
            return
        write_table(
            self,
            ["subject", "due", "status", "last review"],
            [
                [
                    row["subject"],
                    row["dueDate"],
                    "overdue" if row["overdue"] else "due",
                    row["lastReviewDate"] or "-",
                ]
                for row in rows
            ],
        )
