"""`register_import`: a register file into the platform, row by row, through the register's services.

- Idempotent. A row is the same algorithm as a stored one by its algorithm ID (lars); else by its source ID
  within the organisation; a row with neither is matched on its name among the organisation's algorithms that
  have neither. Only what differs is written, so importing a file a second time writes nothing: no audit
  records, no new publication versions.
- Every row is accounted for: imported (new), updated, unchanged or skipped, and a skipped row has its reasons
  in `errors`. Each row has its own transaction, so a bad row never undoes the others; a dry run does
  everything in one transaction that is rolled back, so it reports exactly what a real run would do.
- `publish=True`: the rows of a register file are published in their source, so they are published here as
  imported (`algorithm_publish_as_imported`) — when new, changed, or not public yet; never again after a
  withdrawal or archiving here, which are local decisions. The source's publication date is kept.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from verantwoord.core.models import Organisation, User
from verantwoord.register.choices import PublicationState
from verantwoord.register.importing.formats import SourceRow, read_source
from verantwoord.register.importing.normalise import NormalisedRow, normalise_row
from verantwoord.register.importing.organisations import OrganisationResolver
from verantwoord.register.importing.overzicht import stand_in_replaceable
from verantwoord.register.importing.report import ImportReport, RowError
from verantwoord.register.models import Algorithm, Publication
from verantwoord.register.services import (
    algorithm_create,
    algorithm_publish_as_imported,
    algorithm_update,
)
from verantwoord.register.standard_format import algorithm_record, links_of
from verantwoord.register.validation import record_problems

Findings = list[tuple[str | None, str]]


class Outcome(enum.Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def register_import(
    *,
    path: Path,
    format: str | None = None,
    organisation: Organisation | None = None,
    create_organisations: bool = False,
    dry_run: bool = False,
    publish: bool = False,
    actor: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a register file: "csv" (the national register's download, Dutch or English column titles),
    "json" (our export, the submission API's records) or "overzicht" (the national register's summary);
    None detects it.

    `organisation`: import only that organisation's rows (all rows when the file names no organisation).
    Otherwise each row goes to the organisation it names; unknown ones are created when `create_organisations`.
    Raises ImportFileError when the file cannot be read as a register at all.
    """
    source = read_source(path, format)
    report = ImportReport(total=len(source.rows))
    for field, message in source.warnings:
        report.warn(row=None, field=field, message=message, algorithm_id=None)
    options: dict[str, Any] = {
        "report": report,
        "organisation": organisation,
        "create_organisations": create_organisations,
        "publish": publish,
        "actor": actor,
        "reason": f"Import {path.name}",
    }
    if dry_run:
        with transaction.atomic():
            _Import(**options).run(source.rows, progress)
            transaction.set_rollback(True)
    else:
        _Import(**options).run(source.rows, progress)
    return report


class _Import:
    def __init__(
        self,
        *,
        report: ImportReport,
        organisation: Organisation | None,
        create_organisations: bool,
        publish: bool,
        actor: User | None,
        reason: str,
    ) -> None:
        self.report, self.publish, self.actor, self.reason = report, publish, actor, reason
        self.organisations = OrganisationResolver(
            given=organisation, create=create_organisations, actor=actor, reason=reason
        )
        # The keys of all stored algorithms, read once: one query instead of one or two per row.
        self.by_lars: dict[str, int] = dict(Algorithm.objects.exclude(lars="").values_list("lars", "pk"))
        self.by_source_id: dict[tuple[int, str], int] = {
            (organisation_id, source_id): pk
            for organisation_id, source_id, pk in Algorithm.objects.exclude(source_id="").values_list(
                "organisation_id", "source_id", "pk"
            )
        }
        self.seen: dict[tuple[Any, ...], int] = {}  # algorithm key → the row of this file that had it first

    def run(self, rows: Iterable[SourceRow], progress: Callable[[int, int], None] | None) -> None:
        rows = list(rows)
        for index, source_row in enumerate(rows, start=1):
            self._row(source_row)
            if progress is not None:
                progress(index, len(rows))

    def _row(self, source_row: SourceRow) -> None:
        report = self.report
        if source_row.problem:
            report.error(row=source_row.number, field=None, message=source_row.problem, algorithm_id=None)
            report.skipped += 1
            return
        row = normalise_row(source_row)
        warnings: Findings = list(row.warnings)
        errors: Findings = list(row.errors)
        result: tuple[Outcome, Algorithm] | None = None
        if not errors:
            try:
                with transaction.atomic():
                    result = self._apply(row, warnings)
            except RowError as row_error:
                errors.append((row_error.field, row_error.message))
            except ValidationError as error:
                errors.extend(_validation_findings(error))
            except IntegrityError as error:
                errors.append((None, _("The database refused the row: %(error)s") % {"error": error}))
        algorithm_id = row.algorithm_id
        for field, message in warnings:
            report.warn(row=row.number, field=field, message=message, algorithm_id=algorithm_id)
        if result is None:
            self.organisations.forget_pending()
            for field, message in errors:
                report.error(row=row.number, field=field, message=message, algorithm_id=algorithm_id)
            report.skipped += 1
            return
        outcome, algorithm = result
        self.organisations.commit_pending()
        self._remember(row, algorithm)
        if outcome is Outcome.IMPORTED:
            report.imported += 1
        elif outcome is Outcome.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1

    def _apply(self, row: NormalisedRow, warnings: Findings) -> tuple[Outcome, Algorithm]:
        organisation = self.organisations.resolve(row.organisation_name, warnings)
        existing = self._existing(row, organisation)
        key = _row_key(row, organisation)
        if key in self.seen:
            warnings.append(
                (
                    key[0],
                    _("Row %(row)s is the same algorithm; the values of this row replace those.")
                    % {"row": self.seen[key]},
                )
            )
        if existing is None:
            if "contact_email" not in row.fields and organisation.contact_email:
                warnings.append(
                    ("contact_email", _("No contact details in the row; those of the organisation are used."))
                )
            algorithm = algorithm_create(
                actor=self.actor,
                organisation=organisation,
                data=row.fields,
                links=row.links or None,
                reason=self.reason,
            )
            outcome = Outcome.IMPORTED
        else:
            data = _changed_fields(existing, row)
            stored_links = links_of(existing)
            links = {group: items for group, items in row.links.items() if stored_links[group] != items}
            if data or links:
                algorithm = algorithm_update(
                    actor=self.actor, algorithm=existing, data=data, links=links or None, reason=self.reason
                )
                outcome = Outcome.UPDATED
            else:
                algorithm, outcome = existing, Outcome.UNCHANGED
        record = algorithm_record(algorithm)
        if (
            self.publish
            and self._publish(algorithm, record, row, warnings, new=outcome is Outcome.IMPORTED)
            and outcome is Outcome.UNCHANGED
        ):
            outcome = Outcome.UPDATED
        # What the record still lacks for our own publication checks (published imports are exempt): reported,
        # so nothing about the record's state is hidden, and over-long texts are kept with a warning.
        for problem_key, messages in record_problems(record, for_publication=True).items():
            warnings.extend((problem_key, message) for message in messages)
        return outcome, algorithm

    def _existing(self, row: NormalisedRow, organisation: Organisation) -> Algorithm | None:
        lars, source_id = row.fields.get("lars", ""), row.fields.get("source_id", "")
        pk = self.by_lars.get(lars) if lars else None
        if pk is None and source_id:
            pk = self.by_source_id.get((organisation.pk, source_id))
        if pk is None and not lars and not source_id:
            candidates = list(
                Algorithm.objects.filter(
                    organisation=organisation, lars="", source_id="", name=row.fields["name"]
                ).values_list("pk", flat=True)[:2]
            )
            if len(candidates) > 1:
                raise RowError(
                    "name",
                    _(
                        "%(organisation)s has several algorithms with this name and no algorithm ID or source "
                        "ID; give the row one of those IDs."
                    )
                    % {"organisation": organisation.name},
                )
            pk = candidates[0] if candidates else None
        if pk is None:
            return None
        algorithm = Algorithm.objects.select_related("organisation").prefetch_related("links").get(pk=pk)
        if algorithm.organisation_id != organisation.pk:
            raise RowError(
                "lars",
                _("Algorithm ID %(id)s belongs to %(organisation)s here.")
                % {"id": lars, "organisation": algorithm.organisation.name},
            )
        if lars and algorithm.lars and algorithm.lars != lars:
            raise RowError(
                "source_id",
                _("Source ID %(source_id)s belongs to the algorithm with algorithm ID %(id)s here.")
                % {"source_id": source_id, "id": algorithm.lars},
            )
        return algorithm

    def _publish(
        self,
        algorithm: Algorithm,
        record: dict[str, Any],
        row: NormalisedRow,
        warnings: Findings,
        *,
        new: bool,
    ) -> bool:
        """Publish as imported when the public content would change; True when a version was made."""
        if algorithm.archived_at is not None or algorithm.publication_state == PublicationState.WITHDRAWN:
            warnings.append((None, _("Withdrawn or archived here, so not published again.")))
            return False
        current = None  # just created: nothing is published yet, no need to ask the database
        if not new:
            current = (
                Publication.objects.filter(algorithm=algorithm, is_current=True, withdrawn_at__isnull=True)
                .values_list("content", flat=True)
                .first()
            )
        if current is not None and _public_content(current) == _public_content(record):
            return False
        algorithm_publish_as_imported(
            actor=self.actor,
            algorithm=algorithm,
            reason=self.reason,
            published_at=row.published_at,
            publication_dt=row.publication_dt if row.published_at is not None else None,
        )
        return True

    def _remember(self, row: NormalisedRow, algorithm: Algorithm) -> None:
        if algorithm.lars:
            self.by_lars[algorithm.lars] = algorithm.pk
        if algorithm.source_id:
            self.by_source_id[(algorithm.organisation_id, algorithm.source_id)] = algorithm.pk
        self.seen.setdefault(_row_key(row, algorithm.organisation), row.number)


def _row_key(row: NormalisedRow, organisation: Organisation) -> tuple[Any, ...]:
    """What makes a row the same algorithm as another row of the file (the first item is the field)."""
    if lars := row.fields.get("lars"):
        return ("lars", lars)
    if source_id := row.fields.get("source_id"):
        return ("source_id", organisation.pk, source_id)
    return ("name", organisation.pk, row.fields.get("name"))


def _changed_fields(algorithm: Algorithm, row: NormalisedRow) -> dict[str, Any]:
    stored = {name: getattr(algorithm, name) for name in ("description_short", "goal", "impacttoetsen")}
    changed: dict[str, Any] = {}
    for name, value in row.fields.items():
        if name in row.stand_ins and not stand_in_replaceable(name, stored):
            continue  # text written here wins over a value the format only derives
        if getattr(algorithm, name) != value:
            changed[name] = value
    return changed


def _public_content(content: dict[str, Any]) -> dict[str, Any]:
    """The content that makes a version: everything but the publication date."""
    return {key: value for key, value in content.items() if key != "publication_dt"}


def _validation_findings(error: ValidationError) -> Findings:
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    findings: Findings = []
    for name, messages in error.message_dict.items():
        field = None if name == NON_FIELD_ERRORS else "category" if name == "themes" else name
        findings.extend((field, message) for message in messages)
    return findings
