"""Public register pages: requests per second against a trivial view on the same stack.

Sets up Django with a fresh temporary SQLite database (or an empty database named by BENCH_DATABASE_URL),
migrates, imports the 1,530 real records of the national register (CC0) through the register's importer, then
times, one after the other in one process, requests through Django's test client — the whole middleware stack,
templates, database queries, but no network:

    trivial        a view that returns "ok" (added first in this benchmark's own URLconf), the ceiling
    healthz        /healthz, which also asks the database one question
    list           /register, the first page of the register
    search         /register?q=parkeren, a search with a few dozen results
    search-broad   /register?q=gemeente, a search most records match (ranking all of them)
    organisation   /register/<slug> of the organisation with the most algorithms
    detail         /register/<slug>/<id> of the record with the longest text
    history        its published versions

Public pages are served from a page cache whose key holds a fingerprint of the register, read from the
database at most once a second per process (see views/public.py). List and detail are timed again with the
fingerprint read on every request ("checked"), and the pages with the page cache off ("uncached"): what the
first visitor after a change pays. Prints requests per second and the ratio to the trivial view (target ≥ 0.5 for list and
detail).

    .venv/bin/python benchmarks/bench_public_register.py [--quick] [--json]

--quick measures each page about 1 second (under a minute in all, most of it the import); the default about 5.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "algoritmeregister-overzicht.json"
TARGET_RATIO = 0.5


def _configure(directory: Path) -> None:
    """Environment for the settings module; must run before django.setup()."""
    os.environ["VERANTWOORD_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory / 'bench.sqlite3'}"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "verantwoord.conf.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))


def _bench_urlconf() -> types.ModuleType:
    """The project's URLs plus a trivial view (i18n_patterns must stay in the root URLconf, so they are copied).
    The trivial view comes first, like /healthz: the strictest ceiling, as its URL costs nothing to resolve."""
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    from verantwoord.conf import urls

    def trivial(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_public_register_urls")
    module.urlpatterns = [path("bench/trivial", trivial), *urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module


def _load(data: Path) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from verantwoord.register.importing import register_import
    from verantwoord.register.models import Publication

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    if not Publication.objects.exists():
        report = register_import(
            path=data, format="overzicht", create_organisations=True, publish=True, actor=None
        )
        imported = report.as_dict()
    else:
        imported = {}
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: fresh statistics and visibility map (index-only scans).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    loaded = time.perf_counter()
    return {
        "import": {key: imported[key] for key in ("total", "imported", "skipped") if key in imported},
        "migrateSeconds": round(migrated - started, 2),
        "importSeconds": round(loaded - migrated, 2),
        "publications": Publication.objects.filter(is_current=True, withdrawn_at__isnull=True).count(),
    }


def _targets() -> dict[str, str]:
    from django.db.models import Count
    from django.db.models.functions import Length

    from verantwoord.register.selectors import public_publications

    publications = public_publications()
    biggest = (
        publications.values("organisation__slug")
        .annotate(total=Count("id"))
        .order_by("-total", "organisation__slug")
        .first()
    )
    longest = publications.annotate(size=Length("search_document")).order_by("-size", "id").first()
    if biggest is None or longest is None:
        raise SystemExit("No public records: the import published nothing.")
    detail = f"/register/{longest.organisation.slug}/{longest.algorithm_id}"
    return {
        "trivial": "/bench/trivial",
        "healthz": "/healthz",
        "list": "/register",
        "search": "/register?q=parkeren",
        "search-broad": "/register?q=gemeente",
        "organisation": f"/register/{biggest['organisation__slug']}",
        "detail": detail,
        "history": f"{detail}/versies",
    }


# Pages measured again with the page cache's settings changed (views/public.py), one variant at a time:
# "checked" reads the register's fingerprint from the database on every request instead of at most once a
# second per process; "uncached" renders every page, which is what the first visitor after a change pays.
VARIANTS: dict[str, tuple[dict[str, float], tuple[str, ...]]] = {
    "checked": ({"FINGERPRINT_SECONDS": 0}, ("list", "detail")),
    "uncached": ({"PAGE_CACHE_SECONDS": 0}, ("list", "search", "search-broad", "organisation", "detail")),
}


def _measure(client: Any, path: str, seconds: float, max_requests: int) -> dict[str, Any]:
    for _ in range(10):  # warm up: templates compiled, caches filled, connections made
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while count < max_requests:
        client.get(path)
        count += 1
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - started
    return {"path": path, "requests": count, "seconds": round(elapsed, 3), "rps": count / elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about 1 second per page (under a minute)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help="the national register's overview (JSON)")
    arguments = parser.parse_args(argv)
    seconds, max_requests = (1.0, 5_000) if arguments.quick else (5.0, 50_000)

    with tempfile.TemporaryDirectory(prefix="bench-register-") as directory:
        _configure(Path(directory))
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        setup = _load(arguments.data)
        urlconf = _bench_urlconf()
        results = []
        from verantwoord.register.views import public

        with override_settings(ROOT_URLCONF=urlconf.__name__):
            client = Client(HTTP_HOST="localhost")
            targets = _targets()
            for name, path in targets.items():
                results.append(
                    {
                        "name": name,
                        "cached": name not in ("trivial", "healthz"),
                        **_measure(client, path, seconds, max_requests),
                    }
                )
            for variant, (knobs, names) in VARIANTS.items():
                saved = {knob: getattr(public, knob) for knob in knobs}
                for knob, value in knobs.items():
                    setattr(public, knob, value)
                try:
                    for name in names:
                        measured = _measure(client, targets[name], seconds, max_requests)
                        results.append(
                            {"name": f"{name} ({variant})", "cached": variant != "uncached", **measured}
                        )
                finally:
                    for knob, value in saved.items():
                        setattr(public, knob, value)
        vendor = connection.vendor
        connection.close()

    ceiling = results[0]["rps"]
    for result in results:
        result["ratio"] = result["rps"] / ceiling
        result["rps"] = round(result["rps"], 1)
        result["ratio"] = round(result["ratio"], 3)
    ratios = {result["name"]: result["ratio"] for result in results}
    below = [name for name in ("list", "detail") if ratios[name] < TARGET_RATIO]
    report = {
        "benchmark": "public register pages",
        "database": vendor,
        "mode": "quick" if arguments.quick else "full",
        **setup,
        "results": results,
        "targetRatio": TARGET_RATIO,
        "belowTarget": below,
    }
    if arguments.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"Public register on {vendor}: {setup['publications']} public records "
            f"(migrate {setup['migrateSeconds']} s, import {setup['importSeconds']} s)"
        )
        print(f"{'page':<24} {'req/s':>9} {'vs trivial':>10} {'requests':>9}  path")
        for result in results:
            print(
                f"{result['name']:<24} {result['rps']:>9.1f} {result['ratio']:>10.3f} "
                f"{result['requests']:>9}  {result['path']}"
            )
        print(
            f"Target: list and detail ≥ {TARGET_RATIO}x trivial: "
            + ("met." if not below else f"not met by {', '.join(below)}.")
            + " (checked): the fingerprint read on every request; (uncached): the page cache off."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
