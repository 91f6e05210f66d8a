"""Several processes appending at once, and a server killed with SIGKILL mid-load: one gapless order, a tree
that verifies, and every acknowledged record still there. Runs on the database the tests run on (SQLite
or PostgreSQL), in a fresh database of its own that real child processes share."""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests.decisionlog.conftest import record
from tests.decisionlog.live import (
    BIN,
    LiveDatabase,
    free_port,
    live_database,
    ndjson,
    post_batch,
    set_up_organisation,
    start_server,
    start_worker,
)

VENDOR = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDatabase]:
    with live_database(VENDOR, tmp_path_factory.mktemp("live")) as live:
        yield live


def assert_log_intact(database: LiveDatabase, slug: str) -> dict[str, Any]:
    verified = database.run("log", "verify", "--organisation", slug, "--json", timeout=300)
    report: dict[str, Any] = json.loads(verified.stdout)
    assert verified.returncode == 0 and report["intact"], report["errors"]
    [(log_id, size)] = database.query(
        "SELECT l.id, l.size FROM decisionlog_decisionlog l JOIN core_organisation o ON o.id = l.organisation_id "
        "WHERE o.slug = %s",
        [slug],
    )
    indexes = [
        row[0]
        for row in database.query(
            'SELECT "index" FROM decisionlog_logentry WHERE log_id = %s ORDER BY "index"', [log_id]
        )
    ]
    assert indexes == list(range(size)) == list(range(report["treeSize"]))
    return report


def decision_ids(database: LiveDatabase, algorithm: int) -> set[str]:
    rows = database.query("SELECT decision_id FROM decisionlog_logentry WHERE algorithm_id = %s", [algorithm])
    return {row[0] for row in rows}


GOVERNANCE = """
from verantwoord.decisionlog import services
from verantwoord.register.models import Algorithm
algorithm = Algorithm.objects.get(pk={algorithm})
for number in range(15):
    services.api_key_create(actor=None, algorithm=algorithm, name=f"key {{number}}")
    services.checkpoint_create(log=services.decision_log_of(algorithm.organisation))
print(json.dumps("ok"))
"""


def test_processes_appending_at_once_keep_one_gapless_order(database: LiveDatabase) -> None:
    setup = set_up_organisation(database, "gelijktijdig")
    slug, algorithm = setup["slug"], setup["algorithm"]
    worker = start_worker(database)
    appenders, governance = [], []
    try:
        for writer in range(4):
            lines = ndjson([record(writer * 10_000 + number) for number in range(1, 801)])
            process = subprocess.Popen(
                [
                    str(BIN / "verantwoord"),
                    "log",
                    "append",
                    "--organisation",
                    slug,
                    "--algorithm",
                    str(algorithm),
                    "--json",
                ],
                env=database.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            appenders.append((process, lines))
        for _ in range(2):
            governance.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        "import django, json\ndjango.setup()\n" + GOVERNANCE.format(algorithm=algorithm),
                    ],
                    env=database.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        for process, lines in appenders:
            out, err = process.communicate(lines, timeout=300)
            assert process.returncode == 0, err.decode()[-2000:]
            assert json.loads(out)["accepted"] == 800
        for process in governance:
            _out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err.decode()[-2000:]
        time.sleep(1.5)  # let the worker sign a checkpoint over the end of the load
    finally:
        worker.kill()
    assert len(decision_ids(database, algorithm)) == 3200
    report = assert_log_intact(database, slug)
    assert report["treeSize"] >= 3200 + 30
    assert any(
        check["name"] == "checkpoints" and "checkpoint(s)" in check["summary"] for check in report["checks"]
    )


class Client(threading.Thread):
    """Posts batches until the server goes away; remembers the decision IDs of every acknowledged batch."""

    def __init__(self, port: int, setup: dict[str, Any], first: int, batch: int = 200) -> None:
        super().__init__(daemon=True)
        self.port, self.setup, self.next, self.batch = port, setup, first, batch
        self.acknowledged: set[str] = set()
        self.failures = 0
        self.stop_after = time.monotonic() + 60

    def run(self) -> None:
        while time.monotonic() < self.stop_after:
            records = [record(number) for number in range(self.next, self.next + self.batch)]
            self.next += self.batch
            try:
                status, body = post_batch(
                    self.port, self.setup["slug"], self.setup["algorithm"], self.setup["key"], ndjson(records)
                )
            except (OSError, http.client.HTTPException, ValueError):
                # The server was killed: refused, reset, or cut off mid-answer (a truncated status line or body).
                # Either way this batch was never acknowledged.
                self.failures += 1
                return
            if status == 200 and body.get("accepted") == len(records):
                self.acknowledged.update(item["decision_id"] for item in records)
            else:
                self.failures += 1
                return


def test_sigkill_of_the_server_loses_no_acknowledged_record(database: LiveDatabase) -> None:
    setup = set_up_organisation(database, "stroomuitval")
    acknowledged: set[str] = set()
    rng = random.Random(9)
    first = 1
    for cycle in range(3):
        port = free_port()
        server = start_server(database, port, workers=2)
        worker = start_worker(database)
        clients = [Client(port, setup, first + offset * 1_000_000) for offset in range(2)]
        first += 10_000_000
        try:
            for client in clients:
                client.start()
            time.sleep(rng.uniform(0.8, 2.0))  # mid-load: requests in flight
        finally:
            server.kill()
            worker.kill()
        for client in clients:
            client.join(timeout=90)
            assert not client.is_alive()
            assert client.failures == 1  # it was cut off by the kill, with a batch in flight
            acknowledged |= client.acknowledged
        assert acknowledged, f"no batch was acknowledged in cycle {cycle}: {server.log.read_text()[-2000:]}"
    # A last run after the crashes: the server starts again and appends go on from the recovered log.
    port = free_port()
    server = start_server(database, port, workers=1)
    try:
        status, body = post_batch(
            port, setup["slug"], setup["algorithm"], setup["key"], ndjson([record(999_999_999)])
        )
        assert status == 200 and body["accepted"] == 1
    finally:
        server.stop()
    stored = decision_ids(database, setup["algorithm"])
    missing = acknowledged - stored
    assert not missing, f"{len(missing)} acknowledged records were lost, e.g. {sorted(missing)[:5]}"
    assert_log_intact(database, setup["slug"])


def test_a_thread_per_writer_on_one_database(database: LiveDatabase) -> None:
    """Threads in one process, each with its own connection, through the HTTP server's thread pool."""
    setup = set_up_organisation(database, "draden")
    port = free_port()
    server = start_server(database, port, workers=1, threads=4)
    results: list[int] = []

    def send(writer: int) -> None:
        for batch in range(5):
            numbers = range(writer * 100_000 + batch * 100, writer * 100_000 + batch * 100 + 100)
            status, body = post_batch(
                port, setup["slug"], setup["algorithm"], setup["key"], ndjson([record(n) for n in numbers])
            )
            results.append(body.get("accepted", -status))

    try:
        threads = [threading.Thread(target=send, args=(writer,)) for writer in range(1, 5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.stop()
    assert results == [100] * 20
    assert len(decision_ids(database, setup["algorithm"])) == 2000
    assert_log_intact(database, setup["slug"])
