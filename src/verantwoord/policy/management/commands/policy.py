"""`verantwoord policy build --organisation SLUG --format docx|pdf|html [--version N] [--language nl|en] -o FILE`:
the AI policy document as a file.

Without --version the version in force (adopted) is built; an organisation without one gets its newest version
(the draft being written). Exit status 0 on success, 2 when an argument is unusable (unknown organisation, no such
version, a path that cannot be written). Messages are in the chosen language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from verantwoord.core.models import Organisation
from verantwoord.core.selectors import organisation_by_slug
from verantwoord.policy import selectors
from verantwoord.policy.builder import build_document
from verantwoord.policy.exports import FORMATS, export_document
from verantwoord.policy.models import PolicyVersion
from verantwoord.policy.sections import LANGUAGES

EXIT_UNUSABLE = 2


def _version(organisation: Organisation, number: int | None) -> PolicyVersion:
    if number is not None:
        version = selectors.policy_version(organisation=organisation, number=number)
        if version is None:
            raise CommandError(
                _("%(organisation)s has no version %(number)s of the AI policy.")
                % {"organisation": organisation.name, "number": number},
                returncode=EXIT_UNUSABLE,
            )
        return version
    version = selectors.adopted_version(organisation=organisation) or selectors.latest_version(
        organisation=organisation
    )
    if version is None:
        raise CommandError(
            _("%(organisation)s has no AI policy yet; start a version on the policy page first.")
            % {"organisation": organisation.name},
            returncode=EXIT_UNUSABLE,
        )
    return version


class Command(BaseCommand):
    help = "The AI policy document as DOCX, PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Write the AI policy document of an organisation to a file.")
        build.add_argument("--organisation", required=True, metavar="SLUG")
        build.add_argument("--format", choices=FORMATS, required=True)
        build.add_argument(
            "--version",
            type=int,
            default=None,
            metavar="N",
            dest="number",
            help="the version number (default: the adopted version, else the newest)",
        )
        build.add_argument("--language", choices=LANGUAGES, default=None)
        build.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"] or settings.LANGUAGE_CODE
        with translation.override(language):
            self._build(options, language)

    def _build(self, options: dict[str, Any], language: str) -> None:
        organisation = organisation_by_slug(slug=options["organisation"])
        if organisation is None:
            raise CommandError(
                _("No organisation with slug %(slug)s.") % {"slug": options["organisation"]},
                returncode=EXIT_UNUSABLE,
            )
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(
                _("Cannot write %(path)s: the folder %(folder)s does not exist.")
                % {"path": output, "folder": output.parent},
                returncode=EXIT_UNUSABLE,
            )
        version = _version(organisation, options["number"])
        document = build_document(version, language)
        data = export_document(document, file_format=options["format"])
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": output, "reason": error.strerror or error},
                returncode=EXIT_UNUSABLE,
            ) from error
        self.stdout.write(
            _("Wrote version %(number)s (%(status)s) of the AI policy of %(organisation)s to %(path)s.")
            % {
                "number": document.version_number,
                "status": document.status,
                "organisation": organisation.name,
                "path": output,
            }
        )
