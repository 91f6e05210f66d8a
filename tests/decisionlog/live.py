"""Real processes against a real database, for the concurrency and crash tests (and the HTTP benchmark).

A fresh database of the vendor the tests run on — a SQLite file, or a new database on the PostgreSQL server
of the test settings — migrated by `verantwoord migrate` in a child process; servers (gunicorn), workers and
CLI calls run as child processes with that database, a shared SECRET_KEY and their own var/ directory.
Every wait is bounded; every process started is stopped (SIGKILL at the latest).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "decision-log-live-test-secret-key-0123456789abcdef"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass
class LiveDatabase:
    vendor: str
    url: str
    env: dict[str, str]
    directory: Path

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.vendor == "sqlite":
            import sqlite3

            with contextlib.closing(sqlite3.connect(urlsplit(self.url).path, timeout=30)) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(_psycopg_url(self.url), connect_timeout=5) as connection:
            return connection.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def run(
        self, *args: str, stdin: bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(BIN / "verantwoord"), *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def script(self, code: str, timeout: float = 120) -> Any:
        """Run Python with Django set up on this database; its last stdout line is parsed as JSON."""
        prelude = "import django, json\ndjango.setup()\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(result.stderr.decode()[-3000:])
        return json.loads(result.stdout.decode().strip().splitlines()[-1])


def _psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def postgres_server_url() -> str:
    configured = os.environ.get("DATABASE_URL", "")
    return configured if configured.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES


@contextlib.contextmanager
def live_database(vendor: str, directory: Path) -> Iterator[LiveDatabase]:
    directory.mkdir(parents=True, exist_ok=True)
    name = ""
    if vendor == "sqlite":
        url = f"sqlite:///{directory / 'live.sqlite3'}"
    else:
        import psycopg

        parts = urlsplit(postgres_server_url())
        name = f"verantwoord_dl_live_{secrets.token_hex(4)}"
        admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
        with psycopg.connect(_psycopg_url(admin), autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "VERANTWOORD_VAR_DIR": str(directory / "var"),
        "DJANGO_SETTINGS_MODULE": "verantwoord.conf.settings",
        "PYTHONPATH": str(REPO),
        "LOG_LEVEL": "WARNING",
    }
    database = LiveDatabase(vendor, url, env, directory)
    try:
        migrated = database.run("migrate", "-v0", timeout=300)
        if migrated.returncode:
            raise RuntimeError(migrated.stderr.decode()[-3000:])
        yield database
    finally:
        if name:
            import psycopg

            with psycopg.connect(_psycopg_url(admin), autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


SETUP = """
from verantwoord.core import services as core
from verantwoord.register import services as register
from verantwoord.decisionlog import services
organisation = core.organisation_create(actor=None, name="Gemeente {slug}", slug="{slug}", require_two_factor=False)
algorithm = register.algorithm_create(actor=None, organisation=organisation, data={{"name": "Risicomodel"}})
key, secret = services.api_key_create(actor=None, algorithm=algorithm, name="live")
print(json.dumps({{"slug": organisation.slug, "algorithm": algorithm.pk, "key": secret}}))
"""


def set_up_organisation(database: LiveDatabase, slug: str) -> dict[str, Any]:
    result: dict[str, Any] = database.script(SETUP.format(slug=slug))
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Process:
    """A child process in its own process group, so a SIGKILL takes all of it (gunicorn and its workers)."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._handle = log.open("ab")
        self.popen = subprocess.Popen(
            list(args), env=env, stdout=self._handle, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)
        self._handle.close()

    def stop(self, grace: float = 10) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=grace)
        self.kill()


def start_server(database: LiveDatabase, port: int, workers: int = 2, threads: int = 1) -> Process:
    process = Process(
        [
            str(BIN / "gunicorn"),
            "verantwoord.conf.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
        ],
        database.env,
        database.directory / f"server-{port}.log",
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the server did not start: {process.log.read_text()[-3000:]}")


def start_worker(database: LiveDatabase) -> Process:
    return Process(
        [str(BIN / "verantwoord"), "worker", "--tick", "0.5"], database.env, database.directory / "worker.log"
    )


def post_batch(
    port: int, slug: str, algorithm: int, key: str, body: bytes, timeout: float = 60
) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            f"/api/v1/organisations/{slug}/algorithms/{algorithm}/decisions",
            body=body,
            headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {key}"},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def ndjson(records: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(item, separators=(",", ":")).encode() + b"\n" for item in records)
