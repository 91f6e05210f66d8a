"""`verantwoord log append|checkpoint|export|verify|proof|erase|rotate-key`: the decision log on the command line.

Exit status: `append` 0 when every record was appended or was already there, 1 when a record was rejected
(each with its line and reason), 2 when the input or an argument is unusable. `verify` 0 intact, 1 not
intact (each problem printed), 2 unusable arguments. The others 0 on success, 2 on error. `--json` gives the
result as JSON for scripts.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.core import selectors as core_selectors
from verantwoord.core.management.output import write_json
from verantwoord.core.models import Organisation
from verantwoord.decisionlog import selectors, services
from verantwoord.decisionlog.exporting import NothingToExportError, log_export
from verantwoord.decisionlog.models import DecisionLog
from verantwoord.decisionlog.records import RecordError, parse_ndjson
from verantwoord.decisionlog.tiles import ExportError
from verantwoord.decisionlog.verification import log_verify
from verantwoord.register.models import Algorithm

EXIT_REJECTED = 1
EXIT_UNUSABLE = 2
CLI_CHUNK = 10_000


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _organisation(slug: str) -> Organisation:
    organisation = core_selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise CommandError(f"No organisation with slug {slug}.", returncode=EXIT_UNUSABLE)
    return organisation


def _log(slug: str) -> DecisionLog:
    return services.decision_log_of(_organisation(slug))


def _algorithm(organisation: Organisation, value: str) -> Algorithm:
    """By database ID, source ID or algorithm ID (LARS) of the national register."""
    algorithms = Algorithm.objects.filter(organisation=organisation)
    found = algorithms.filter(source_id=value).first() or algorithms.filter(lars=value).first()
    if found is None and value.isdigit():
        found = algorithms.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(
            f"No algorithm {value!r} in {organisation.slug} (give its ID, source ID or LARS ID).",
            returncode=EXIT_UNUSABLE,
        )
    return found


def _chunks(stream: Any) -> Iterator[tuple[list[tuple[int, object]], list[RecordError]]]:
    start = 1
    while lines := list(islice(stream, CLI_CHUNK)):
        yield parse_ndjson(lines, start)
        start += len(lines)


class Command(BaseCommand):
    help = (
        "The tamper-evident decision log: append, checkpoint, export, verify, proofs, erasure, key rotation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        append = sub.add_parser("append", help="Append NDJSON decision records read from standard input.")
        append.add_argument("--organisation", required=True, metavar="SLUG")
        append.add_argument("--algorithm", required=True, metavar="ID", help="ID, source ID or LARS ID")
        append.add_argument(
            "--atomic",
            action="store_true",
            help="all or nothing per 10,000 lines: one bad record rejects them",
        )
        append.add_argument("--json", action="store_true")

        checkpoint = sub.add_parser("checkpoint", help="Sign a checkpoint now (if the log grew).")
        checkpoint.add_argument("--organisation", required=True, metavar="SLUG")
        checkpoint.add_argument("--json", action="store_true")

        export = sub.add_parser("export", help="Write a bundle that verantwoord-verify checks.")
        export.add_argument("--organisation", required=True, metavar="SLUG")
        export.add_argument("directory", type=Path)
        export.add_argument("--no-payloads", action="store_true", help="leave the personal payloads out")
        export.add_argument(
            "--at-latest-checkpoint", action="store_true", help="do not sign a new checkpoint first"
        )
        export.add_argument("--json", action="store_true")

        verify = sub.add_parser(
            "verify", help="Check the live database as verantwoord-verify checks a bundle."
        )
        verify.add_argument("--organisation", required=True, metavar="SLUG")
        verify.add_argument("--json", action="store_true")

        proof = sub.add_parser("proof", help="An inclusion proof of an entry, or a consistency proof.")
        proof.add_argument("--organisation", required=True, metavar="SLUG")
        which = proof.add_mutually_exclusive_group(required=True)
        which.add_argument("--index", type=int, help="the entry's index")
        which.add_argument("--decision-id", help="the entry's decision_id (with --algorithm)")
        which.add_argument("--consistency", nargs=2, type=int, metavar=("OLD_SIZE", "NEW_SIZE"))
        proof.add_argument("--algorithm", metavar="ID")
        proof.add_argument("--tree-size", type=int, help="default: the latest checkpoint")
        proof.add_argument("--json", action="store_true")

        erase = sub.add_parser("erase", help="Erase a resident's personal data (GDPR art. 17).")
        erase.add_argument("--organisation", required=True, metavar="SLUG")
        erase.add_argument("--subject", required=True, help="the BSN or other identifier (not stored)")
        erase.add_argument("--reference", required=True, help="the case number of the request")
        erase.add_argument("--reason", default="")
        erase.add_argument("--json", action="store_true")

        rotate = sub.add_parser("rotate-key", help="Replace the checkpoint signing key.")
        rotate.add_argument("--organisation", required=True, metavar="SLUG")
        rotate.add_argument("--reason", default="")
        rotate.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action'].replace('-', '_')}")
        handler(options)

    def _out(self, options: dict[str, Any], data: Any, lines: list[str]) -> None:
        if options.get("json"):
            write_json(self, data)
        else:
            for line in lines:
                self.stdout.write(line)

    def _append(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        algorithm = _algorithm(organisation, options["algorithm"])
        totals: dict[str, Any] = {
            "records": 0,
            "accepted": 0,
            "rejected": 0,
            "duplicates": [],
            "errors": [],
            "firstIndex": None,
            "lastIndex": None,
            "treeSize": 0,
            "atomic": options["atomic"],
        }
        reports = services.decisions_append_batches(
            organisation=organisation,
            algorithm=algorithm,
            batches=_chunks(sys.stdin.buffer),
            source="cli",
            atomic=options["atomic"],
        )
        for report in reports:
            data = report.as_json()
            for name in ("records", "accepted", "rejected"):
                totals[name] += data[name]
            totals["duplicates"] += data["duplicates"]
            totals["errors"] += data["errors"]
            if data["firstIndex"] is not None:
                totals["firstIndex"] = (
                    totals["firstIndex"] if totals["firstIndex"] is not None else data["firstIndex"]
                )
                totals["lastIndex"] = data["lastIndex"]
            totals["treeSize"] = data["treeSize"]
        lines = [
            f"{totals['accepted']} of {totals['records']} records appended to {algorithm.name}"
            + (
                f" (indexes {totals['firstIndex']} to {totals['lastIndex']})"
                if totals["firstIndex"] is not None
                else ""
            ),
            f"{len(totals['duplicates'])} already in the log, {totals['rejected']} rejected; the log has "
            f"{totals['treeSize']} entries",
        ]
        lines += [
            f"line {error['line']}: {error['field'] or 'record'}: {error['reason']}"
            for error in totals["errors"]
        ]
        self._out(options, totals, lines)
        if totals["errors"]:
            raise CommandError(f"{totals['rejected']} records rejected", returncode=EXIT_REJECTED)

    def _checkpoint(self, options: dict[str, Any]) -> None:
        log = _log(options["organisation"])
        made = services.checkpoint_create(log=log)
        latest = selectors.latest_checkpoint(log=log)
        data: dict[str, Any] = {
            "created": made is not None,
            "size": latest.size if latest else 0,
            "rootHash": _b64(bytes(latest.root_hash)) if latest else None,
            "note": latest.note if latest else None,
        }
        verb = "Signed" if made else "Unchanged: latest"
        self._out(
            options, data, [f"{verb} checkpoint of {log.origin} at size {data['size']}", data["note"] or ""]
        )

    def _export(self, options: dict[str, Any]) -> None:
        log = _log(options["organisation"])
        try:
            manifest = log_export(
                log=log,
                directory=options["directory"],
                payloads=not options["no_payloads"],
                fresh_checkpoint=not options["at_latest_checkpoint"],
            )
        except (ExportError, NothingToExportError, LookupError) as error:
            raise CommandError(str(error), returncode=EXIT_UNUSABLE) from error
        data = {
            "directory": str(options["directory"]),
            "origin": manifest["origin"],
            "treeSize": manifest["tree_size"],
            "rootHash": manifest["root_hash"],
            "files": len(manifest["files"] or ()),
        }
        self._out(
            options,
            data,
            [
                f"Exported {data['treeSize']} entries of {data['origin']} to {data['directory']} "
                f"({data['files']} files, root {data['rootHash']})",
                f"Check it with: verantwoord-verify {data['directory']}",
            ],
        )

    def _verify(self, options: dict[str, Any]) -> None:
        report = log_verify(log=_log(options["organisation"]))
        self._out(options, report.as_json(), report.as_text())
        if not report.intact:
            raise CommandError("the log is not intact", returncode=EXIT_REJECTED)

    def _proof(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        log = services.decision_log_of(organisation)
        try:
            if options["consistency"]:
                old, new = options["consistency"]
                proof = selectors.consistency_proof_of(log=log, old_size=old, new_size=new)
                data = {
                    "oldSize": proof["old_size"],
                    "newSize": proof["new_size"],
                    "oldRootHash": _b64(proof["old_root_hash"]),
                    "newRootHash": _b64(proof["new_root_hash"]),
                    "proof": [_b64(item) for item in proof["proof"]],
                }
                lines = [f"Consistency {old} → {new}: {len(data['proof'])} hashes", *data["proof"]]
            else:
                index = options["index"]
                if index is None:
                    if not options["algorithm"]:
                        raise CommandError("--decision-id needs --algorithm", returncode=EXIT_UNUSABLE)
                    algorithm = _algorithm(organisation, options["algorithm"])
                    entry = selectors.entries_of(
                        log=log, algorithm=algorithm, decision_id=options["decision_id"]
                    ).first()
                    if entry is None:
                        raise CommandError("No such decision in the log.", returncode=EXIT_UNUSABLE)
                    index = entry.index
                proof = selectors.inclusion_proof_of(log=log, index=index, tree_size=options["tree_size"])
                data = {
                    "index": proof["index"],
                    "treeSize": proof["tree_size"],
                    "leafHash": _b64(proof["leaf_hash"]),
                    "rootHash": _b64(proof["root_hash"]),
                    "proof": [_b64(item) for item in proof["proof"]],
                    "checkpoint": proof["checkpoint"],
                }
                lines = [
                    f"Entry {data['index']} in the tree of size {data['treeSize']} (root {data['rootHash']})",
                    f"leaf hash {data['leafHash']}",
                    *data["proof"],
                ]
        except ValueError as error:
            raise CommandError(str(error), returncode=EXIT_UNUSABLE) from error
        self._out(options, data, lines)

    def _erase(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        try:
            erasure = services.subject_erase(
                actor=None,
                organisation=organisation,
                subject=options["subject"],
                reference=options["reference"],
                reason=options["reason"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages), returncode=EXIT_UNUSABLE) from error
        data = {"reference": erasure.reference, "erased": erasure.entry_count}
        self._out(
            options,
            data,
            [f"Erased the personal data of {erasure.entry_count} entries ({erasure.reference})"],
        )

    def _rotate_key(self, options: dict[str, Any]) -> None:
        log = _log(options["organisation"])
        key = services.signing_key_rotate(actor=None, log=log, reason=options["reason"])
        data = {"keyId": key.key_id, "verifierKey": selectors.verifier_key(log=log, key=key).to_string()}
        self._out(options, data, [f"New signing key {key.key_id}: {data['verifierKey']}"])
