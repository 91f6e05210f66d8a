"""Benchmark: a scheduled bias check over logged decisions against one plain SQL query reading the same columns.

    .venv/bin/python benchmarks/bench_monitoring_check.py [--quick] [--json] [--decisions N]

Per database, in a fresh database of its own, one algorithm with N logged decisions (default 1,000,000) that
all carry encrypted group attributes (nationality, gender, age band), and outcome records for 5 % of them:

- check: `monitoring.services.check_run` as the worker runs it — read the window's decisions and their sealed
  group attributes, open every AES-GCM seal, decode, read the outcome records, compute selection rate and
  precision with intervals, tests and verdicts for three attributes and one intersection, store the run,
  append its summary to the tamper-evident log and open the findings;
- floor: one plain SQL query selecting the same columns (entry index, decision, decision ID, sealed attributes)
  with the same join and filters, every row fetched, nothing decoded.

Target: check <= 2x floor, on SQLite and on PostgreSQL. The decision rows are written straight into the log's
tables (with entry bytes of a realistic size, and attributes sealed exactly as the ingestion seals them) rather
than through the Merkle append, which the check never reads; that keeps the set-up short.
SQLite: a file in a temporary folder. PostgreSQL when reachable: on the server of DATABASE_URL when that points
at PostgreSQL, else postgres://postgres@127.0.0.1:5432, in a database `verantwoord_bench_monitoring` that this
script creates and drops. --quick: 100,000 decisions per database (well under a minute in all).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child_databases import on_each_database

BENCH_DATABASE = "verantwoord_bench_monitoring"
TARGET_RATIO = 2.0
INDEX_OFFSET = 1_000_000_000  # far above the governance entries the check itself appends
CHUNK = 20_000


def child(count: int) -> dict[str, Any]:
    import datetime
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from verantwoord.core import services as core_services
    from verantwoord.decisionlog import services as log_services
    from verantwoord.decisionlog.crypto import NONCE_SIZE, PURPOSE_GROUP_ATTRIBUTES, sealer
    from verantwoord.decisionlog.models import EntryKind, GroupAttributes, LogEntry
    from verantwoord.decisionlog.records import canonical_text
    from verantwoord.decisionlog.storage import ENTRY_COLUMNS, bulk_insert, db_datetime
    from verantwoord.monitoring import services
    from verantwoord.register import services as register_services

    call_command("migrate", verbosity=0)
    organisation = core_services.organisation_create(actor=None, name="Gemeente Bench", slug="bench")
    algorithm = register_services.algorithm_create(
        actor=None, organisation=organisation, data={"name": "Risicomodel"}
    )
    log = log_services.decision_log_of(organisation)
    rng = random.Random(7)
    seal = sealer(PURPOSE_GROUP_ATTRIBUTES)
    to_db = db_datetime()
    now = timezone.now()
    nationalities = (("Nederlands", 0.7, 0.10), ("EU", 0.12, 0.11), ("buiten EU", 0.18, 0.21))
    entry_id = (LogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    index = INDEX_OFFSET
    for start in range(0, count, CHUNK):
        entries, groups, facts = [], [], []
        for number in range(start, min(start + CHUNK, count)):
            value = rng.random()
            nationality, rate = (
                ("Nederlands", 0.10) if value < 0.7 else ("EU", 0.11) if value < 0.82 else ("buiten EU", 0.21)
            )
            investigate = rng.random() < rate
            decision_id = f"BIJ-{number:08d}"
            decided_at = now - datetime.timedelta(seconds=rng.uniform(60, 80 * 86400))
            decision = "onderzoek" if investigate else "geen onderzoek"
            entry = (
                f'{{"algorithm":{algorithm.pk},"decided_at":"{decided_at.isoformat()}","decision":"{decision}",'
                f'"decision_id":"{decision_id}","group_digest":"{"ab" * 32}","human_review":{{"reviewed":false}},'
                f'"kind":"decision","model_version":"3.1.0","output":0.42,"payload_digest":"{"cd" * 32}",'
                f'"received_at":"{now.isoformat()}","source":"bench","v":1}}'
            ).encode()
            entries.append(
                (
                    entry_id,
                    log.pk,
                    index,
                    EntryKind.DECISION.value,
                    entry,
                    os.urandom(32),
                    algorithm.pk,
                    decision_id,
                    decision,
                    None,
                    to_db(decided_at),
                    None,
                    None,
                )
            )
            attributes = canonical_text(
                {
                    "nationaliteit": nationality,
                    "geslacht": rng.choice(("v", "m")),
                    "leeftijdsgroep": rng.choice(("18-26", "27-45", "46-66", "67+")),
                }
            ).encode()
            context = f"{algorithm.pk}:{decision_id}"
            groups.append((entry_id, os.urandom(16), seal(attributes, context, os.urandom(NONCE_SIZE))))
            decision_index = index
            entry_id += 1
            index += 1
            if number % 20 == 0:
                outcome = "terugvordering" if rng.random() < 0.3 else "geen onrechtmatigheid"
                facts.append(
                    (
                        entry_id,
                        log.pk,
                        index,
                        EntryKind.LATER_FACT.value,
                        b"{}",
                        os.urandom(32),
                        algorithm.pk,
                        f"{decision_id}/uitkomst",
                        outcome,
                        None,
                        to_db(decided_at),
                        decision_index,
                        None,
                    )
                )
                entry_id += 1
                index += 1
        with transaction.atomic():
            bulk_insert(LogEntry, ENTRY_COLUMNS, entries + facts)
            bulk_insert(GroupAttributes, ("entry", "salt", "sealed"), groups)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('decisionlog_logentry', 'id'), %s)", [entry_id]
            )
            cursor.execute("VACUUM ANALYZE")
    del nationalities

    config = services.config_save(
        actor=None,
        algorithm=algorithm,
        values={
            "legal_basis": "Art. 9(2)(g) AVG jo. art. 25 UAVG",
            "positive_decision": "onderzoek",
            "truth_positive": ["terugvordering"],
            "truth_negative": ["geen onrechtmatigheid"],
            "group_attributes": ["nationaliteit", "geslacht", "leeftijdsgroep"],
            "intersections": [["nationaliteit", "geslacht"]],
            "reference_groups": {"nationaliteit": "Nederlands"},
            "metrics": ["selection_rate", "precision"],
        },
    )
    quote = connection.ops.quote_name
    since = connection.ops.adapt_datetimefield_value(now - datetime.timedelta(days=90))
    until = connection.ops.adapt_datetimefield_value(now + datetime.timedelta(seconds=1))
    sql = (
        f"SELECT e.{quote('index')}, e.decision, e.decision_id, g.sealed "  # noqa: S608 — names from the models
        f"FROM {quote(GroupAttributes._meta.db_table)} g JOIN {quote(LogEntry._meta.db_table)} e "
        "ON e.id = g.entry_id WHERE e.algorithm_id = %s AND e.kind = %s AND e.decided_at >= %s "
        f"AND e.decided_at < %s ORDER BY e.{quote('index')}"
    )

    def plain_query() -> int:
        rows = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, [algorithm.pk, EntryKind.DECISION.value, since, until])
            while batch := cursor.fetchmany(10_000):
                rows += len(batch)
        return rows

    floor_s = check_s = float("inf")
    run = None
    for _ in range(3):
        started = time.perf_counter()
        rows = plain_query()
        floor_s = min(floor_s, time.perf_counter() - started)
        started = time.perf_counter()
        run = services.check_run(config=config, trigger="schedule", now=now + datetime.timedelta(seconds=1))
        check_s = min(check_s, time.perf_counter() - started)
    assert run is not None and run.decisions == rows == count, (run.decisions if run else None, rows, count)
    return {
        "database": connection.vendor,
        "decisions": count,
        "check_s": round(check_s, 3),
        "floor_s": round(floor_s, 3),
        "ratio": round(check_s / floor_s, 2),
        "flagged": run.flagged_count,
        "target_ratio": TARGET_RATIO,
        "ok": check_s / floor_s <= TARGET_RATIO,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="100,000 decisions per database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--decisions", type=int, default=0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.decisions or (100_000 if args.quick else 1_000_000)
    if args.child:
        print(json.dumps(child(count)))
        return 0
    results = on_each_database(
        __file__,
        ["--decisions", str(count)],
        BENCH_DATABASE,
        environment={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'database':<11} {'decisions':>10} {'check s':>9} {'plain query s':>14} {'ratio':>7}  target")
        for row in results:
            mark = "ok" if row["ok"] else "MISSED"
            print(
                f"{row['database']:<11} {row['decisions']:>10,} {row['check_s']:>9.3f} {row['floor_s']:>14.3f} "
                f"{row['ratio']:>6}x  ≤ {TARGET_RATIO}x {mark}"
            )
    return 0 if all(row["ok"] for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
