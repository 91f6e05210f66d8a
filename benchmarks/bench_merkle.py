"""Decision-log benchmarks: proofs from stored level hashes, appends, and the bundle verifier.

(a) inclusion proofs at 10 million leaves (``--quick``: 1 million) from a ``MemoryNodeStore`` — the
    same complete-subtree hashes the database keeps; target median ≤ 1 ms per proof;
(b) appends through ``TreeBuilder`` (what ingestion does per entry);
(c) ``verantwoord-verify`` as an auditor runs it (both cores where there are two; one core shown too)
    over an exported bundle of 1 million entries (``--quick``: 200,000)
    shaped like the service's: decision entries of about 440 bytes with nested objects, and their
    payloads (one in ten erased) — against raw ``hashlib.sha256`` over the same leaf bytes as the floor;
    target ≥ 100,000 entries/s.

    .venv/bin/python benchmarks/bench_merkle.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from verantwoord.decisionlog.canonical import commit_payload, encode_entry
from verantwoord.decisionlog.checkpoints import Checkpoint, SigningKey, sign_checkpoint
from verantwoord.decisionlog.merkle import (
    MemoryNodeStore,
    TreeBuilder,
    inclusion_proof,
    leaf_hash,
    root_at,
    verify_inclusion,
)
from verantwoord.decisionlog.tiles import PayloadRecord, PublishedKey, export_bundle

ORIGIN = "verantwoord.example/bench"
TOOLS = Path(__file__).resolve().parents[1] / "tools" / "verify"
PROOF_TARGET_US = 1000.0
VERIFY_TARGET = 100_000.0


def bench_proofs(size: int, samples: int) -> dict[str, Any]:
    started = time.perf_counter()
    leaves = b"".join(hashlib.sha256(b"\x00" + i.to_bytes(8, "big")).digest() for i in range(size))
    store = MemoryNodeStore.from_leaf_hashes(leaves)
    build_s = time.perf_counter() - started
    root = root_at(size, store)
    rng = random.Random(6962)
    indexes = [rng.randrange(size) for _ in range(samples)]
    timings = []
    for index in indexes:
        begin = time.perf_counter_ns()
        inclusion_proof(index, size, store)
        timings.append((time.perf_counter_ns() - begin) / 1000)
    for index in indexes[:100]:  # the proofs timed are proofs: check a hundred of them
        verify_inclusion(
            leaves[index * 32 : index * 32 + 32], index, size, inclusion_proof(index, size, store), root
        )
    timings.sort()
    return {
        "leaves": size,
        "build_levels_s": round(build_s, 2),
        "proofs": samples,
        "median_us": round(statistics.median(timings), 1),
        "p99_us": round(timings[int(len(timings) * 0.99)], 1),
        "target_median_us": PROOF_TARGET_US,
        "ok": statistics.median(timings) <= PROOF_TARGET_US,
    }


def bench_appends(count: int) -> dict[str, Any]:
    builder, store = TreeBuilder(), MemoryNodeStore()
    entries = [encode_entry({"seq": i, "kind": "decision"}) for i in range(count)]
    started = time.perf_counter()
    for entry in entries:
        store.put(builder.append(entry))
    elapsed = time.perf_counter() - started
    return {
        "entries": count,
        "entries_per_s": round(count / elapsed),
        "us_per_append": round(elapsed / count * 1e6, 2),
    }


def make_bundle(directory: Path, count: int) -> list[bytes]:
    """A bundle shaped like a real export: decision entries and payloads with the keys, nesting and sizes
    the ingestion service writes (an entry of about 440 bytes, a payload line of about 340)."""
    key = SigningKey.generate(ORIGIN)
    entries, payloads = [], []
    districts = ("Noord", "Oost", "Zuid", "West", "Centrum")
    for i in range(count):
        score = (i * 7919 % 1000) / 1000
        payload = {
            "explanation": f"Score {score:.2f} {'boven' if score >= 0.7 else 'onder'} de drempel 0,70.",
            "inputs": {
                "aanvraag": "nieuw" if i % 3 else "verlenging",
                "huishouden": "alleenstaand" if i % 2 else "gezin",
                "inkomstenbron": "andere uitkering",
                "wijk": districts[i % 5],
            },
            "pseudonym": hashlib.sha256(f"{100000000 + i}".encode()).hexdigest(),
        }
        commitment = commit_payload(payload)
        entries.append(
            encode_entry(
                {
                    "algorithm": 2,
                    "decided_at": f"2026-08-{1 + i % 28:02d}T{i % 24:02d}:13:45Z",
                    "decision": "onderzoek" if score >= 0.7 else "geen onderzoek",
                    "decision_id": f"BIJ-2026-{i:08d}",
                    "group_digest": hashlib.sha256(b"g" + i.to_bytes(8, "big")).hexdigest(),
                    "human_review": {"overridden": False, "reviewed": score >= 0.7},
                    "kind": "decision",
                    "model_version": "3.1.0",
                    "output": score,
                    "payload_digest": commitment.digest_hex,
                    "received_at": "2026-12-04T17:42:56.025Z",
                    "source": "bijstand-risicomodel",
                    "v": 1,
                }
            )
        )
        # One in ten payloads erased, as after deletion requests and retention.
        payloads.append(PayloadRecord(i) if i % 10 == 0 else PayloadRecord(i, commitment.salt, payload))
    store = MemoryNodeStore.from_leaf_hashes(b"".join(leaf_hash(entry) for entry in entries))
    note = sign_checkpoint(Checkpoint(ORIGIN, count, root_at(count, store)), [key])
    export_bundle(
        directory,
        entries=entries,
        checkpoint_note=note,
        keys=[PublishedKey(key.verifier())],
        payloads=payloads,
        store=store,
    )
    return entries


def load_verifier() -> ModuleType:
    """The stand-alone verifier's command-line module, imported from tools/verify."""
    sys.path.insert(0, str(TOOLS))
    return importlib.import_module("verantwoord_verify.cli")


def bench_verify(count: int) -> dict[str, Any]:
    verifier = load_verifier()
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary) / "bundle"
        started = time.perf_counter()
        entries = make_bundle(directory, count)
        export_s = time.perf_counter() - started

        started = time.perf_counter()
        for entry in entries:
            hashlib.sha256(b"\x00" + entry).digest()
        floor_s = time.perf_counter() - started
        # Measure the verifier, not the write-back of the export or the generator's garbage.
        del entries
        gc.collect()
        os.sync()

        # As an auditor runs it (no --jobs: both cores where there are two), and on one core.
        timings = {}
        for name, options in (("default", []), ("one_job", ["--jobs", "1"])):
            started = time.perf_counter()
            report = verifier.run(verifier.parse_arguments([str(directory), *options]))
            timings[name] = time.perf_counter() - started
            if not report.intact:
                raise SystemExit(f"the benchmark bundle did not verify: {report.errors}")
    verify_s = timings["default"]
    return {
        "entries": count,
        "jobs": verifier.parse_arguments([str(directory)]).jobs,
        "make_and_export_s": round(export_s, 1),
        "verify_s": round(verify_s, 2),
        "entries_per_s": round(count / verify_s),
        "verify_one_job_s": round(timings["one_job"], 2),
        "entries_per_s_one_job": round(count / timings["one_job"]),
        "sha256_floor_s": round(floor_s, 3),
        "sha256_floor_entries_per_s": round(count / floor_s),
        "ratio_to_floor": round(verify_s / floor_s, 1),
        "target_entries_per_s": VERIFY_TARGET,
        "ok": count / verify_s >= VERIFY_TARGET,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="1 million leaves, 200,000 entries: under a minute"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {
        "inclusion_proof": bench_proofs(
            1_000_000 if args.quick else 10_000_000, 2_000 if args.quick else 10_000
        ),
        "append": bench_appends(50_000 if args.quick else 200_000),
        "verify_bundle": bench_verify(200_000 if args.quick else 1_000_000),
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        proofs, appends, verify = results["inclusion_proof"], results["append"], results["verify_bundle"]
        rows = [
            (
                "inclusion proof",
                f"{proofs['leaves']:,} leaves",
                f"median {proofs['median_us']} µs, p99 {proofs['p99_us']} µs",
                f"≤ {PROOF_TARGET_US:.0f} µs",
                proofs["ok"],
            ),
            ("  levels built", "", f"{proofs['build_levels_s']} s", "", None),
            (
                "append (TreeBuilder)",
                f"{appends['entries']:,} entries",
                f"{appends['entries_per_s']:,} /s",
                "",
                None,
            ),
            (
                f"verify bundle (--jobs {verify['jobs']})",
                f"{verify['entries']:,} entries",
                f"{verify['entries_per_s']:,} entries/s",
                f"≥ {VERIFY_TARGET:,.0f} /s",
                verify["ok"],
            ),
            (
                "  with --jobs 1",
                "",
                f"{verify['entries_per_s_one_job']:,} entries/s",
                "",
                None,
            ),
            (
                "  sha256 floor",
                "",
                f"{verify['sha256_floor_entries_per_s']:,} entries/s",
                f"ratio {verify['ratio_to_floor']}x",
                None,
            ),
        ]
        for name, scale, figure, target, ok in rows:
            mark = "" if ok is None else ("ok" if ok else "MISSED")
            print(f"{name:<26} {scale:<20} {figure:<34} {target:<14} {mark}")
    return 0 if results["inclusion_proof"]["ok"] and results["verify_bundle"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
