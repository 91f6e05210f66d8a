"""Benchmark: HTTP NDJSON batch ingest end to end, on SQLite, with a real server and a client on 127.0.0.1.

    .venv/bin/python benchmarks/bench_decisionlog_http.py [--quick] [--json] [--records N] [--workers 2]

A fresh SQLite database (a file in a temporary folder), gunicorn with `--workers` processes (default 2, one
per core on the 2-core reference machine) and a client of two threads that post batches of 10,000 records
(`application/x-ndjson`, an algorithm's API key) and wait for each answer — which comes after the commit. The
client's bodies are made before the clock starts. Reported: records per second from the first request to the
last answer; target ≥ 20,000/s. The peer measured in the same run is the ingestion service called in one
process without HTTP (the same batches, parsed), so the table shows what HTTP and parsing add — or, with two
workers, what overlapping two requests gains.

--quick: 60,000 records (well under a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.decisionlog.live import (  # noqa: E402 — the same server helpers as the crash test
    free_port,
    live_database,
    post_batch,
    set_up_organisation,
    start_server,
)

BATCH = 10_000
TARGET = 20_000.0


def make_bodies(count: int, prefix: str) -> list[bytes]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_decisionlog_ingest import records

    bodies = []
    for start in range(0, count, BATCH):
        batch = records(min(BATCH, count - start), start)
        for item in batch:
            item["decision_id"] = prefix + item["decision_id"]
        bodies.append(b"".join(json.dumps(item, separators=(",", ":")).encode() + b"\n" for item in batch))
    return bodies


IN_PROCESS = """
import sys, time
sys.path.insert(0, {benchmarks!r})
from bench_decisionlog_ingest import records
from verantwoord.decisionlog import services
from verantwoord.decisionlog.records import parse_ndjson
from verantwoord.register.models import Algorithm
algorithm = Algorithm.objects.get(pk={algorithm})
bodies = []
for start in range(0, {count}, {batch}):
    batch = records(min({batch}, {count} - start), start)
    for item in batch:
        item["decision_id"] = "direct-" + item["decision_id"]
    bodies.append(b"".join(json.dumps(item, separators=(",", ":")).encode() + b"\\n" for item in batch))
started = time.perf_counter()
for body in bodies:
    parsed, errors = parse_ndjson(body.splitlines())  # as the API reads a body
    assert not errors
    report = services.decisions_append(organisation=algorithm.organisation, algorithm=algorithm, records=parsed, source="bench")
    assert report.accepted == len(parsed)
print(json.dumps(time.perf_counter() - started))
"""


def run(count: int, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary, live_database("sqlite", Path(temporary)) as database:
        setup = set_up_organisation(database, "bench")
        direct_s = database.script(
            IN_PROCESS.format(
                benchmarks=str(REPO / "benchmarks"), algorithm=setup["algorithm"], count=count, batch=BATCH
            ),
            timeout=600,
        )
        bodies = make_bodies(count, "http-")
        port = free_port()
        server = start_server(database, port, workers=workers)
        try:
            # One warm-up request per worker, outside the clock (imports, first connection).
            warm = make_bodies(workers * 10, "warm-")
            for body in warm[:1]:
                post_batch(port, setup["slug"], setup["algorithm"], setup["key"], body)
            queue = list(bodies)
            lock = threading.Lock()
            failures: list[str] = []

            def client() -> None:
                while True:
                    with lock:
                        if not queue:
                            return
                        body = queue.pop(0)
                    status, answer = post_batch(
                        port, setup["slug"], setup["algorithm"], setup["key"], body, timeout=300
                    )
                    if status != 200 or answer.get("accepted") != body.count(b"\n"):
                        failures.append(f"{status}: {str(answer)[:300]}")

            started = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=900)
            elapsed = time.perf_counter() - started
        finally:
            server.stop()
        if failures:
            raise SystemExit(f"requests failed: {failures[:3]}")
        verified = database.run("log", "verify", "--organisation", setup["slug"], "--json", timeout=600)
        intact = json.loads(verified.stdout)["intact"]
    rate = count / elapsed
    return {
        "database": "sqlite",
        "records": count,
        "batch": BATCH,
        "workers": workers,
        "cpus": os.cpu_count(),
        "http_s": round(elapsed, 2),
        "http_records_per_s": round(rate),
        "in_process_records_per_s": round(count / direct_s),
        "ratio_to_in_process": round(rate / (count / direct_s), 2),
        "log_intact_after": intact,
        "target_records_per_s": TARGET,
        "ok": rate >= TARGET and intact,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="60,000 records")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = run(args.records or (60_000 if args.quick else 200_000), args.workers)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{'':<34} {'records/s':>10}")
        print(
            f"{'HTTP NDJSON, ' + str(result['workers']) + ' gunicorn workers':<34} {result['http_records_per_s']:>10,}"
            f"   target ≥ {TARGET:,.0f}/s {'ok' if result['ok'] else 'MISSED'}"
        )
        print(
            f"{'service in one process, no HTTP':<34} {result['in_process_records_per_s']:>10,}"
            f"   ratio {result['ratio_to_in_process']}x"
        )
        print(
            f"{result['records']:,} records in batches of {BATCH:,} on {result['cpus']} CPUs; "
            f"log verified afterwards: {'intact' if result['log_intact_after'] else 'NOT INTACT'}"
        )
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
