"""Benchmark: bulk ingest of decisions through the service against a raw batched insert of the same rows.

    .venv/bin/python benchmarks/bench_decisionlog_ingest.py [--quick] [--json] [--records N]

Per database, in a fresh database of its own:

- service: `decisions_append_batches`, the bulk path of `verantwoord log append`, over batches of 10,000
  realistic records (subject, inputs, review, explanation, group attributes) — validation, pseudonyms, salted
  payload digests, encrypted group attributes, canonical entries, leaf and tree hashes, the locked append
  with its tree nodes and head, one durable transaction per batch; each batch is prepared in a forked child
  while this process writes the one before;
- one at a time (for comparison, not the target): `decisions_append` per batch, as one HTTP request after
  another, for another algorithm with other subjects, run first;
- floor: the very rows the service wrote (entries, payloads, group attributes), deleted and inserted again into
  the same tables with one batched statement per table and batch — `executemany` on SQLite, `COPY` on
  PostgreSQL — with no validation, no hashing and no tree. Both count records per second (a record is its
  entry row with its payload and group-attribute rows); the target is service >= 0.5 x floor.

SQLite: a file in a temporary folder. PostgreSQL when reachable: on the server of DATABASE_URL when that points
at PostgreSQL, else postgres://postgres@127.0.0.1:5432, in a database `verantwoord_bench_dl` that this script
creates and drops. Each database runs in a child process (Django reads its settings once per process).
--quick: 20,000 records per database in batches of 2,000 (well under a minute in all): with two batches of
10,000 the second core would have nothing to overlap, since preparing the first batch is never hidden.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child_databases import on_each_database

BENCH_DATABASE = "verantwoord_bench_dl"
BATCH = 10_000
QUICK_BATCH = 2_000
TARGET_RATIO = 0.5


def records(count: int, offset: int = 0) -> list[dict[str, Any]]:
    import datetime

    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    result = []
    for number in range(offset, offset + count):
        investigate = number % 9 == 0
        result.append(
            {
                "decision_id": f"BIJ-{number:08d}",
                "decided_at": (start + datetime.timedelta(seconds=number % 5_000_000)).isoformat(),
                "subject": f"{100000000 + number}",
                "model_version": "3.1.0",
                "inputs": {
                    "aanvraag": "nieuw",
                    "huishouden": "alleenstaand" if number % 3 else "gezin met kinderen",
                    "inkomstenbron": "deeltijdwerk",
                    "wijk": "Noord",
                },
                "output": round((number % 97) / 100, 2),
                "decision": "onderzoek" if investigate else "geen onderzoek",
                "human_review": {"reviewed": investigate, "overridden": False, "reviewer": "consulent-07"},
                "explanation": "Score onder de drempel 0,70."
                if not investigate
                else "Score boven de drempel.",
                "group_attributes": {
                    "nationaliteit": "Nederlands",
                    "geslacht": "v",
                    "leeftijdsgroep": "27-45",
                },
            }
        )
    return result


# --- The child: one database ---------------------------------------------------------------------------


def child(count: int, batch_size: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from verantwoord.core import services as core_services
    from verantwoord.decisionlog import services
    from verantwoord.decisionlog.models import GroupAttributes, LogEntry, LogNode, PersonalPayload
    from verantwoord.decisionlog.storage import ENTRY_COLUMNS, bulk_insert, db_datetime
    from verantwoord.register import services as register_services

    call_command("migrate", verbosity=0)
    organisation = core_services.organisation_create(actor=None, name="Gemeente Bench", slug="bench")
    algorithm = register_services.algorithm_create(
        actor=None, organisation=organisation, data={"name": "Model"}
    )
    one_at_a_time = register_services.algorithm_create(
        actor=None, organisation=organisation, data={"name": "Model, one batch at a time"}
    )
    log = services.decision_log_of(organisation)

    def batches_of(data: list[dict[str, Any]]) -> list[list[tuple[int, object]]]:
        return [list(enumerate(data[start : start + batch_size], 1)) for start in range(0, count, batch_size)]

    singles = batches_of(records(count, offset=count))
    started = time.perf_counter()
    for batch in singles:
        report = services.decisions_append(
            organisation=organisation, algorithm=one_at_a_time, records=batch, source="bench"
        )
        assert report.accepted == len(batch), report.errors[:3]
    single_s = time.perf_counter() - started
    del singles

    batches = batches_of(records(count))
    started = time.perf_counter()
    reports = services.decisions_append_batches(
        organisation=organisation,
        algorithm=algorithm,
        batches=((batch, []) for batch in batches),
        source="bench",
    )
    for batch, report in zip(batches, reports, strict=True):
        assert report.accepted == len(batch), report.errors[:3]
    service_s = time.perf_counter() - started

    # The same rows, read back, deleted, and inserted again without any of the work above.
    entry_fields = [name if name not in ("log", "algorithm") else f"{name}_id" for name in ENTRY_COLUMNS]
    to_db = db_datetime()
    entries = list(LogEntry.objects.filter(algorithm=algorithm).order_by("index").values_list(*entry_fields))
    when = ENTRY_COLUMNS.index("decided_at")
    entries = [(*row[:when], to_db(row[when]), *row[when + 1 :]) for row in entries]
    payloads = list(
        PersonalPayload.objects.filter(entry__algorithm=algorithm)
        .order_by("entry_id")
        .values_list("entry_id", "salt", "payload", "erased_at", "erasure_id")
    )
    groups = list(
        GroupAttributes.objects.filter(entry__algorithm=algorithm)
        .order_by("entry_id")
        .values_list("entry_id", "salt", "sealed")
    )
    entries = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in entries]
    payloads = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in payloads]
    groups = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in groups]
    with transaction.atomic():
        GroupAttributes.objects.filter(entry__algorithm=algorithm).delete()
        PersonalPayload.objects.filter(entry__algorithm=algorithm).delete()
        LogEntry.objects.filter(algorithm=algorithm).delete()
        LogNode.objects.filter(log=log).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    started = time.perf_counter()
    for start in range(0, count, batch_size):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = FULL")  # the durability the service commits with
        with transaction.atomic():
            bulk_insert(LogEntry, ENTRY_COLUMNS, entries[start : start + batch_size])
            bulk_insert(
                PersonalPayload,
                ("entry", "salt", "payload", "erased_at", "erasure"),
                payloads[start : start + batch_size],
            )
            bulk_insert(GroupAttributes, ("entry", "salt", "sealed"), groups[start : start + batch_size])
    floor_s = time.perf_counter() - started
    service_rate, floor_rate = count / service_s, count / floor_s
    return {
        "database": connection.vendor,
        "records": count,
        "batch": batch_size,
        "service_s": round(service_s, 3),
        "service_records_per_s": round(service_rate),
        "one_at_a_time_records_per_s": round(count / single_s),
        "floor_s": round(floor_s, 3),
        "floor_records_per_s": round(floor_rate),
        "floor_method": "COPY" if connection.vendor == "postgresql" else "executemany",
        "ratio": round(service_rate / floor_rate, 2),
        "target_ratio": TARGET_RATIO,
        "ok": service_rate / floor_rate >= TARGET_RATIO,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20,000 records per database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument(
        "--batch", type=int, default=0, help="records per batch (default 10,000; --quick 2,000)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.records or (20_000 if args.quick else 100_000)
    batch_size = args.batch or (QUICK_BATCH if args.quick else BATCH)
    if args.child:
        print(json.dumps(child(count, batch_size)))
        return 0
    results = on_each_database(
        __file__, ["--records", str(count), "--batch", str(batch_size)], BENCH_DATABASE
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"{'database':<11} {'records':>8} {'batch':>6} {'one at a time':>14} {'service rec/s':>14} {'floor rec/s':>12} "
            f"{'floor':<12} {'ratio':>6}  target"
        )
        for row in results:
            mark = "ok" if row["ok"] else "MISSED"
            print(
                f"{row['database']:<11} {row['records']:>8,} {row['batch']:>6,} {row['one_at_a_time_records_per_s']:>14,} "
                f"{row['service_records_per_s']:>14,} "
                f"{row['floor_records_per_s']:>12,} {row['floor_method']:<12} {row['ratio']:>5}x  ≥ {TARGET_RATIO}x {mark}"
            )
    return 0 if all(row["ok"] for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
