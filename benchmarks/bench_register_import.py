"""Benchmark: import the national register's real records (shared/data/algoritmeregister-overzicht.json).

    .venv/bin/python benchmarks/bench_register_import.py [--quick] [--json]

Per database, in a fresh database of its own:

- import (new): `register_import(create_organisations=True, publish=True)` into the empty register — what
  `make run` does — with validation, audit records, organisations and publications;
- import (again): the same file a second time (every row unchanged: reads and comparisons only);
- floor: a raw `Algorithm.objects.bulk_create` of the same rows, without validation, audit or publication — the
  least any import of these rows must cost. The table gives each step's time as a multiple of it.

Databases: SQLite (a file in a temporary folder) and PostgreSQL when reachable — on the server of DATABASE_URL
when that points at PostgreSQL, else postgres://postgres@127.0.0.1:5432 — in a database `verantwoord_bench` that
this script creates and drops (it never touches the database DATABASE_URL names). Django reads its settings
once per process, so each database runs in a child process of this script.

--quick: the first 300 records (well under a minute in all). --json: the results as JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child_databases import admin_error, postgres_url

REPO = Path(__file__).resolve().parent.parent
DATA_FILE = REPO.parent / "shared" / "data" / "algoritmeregister-overzicht.json"
BENCH_DATABASE = "verantwoord_bench"
QUICK_ROWS = 300


def recreate_postgres_database(url: str) -> str:
    """Drop and create the benchmark database; returns "" when done, else why PostgreSQL is not available."""
    return admin_error(url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"') or admin_error(
        url, f'CREATE DATABASE "{BENCH_DATABASE}"'
    )


def drop_postgres_database(url: str) -> None:
    admin_error(url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


# --- The child: one database --------------------------------------------------------------------------------


def child(database_url: str, data_file: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="verantwoord-bench-") as var_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "verantwoord.conf.settings"
        os.environ["VERANTWOORD_VAR_DIR"] = var_dir
        os.environ["DATABASE_URL"] = database_url.replace("{var}", var_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction

        from verantwoord.core.models import Organisation
        from verantwoord.register.importing import register_import
        from verantwoord.register.models import Algorithm

        call_command("migrate", verbosity=0, interactive=False)
        rows = len(json.loads(data_file.read_text(encoding="utf-8"))["algoritmes"])
        steps: list[dict[str, Any]] = []
        for step in ("import (new)", "import (again)"):
            started = time.perf_counter()
            report = register_import(path=data_file, create_organisations=True, publish=True)
            seconds = time.perf_counter() - started
            if report.skipped or report.total != rows:
                raise SystemExit(
                    f"{step}: {report.skipped} of {report.total} rows skipped: {report.errors[:3]}"
                )
            steps.append({"step": step, "rows": rows, "seconds": seconds})

        records = json.loads(data_file.read_text(encoding="utf-8"))["algoritmes"]
        organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
        statuses = {"in_gebruik": "in_use", "ontwikkeling": "in_development", "buiten_gebruik": "out_of_use"}
        algorithms = [
            Algorithm(
                organisation=organisations[record["organisatie"]],
                name=record["title"],
                description_short=record["doel"],
                goal=record["doel"],
                status=statuses[record["status"]],
                url=record["url"],
                lawful_basis=record["juridische_basis"],
            )
            for record in records
        ]
        started = time.perf_counter()
        with transaction.atomic():
            created = Algorithm.objects.bulk_create(algorithms)
        seconds = time.perf_counter() - started
        Algorithm.objects.filter(pk__in=[algorithm.pk for algorithm in created]).delete()
        steps.insert(0, {"step": "floor: bulk_create", "rows": rows, "seconds": seconds})
        return {"database": connection.vendor, "steps": steps}


# --- The parent: databases, table -----------------------------------------------------------------------------


def run_child(database_url: str, data_file: Path) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 — this very script, with our own arguments
        [sys.executable, __file__, "--child", database_url, "--file", str(data_file)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark on {database_url} failed:\n{result.stderr or result.stdout}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'database':<11}{'step':<20}{'rows':>6}{'seconds':>10}{'rows/s':>10}{'x floor':>10}"]
    for result in results:
        floor = result["steps"][0]["seconds"]
        for step in result["steps"]:
            rate = step["rows"] / step["seconds"] if step["seconds"] else float("inf")
            lines.append(
                f"{result['database']:<11}{step['step']:<20}{step['rows']:>6}{step['seconds']:>10.2f}"
                f"{rate:>10.0f}{step['seconds'] / floor:>10.0f}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only the first {QUICK_ROWS} records")
    parser.add_argument("--json", action="store_true", help="results as JSON")
    parser.add_argument("--file", type=Path, default=DATA_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(options.child, options.file)))
        return
    if not options.file.exists():
        raise SystemExit(f"data file not found: {options.file}")

    with tempfile.TemporaryDirectory(prefix="verantwoord-bench-data-") as folder:
        data_file = options.file
        if options.quick:
            data = json.loads(data_file.read_text(encoding="utf-8"))
            data["algoritmes"] = data["algoritmes"][:QUICK_ROWS]
            data_file = Path(folder) / "overzicht-quick.json"
            data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        started = time.perf_counter()
        results = [run_child("sqlite:///{var}/bench.sqlite3", data_file)]
        notes: list[str] = []
        url = postgres_url(BENCH_DATABASE)
        unavailable = recreate_postgres_database(url)
        if unavailable:
            notes.append(f"PostgreSQL skipped: {unavailable}")
        else:
            try:
                results.append(run_child(url, data_file))
            finally:
                drop_postgres_database(url)
        total = time.perf_counter() - started

    if options.json:
        print(json.dumps({"results": results, "notes": notes, "totalSeconds": round(total, 2)}, indent=2))
        return
    print(table(results))
    for note in notes:
        print(note)
    print(f"(total {total:.0f} s, migrations included)")


if __name__ == "__main__":
    main()
