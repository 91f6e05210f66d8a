"""The command line: ``verantwoord-verify BUNDLE_DIR [...]``."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .bundle import Bundle, check_checkpoint, check_manifest, load_bundle_keys
from .entries import (
    check_entry_encoding,
    check_payloads,
    check_tree,
    chunk_bounds,
    digests_at_a_glance,
    digests_fingerprint,
    encoding_detail,
    encoding_problems,
    parse_claimed,
    read_entries,
)
from .notes import Checkpoint, parse_key
from .parallel import Chunks, can_fork, in_background
from .proofs import check_consistency, check_inclusion
from .report import Report, VerifyError
from .tiles import LevelNodes, TileNodes

EXIT_INTACT, EXIT_NOT_INTACT, EXIT_USAGE = 0, 1, 2


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="verantwoord-verify",
        description="Verify an exported Verantwoord decision-log bundle. Exit 0: intact; 1: not intact; 2: error.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle directory")
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="VERIFIER_KEY",
        help="a trusted verifier key <name>+<hex id>+<base64>, or a file holding one (repeatable)",
    )
    parser.add_argument(
        "--inclusion",
        type=int,
        action="append",
        default=[],
        metavar="ENTRY_INDEX",
        help="check the inclusion proof of one entry (repeatable)",
    )
    parser.add_argument(
        "--consistency",
        "--checkpoint",
        action="append",
        default=[],
        type=Path,
        dest="consistency",
        metavar="CHECKPOINT_FILE",
        help="check the bundle extends (and is not rolled back from) another signed checkpoint",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="with --inclusion/--consistency: also recompute the whole tree (the default without them)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=2 if (os.cpu_count() or 1) > 1 else 1,
        help="2 (the default with more than one core): parse the entries in a second process while this one "
        "recomputes the tree and checks the payloads; 1: all in one process",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Report:
    """Verify; raise VerifyError only for what makes verification impossible (exit 2)."""
    # Parsing a million entries allocates millions of short-lived objects and no reference cycles;
    # the cyclic garbage collector would only rescan everything alive, again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if enabled:
            gc.enable()


# Entries are parsed in chunks that either process takes as it comes free: small enough that neither waits
# long for the other at the end, large enough that claiming one costs nothing next to parsing it.
CHUNKS = 128


def _entries_on_two_cores(
    bundle: Bundle,
    manifest: dict[str, Any] | None,
    checkpoint: Checkpoint,
    entries: list[bytes],
    report: Report,
) -> list[bytes] | None:
    """Parsing the entries (the larger part of the work) in a forked child, while this process recomputes
    the tree and checks the payloads against the digests as the entries' bytes show them; then both parse
    what is left. The parsed digests are authoritative: if any differ from the glance, the payloads are
    checked again against the parsed ones."""
    chunks = Chunks(min(CHUNKS, len(entries)))
    bounds = chunk_bounds(len(entries), chunks.count)

    def parse_in_child() -> list[tuple[int, bytes, list[str]]]:
        # Fingerprints, not the digests: the answer crosses a pipe.
        return [(n, digests_fingerprint(d), problems) for n, d, problems in parse_claimed(entries, chunks)]

    pending = in_background(parse_in_child)
    levels = check_tree(bundle, checkpoint, entries, report)
    glanced = digests_at_a_glance(entries)
    payloads = Report(bundle=report.bundle)
    if levels is not None:
        check_payloads(bundle, manifest, glanced, payloads)
    own = parse_claimed(entries, chunks)
    glance_right = all(digests == glanced[slice(*bounds(n))] for n, digests, _ in own)
    found = {n: problems for n, _, problems in own}
    for n, fingerprint, problems in pending.result():
        found[n] = problems
        glance_right = glance_right and fingerprint == digests_fingerprint(glanced[slice(*bounds(n))])
    if sorted(found) != list(range(chunks.count)):
        raise VerifyError("the entries were not all parsed: a chunk went missing between the two processes")
    problems = [problem for n in sorted(found) for problem in found[n]]
    report.record("entry encoding", problems, encoding_detail(len(entries)))
    if levels is not None:
        if not glance_right:
            payloads = Report(bundle=report.bundle)
            check_payloads(bundle, manifest, encoding_problems(entries)[0], payloads)
        report.merge(payloads, "payloads")
    return levels


def _run(args: argparse.Namespace) -> Report:
    if not args.bundle.is_dir():
        raise VerifyError(f"{args.bundle} is not a directory")
    trusted = []
    for number, value in enumerate(args.key, 1):
        path = Path(value)
        text = path.read_text() if "+" not in value and path.is_file() else value
        trusted.append(parse_key(text, f"--key {number}"))
    others = []
    for path in args.consistency:
        try:
            others.append((str(path), path.read_bytes()))
        except OSError as error:
            raise VerifyError(f"cannot read {path}: {error.strerror}") from error

    bundle = Bundle(args.bundle)
    report = Report(bundle=str(args.bundle))
    manifest = check_manifest(bundle, report)
    keys = load_bundle_keys(bundle, manifest, report)
    checkpoint = check_checkpoint(bundle, manifest, keys, trusted, report)
    if checkpoint is None:
        return report
    nodes: TileNodes | LevelNodes = TileNodes(bundle.read, checkpoint.size)
    if args.full or not (args.inclusion or args.consistency):
        entries = read_entries(bundle, checkpoint.size, report)

        if args.jobs > 1 and can_fork():
            levels = _entries_on_two_cores(bundle, manifest, checkpoint, entries, report)
        else:
            levels = check_tree(bundle, checkpoint, entries, report)
            digests = check_entry_encoding(entries, report)
            if levels is not None:
                check_payloads(bundle, manifest, digests, report)
        if levels is not None:
            nodes = LevelNodes(levels)
        else:
            # Every payload after a changed entry would fail too: that says nothing new.
            report.warnings.append("payloads not checked: the entries are not those of the signed tree")
    for index in args.inclusion:
        check_inclusion(bundle, checkpoint, index, nodes, report)
    for source, data in others:
        check_consistency(source, data, checkpoint, [*keys, *trusted], nodes, report)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        report = run(args)
    except VerifyError as error:
        print(f"verantwoord-verify: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report.as_text()))
    return EXIT_INTACT if report.intact else EXIT_NOT_INTACT


if __name__ == "__main__":
    sys.exit(main())
