"""Benchmark: inclusion proofs from the database at 10 million entries, against the same proofs from memory.

    .venv/bin/python benchmarks/bench_decisionlog_proofs.py [--quick] [--json] [--entries N]

Per database, in a fresh database of its own, a log of N entries is stored exactly as the service stores it —
entry rows with their leaf hashes and the tree nodes from level 4 up (about one node per eight entries) —
written in bulk (building 10 million entries through the ingestion service would take most of an hour and
measure something else; `bench_decisionlog_ingest.py` does that). Then, for random entries:

- proof (database): `inclusion_proof(index, size, DatabaseNodeStore)` — the stored nodes above level 4 in one
  query, the ≤ 16 leaf hashes below in another — target median ≤ 1 ms;
- proof + check (database): the API's `inclusion_proof_of`, which also computes the root and checks the proof;
- floor: the same proofs from `MemoryNodeStore` (all levels in memory), measured in the same run.

Verifying a 1-million-entry export is measured by `bench_merkle.py` (the core benchmark), not repeated here.
SQLite: a file in a temporary folder; PostgreSQL when reachable (see bench_decisionlog_ingest.py), in a
database `verantwoord_bench_dl` created and dropped by this script. --quick: 1 million entries (under a minute).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_decisionlog_ingest import BENCH_DATABASE
from child_databases import on_each_database

TARGET_MEDIAN_US = 1000.0
CHUNK = 100_000


def child(size: int, samples: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from verantwoord.core import services as core_services
    from verantwoord.decisionlog import selectors, services
    from verantwoord.decisionlog.merkle import MemoryNodeStore, TreeBuilder, inclusion_proof, leaf_hash
    from verantwoord.decisionlog.models import STORED_NODE_MIN_LEVEL, DecisionLog, LogEntry, LogNode, node_key
    from verantwoord.decisionlog.storage import ENTRY_COLUMNS, bulk_insert

    call_command("migrate", verbosity=0)
    organisation = core_services.organisation_create(actor=None, name="Gemeente Bench", slug="bench")
    log = services.decision_log_of(organisation)
    with transaction.atomic():  # start empty: the governance entry of the organisation goes
        LogEntry.objects.filter(log=log).delete()
        LogNode.objects.filter(log=log).delete()

    started = time.perf_counter()

    def progress(step: str) -> None:
        print(
            f"[{connection.vendor}] {time.perf_counter() - started:7.1f} s  {step}",
            file=sys.stderr,
            flush=True,
        )

    entries = [f'{{"i":{index},"kind":"decision","v":1}}'.encode() for index in range(size)]
    leaves = b"".join(leaf_hash(entry) for entry in entries)
    store = MemoryNodeStore.from_leaf_hashes(leaves)
    builder = TreeBuilder.from_store(size, store)
    progress(f"{size:,} entries and their tree hashed in memory")
    columns = len(ENTRY_COLUMNS)
    for start in range(0, size, CHUNK):
        end = min(start + CHUNK, size)
        rows = []
        for index in range(start, end):
            row: list[Any] = [None] * columns
            row[0:6] = [
                index + 1,
                log.pk,
                index,
                "decision",
                entries[index],
                leaves[index * 32 : index * 32 + 32],
            ]
            rows.append(row)
        with transaction.atomic():
            bulk_insert(LogEntry, ENTRY_COLUMNS, rows)
        if end % (size // 10 or 1) < CHUNK:
            progress(f"{end:,} entry rows stored")
    nodes = []
    level = STORED_NODE_MIN_LEVEL
    while size >> level:
        hashes = store.get_range(level, 0, size >> level)  # once per level: it copies the whole level
        for index in range(size >> level):
            nodes.append((log.pk, node_key(level, index), hashes[index * 32 : index * 32 + 32]))
        level += 1
    for start in range(0, len(nodes), CHUNK):
        with transaction.atomic():
            bulk_insert(LogNode, ("log", "key", "hash"), nodes[start : start + CHUNK])
    DecisionLog.objects.filter(pk=log.pk).update(
        size=size, border=b"".join(builder.border), root_hash=builder.root()
    )
    progress(f"{len(nodes):,} node rows stored")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress("analysed; measuring proofs")
    build_s = time.perf_counter() - started
    del entries

    from verantwoord.decisionlog.storage import DatabaseNodeStore

    rng = random.Random(6962)
    indexes = [rng.randrange(size) for _ in range(samples)]
    database_store = DatabaseNodeStore(log.pk, size)

    def timed(function: Any) -> list[float]:
        for index in indexes[:20]:
            function(index)  # warm the caches, as a running server has them
        timings = []
        for index in indexes:
            begin = time.perf_counter_ns()
            function(index)
            timings.append((time.perf_counter_ns() - begin) / 1000)
        return timings

    database = timed(lambda index: inclusion_proof(index, size, database_store))
    checked = timed(lambda index: selectors.inclusion_proof_of(log=log, index=index, tree_size=size))
    memory = timed(lambda index: inclusion_proof(index, size, store))
    for index in indexes[:50]:
        assert inclusion_proof(index, size, database_store) == inclusion_proof(index, size, store)
    median = statistics.median(database)
    return {
        "database": connection.vendor,
        "entries": size,
        "stored_nodes": len(nodes),
        "build_s": round(build_s, 1),
        "proofs": samples,
        "median_us": round(median, 1),
        "p99_us": round(sorted(database)[int(samples * 0.99)], 1),
        "median_with_root_and_check_us": round(statistics.median(checked), 1),
        "memory_floor_median_us": round(statistics.median(memory), 1),
        "ratio_to_floor": round(median / statistics.median(memory), 1),
        "target_median_us": TARGET_MEDIAN_US,
        "ok": median <= TARGET_MEDIAN_US,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1 million entries per database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--entries", type=int, default=0)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = args.entries or (1_000_000 if args.quick else 10_000_000)
    if args.child:
        print(json.dumps(child(size, args.samples)))
        return 0
    results = on_each_database(
        __file__, ["--entries", str(size), "--samples", str(args.samples)], BENCH_DATABASE, timeout=7200
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"{'database':<11} {'entries':>11} {'median µs':>10} {'p99 µs':>8} {'+root+check':>12} {'memory µs':>10} {'ratio':>6}  target"
        )
        for row in results:
            print(
                f"{row['database']:<11} {row['entries']:>11,} {row['median_us']:>10} {row['p99_us']:>8} "
                f"{row['median_with_root_and_check_us']:>12} {row['memory_floor_median_us']:>10} "
                f"{row['ratio_to_floor']:>5}x  ≤ {TARGET_MEDIAN_US:.0f} µs {'ok' if row['ok'] else 'MISSED'}"
            )
        print("Verifying a 1-million-entry export: see benchmarks/bench_merkle.py (verify bundle).")
    return 0 if all(row["ok"] for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
