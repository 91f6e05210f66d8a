"""`verantwoord assessments templates|validate|export`: questionnaire templates and assessment documents.

Exit status 0 on success, 2 when an argument is unusable or a template is invalid. `--json` gives JSON for scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verantwoord.assessments.exports import export_file
from verantwoord.assessments.models import Assessment
from verantwoord.assessments.questionnaire import (
    TemplateError,
    current_templates,
    load_template_file,
    templates,
)
from verantwoord.core.management.output import write_json, write_table

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = "Assessment templates (list, validate) and exports of an assessment as PDF or DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser(
            "templates", help="The templates shipped, with versions and question counts."
        )
        listing.add_argument("--all-versions", action="store_true", help="every version, not only the newest")
        listing.add_argument("--json", action="store_true")
        validate = sub.add_parser("validate", help="Check a template file (YAML) and report its problems.")
        validate.add_argument("file", type=Path)
        validate.add_argument("--json", action="store_true")
        export = sub.add_parser("export", help="Write an assessment as PDF or DOCX.")
        export.add_argument("id", type=int, help="the assessment's ID")
        export.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
        export.add_argument("--language", choices=["nl", "en"], default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "templates":
            self._templates(options)
        elif action == "validate":
            self._validate(options)
        else:
            self._export(options)

    def _templates(self, options: dict[str, Any]) -> None:
        chosen = list(templates().values()) if options["all_versions"] else list(current_templates().values())
        rows = [
            {
                "key": template.key,
                "version": template.version,
                "title": template.title.get("en"),
                "sourceInstrument": template.source_instrument,
                "sourceVersion": template.source_version,
                "parts": len(template.parts),
                "sections": sum(1 for _section in template.sections()),
                "questions": template.question_count,
            }
            for template in chosen
        ]
        if options["json"]:
            write_json(self, rows)
            return
        write_table(
            self,
            ["key", "version", "questions", "source"],
            [
                [
                    row["key"],
                    row["version"],
                    row["questions"],
                    f"{row['sourceInstrument']} ({row['sourceVersion']})",
                ]
                for row in rows
            ],
        )

    def _validate(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(_("No file %(path)s.") % {"path": path}, returncode=EXIT_UNUSABLE)
        try:
            template = load_template_file(path)
        except TemplateError as error:
            if options["json"]:
                write_json(self, {"valid": False, "error": str(error)})
            raise CommandError(str(error), returncode=EXIT_UNUSABLE) from error
        result = {
            "valid": True,
            "key": template.key,
            "version": template.version,
            "questions": template.question_count,
        }
        if options["json"]:
            write_json(self, result)
        else:
            self.stdout.write(
                _("%(file)s: valid — %(key)s %(version)s, %(count)s questions")
                % {
                    "file": path.name,
                    "key": template.key,
                    "version": template.version,
                    "count": template.question_count,
                }
            )

    def _export(self, options: dict[str, Any]) -> None:
        assessment = (
            Assessment.objects.select_related("algorithm", "organisation").filter(pk=options["id"]).first()
        )
        if assessment is None:
            raise CommandError(
                _("No assessment with ID %(id)s.") % {"id": options["id"]}, returncode=EXIT_UNUSABLE
            )
        data, _content_type, _name = export_file(
            assessment, file_format=options["format"], language=options["language"] or get_language() or "nl"
        )
        output: Path = options["output"]
        output.write_bytes(data)
        self.stdout.write(_("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(data)})
