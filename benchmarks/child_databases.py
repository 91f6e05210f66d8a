"""Running a database benchmark once per database, each in a child process of its own (Django reads its settings
once per process): SQLite in a file in a temporary folder, then PostgreSQL when reachable — on the server of
DATABASE_URL when that points at PostgreSQL, else postgres://postgres@127.0.0.1:5432 — in a database the
benchmark names, created before and dropped after. The child prints its result as JSON on its last line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def postgres_url(database: str) -> str:
    configured = os.environ.get("DATABASE_URL", "")
    base = configured if configured.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def admin(url: str, statement: str) -> bool:
    """Run a statement on the server's maintenance database; False when the server cannot be reached."""
    return not admin_error(url, statement)


def admin_error(url: str, statement: str) -> str:
    """Run a statement on the server's maintenance database: "" when done, else why it could not be."""
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        ) as connection:
            connection.execute(statement)  # type: ignore[arg-type]
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ""


def run_child(
    script: str,
    arguments: Sequence[str],
    url: str,
    directory: Path,
    *,
    timeout: int = 3600,
    environment: dict[str, str] | None = None,
) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "verantwoord.conf.settings",
        "VERANTWOORD_VAR_DIR": str(directory / "var"),
        "SECRET_KEY": "benchmark-secret-key-of-enough-length-0123456789",
        "PYTHONPATH": str(REPO),
        **(environment or {}),
    }
    result = subprocess.run(  # noqa: S603 — a benchmark script of ours, with its own arguments
        [sys.executable, script, "--child", *arguments],
        env=env,
        stdout=subprocess.PIPE,  # the result; progress and errors go straight to the terminal
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise SystemExit(
            f"benchmark child failed with exit status {result.returncode} (its errors are above)"
        )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def on_each_database(
    script: str,
    arguments: Sequence[str],
    database: str,
    *,
    timeout: int = 3600,
    environment: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The child's results on SQLite and, when the server is reachable, on PostgreSQL."""
    results = []
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        sqlite = f"sqlite:///{directory / 'bench.sqlite3'}"
        results.append(
            run_child(script, arguments, sqlite, directory, timeout=timeout, environment=environment)
        )
        url = postgres_url(database)
        if admin(url, f'DROP DATABASE IF EXISTS "{database}"') and admin(
            url, f'CREATE DATABASE "{database}"'
        ):
            try:
                results.append(
                    run_child(script, arguments, url, directory, timeout=timeout, environment=environment)
                )
            finally:
                admin(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return results
