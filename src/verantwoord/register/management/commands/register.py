"""`verantwoord register list|import|export`: the algorithm register on the command line.

Exit status of `import`: 0 when every row was imported, updated or unchanged (warnings allowed); 1 when at least
one row was skipped (each skipped row has its errors in the output, which is written in full first); 2 when the
file cannot be read as a register at all, or an argument is wrong (as argparse does). A dry run exits the same
way, so it can check a file in a script.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verantwoord.core import selectors as core_selectors
from verantwoord.core.management.output import write_json, write_table
from verantwoord.core.models import Organisation
from verantwoord.register import exporting, selectors
from verantwoord.register.importing import ImportFileError, ImportReport, register_import
from verantwoord.register.importing.formats import FORMATS

EXIT_ROWS_SKIPPED = 1
EXIT_UNREADABLE = 2
# The human summary groups warnings by field and message; the most frequent are shown, --json gives them all.
SHOWN_WARNING_GROUPS = 15


class ProgressBar:
    """`[#########---------]  512/1530` on one terminal line, redrawn in place; a new line at the end."""

    width = 30

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        # Redraw only when the bar or the thousandth changes: a terminal is slow next to an import.
        step = 1000 * done // total if total else 1000
        if step == self.shown and done != total:
            return
        self.shown = step
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done:>{len(str(total))}}/{total}", ending="")
        if done == total:
            self.stream.write("")
        self.stream.flush()


def _organisation(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    organisation = core_selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise CommandError(
            _("No organisation with slug %(slug)s.") % {"slug": slug}, returncode=EXIT_UNREADABLE
        )
    return organisation


class Command(BaseCommand):
    help = "List, import and export the algorithm register (publication standard 1.0)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        listing = sub.add_parser(
            "list", help="List the algorithms (not archived) of one or all organisations."
        )
        listing.add_argument("--organisation", metavar="SLUG")
        listing.add_argument("--json", action="store_true")

        importing = sub.add_parser(
            "import",
            help="Import a register file. Exit status: 0 all rows done, 1 rows skipped, 2 file unreadable.",
        )
        importing.add_argument("file", type=Path)
        importing.add_argument("--format", choices=FORMATS, help="Default: detected from the file.")
        whose = importing.add_mutually_exclusive_group()
        whose.add_argument(
            "--organisation",
            metavar="SLUG",
            help="Import only this organisation's rows (all, if none is named).",
        )
        whose.add_argument(
            "--create-organisations", action="store_true", help="Create the organisations the file names."
        )
        importing.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; save nothing."
        )
        importing.add_argument(
            "--publish", action="store_true", help="Publish the records as they are published in the source."
        )
        importing.add_argument("--json", action="store_true")

        export = sub.add_parser("export", help="Export the public register.")
        export.add_argument("--format", choices=("csv", "json"), required=True)
        export.add_argument("--organisation", metavar="SLUG")
        export.add_argument("-o", "--output", type=Path, metavar="FILE", help="Default: standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options)
        elif options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _list(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        organisations = [organisation] if organisation else list(core_selectors.organisations_public())
        rows = [
            {
                "slug": item.slug,
                "id": algorithm.pk,
                "name": algorithm.name,
                "status": algorithm.status,
                "publicationState": algorithm.publication_state,
            }
            for item in organisations
            for algorithm in selectors.algorithms_of(organisation=item)
        ]
        if options["json"]:
            write_json(self, rows)
            return
        write_table(
            self,
            ["slug", "id", "name", "status", "state"],
            [[row["slug"], row["id"], row["name"], row["status"], row["publicationState"]] for row in rows],
        )

    def _import(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        progress = ProgressBar(self.stderr) if self.stderr.isatty() else None
        try:
            report = register_import(
                path=options["file"],
                format=options["format"],
                organisation=organisation,
                create_organisations=options["create_organisations"],
                dry_run=options["dry_run"],
                publish=options["publish"],
                actor=None,
                progress=progress,
            )
        except ImportFileError as error:
            raise CommandError(str(error), returncode=EXIT_UNREADABLE) from error
        if options["json"]:
            write_json(self, report.as_dict())
        else:
            self._summary(report, path=options["file"], dry_run=options["dry_run"])
        if report.skipped:
            raise CommandError(
                ngettext("%(count)s row was skipped.", "%(count)s rows were skipped.", report.skipped)
                % {"count": report.skipped},
                returncode=EXIT_ROWS_SKIPPED,
            )

    def _summary(self, report: ImportReport, *, path: Path, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        self.stdout.write(
            _(
                "%(path)s: %(total)s rows — %(imported)s imported, %(updated)s updated, %(unchanged)s unchanged, "
                "%(skipped)s skipped."
            )
            % {"path": path.name, **report.as_dict()}
        )
        for error in report.errors:
            self.stdout.write(self.style.ERROR(_finding_line(error)))
        if report.warnings:
            self.stdout.write(
                ngettext("%(count)s warning:", "%(count)s warnings:", len(report.warnings))
                % {"count": len(report.warnings)}
            )
            groups = Counter((w["field"] or "", w["message"]) for w in report.warnings)
            for (field, message), count in groups.most_common(SHOWN_WARNING_GROUPS):
                self.stdout.write(f"  {count:>5}  {field + ': ' if field else ''}{message}")
            if len(groups) > SHOWN_WARNING_GROUPS:
                self.stdout.write(_("  … and more: --json lists every warning with its row."))

    def _export(self, options: dict[str, Any]) -> None:
        publications = selectors.public_publications(organisation=_organisation(options["organisation"]))
        exporter = exporting.export_csv if options["format"] == "csv" else exporting.export_json
        body = exporter(publications)
        if options["output"] is None:
            self.stdout.write(body, ending="")
            return
        # newline="": the CSV's CRLF line endings are part of the format and are written as they are.
        options["output"].write_text(body, encoding="utf-8", newline="")
        self.stderr.write(_("Written: %(path)s") % {"path": options["output"]})


def _finding_line(finding: dict[str, Any]) -> str:
    where = _("row %(row)s") % {"row": finding["row"]} if finding["row"] is not None else _("file")
    field = f", {finding['field']}" if finding["field"] else ""
    return f"{where}{field}: {finding['message']}"
