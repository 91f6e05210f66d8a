"""`verantwoord monitoring run`: run an algorithm's configured bias check on the decision log now.

Exit status 0 when nothing is flagged, 1 when a disparity is flagged, 2 when the arguments are unusable
(no such organisation or algorithm, no configuration, no legal basis).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.core.management.output import write_json, write_table
from verantwoord.core.models import Organisation
from verantwoord.monitoring import selectors, services
from verantwoord.monitoring.models import CheckRun
from verantwoord.monitoring.selectors import MissingLegalBasisError
from verantwoord.register.models import Algorithm

EXIT_FLAGGED = 1
EXIT_UNUSABLE = 2


def _algorithm(value: str, organisation_slug: str | None) -> Algorithm:
    """By source ID, LARS ID or database ID; with several organisations, give --organisation."""
    algorithms = Algorithm.objects.all()
    if organisation_slug:
        if not Organisation.objects.filter(slug=organisation_slug).exists():
            raise CommandError(f"No organisation with slug {organisation_slug}.", returncode=EXIT_UNUSABLE)
        algorithms = algorithms.filter(organisation__slug=organisation_slug)
    found = list(algorithms.filter(source_id=value)[:2]) or list(algorithms.filter(lars=value)[:2])
    if not found and value.isdigit():
        found = list(algorithms.filter(pk=int(value)))
    if len(found) > 1:
        raise CommandError(
            f"{value!r} names algorithms of several organisations: give --organisation.",
            returncode=EXIT_UNUSABLE,
        )
    if not found:
        raise CommandError(
            f"No algorithm {value!r} (give its source ID, LARS ID or ID).", returncode=EXIT_UNUSABLE
        )
    return found[0]


def run_as_json(run: CheckRun) -> dict[str, Any]:
    return {
        "run": run.pk,
        "algorithm": run.algorithm.source_id or str(run.algorithm_id),
        "configVersion": run.config_version,
        "window": [run.window_start.isoformat(), run.window_end.isoformat()],
        "decisions": run.decisions,
        "withOutcome": run.with_outcome,
        "status": run.status,
        "flagged": run.flagged_count,
        "seconds": round(run.seconds, 3),
        "results": run.results,
    }


class Command(BaseCommand):
    help = "Bias and quality monitoring over the decision log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Run an algorithm's configured check now.")
        run.add_argument("--algorithm", required=True, metavar="SLUG", help="source ID, LARS ID or ID")
        run.add_argument("--organisation", metavar="SLUG")
        run.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        algorithm = _algorithm(options["algorithm"], options["organisation"])
        config = selectors.config_of(algorithm=algorithm)
        if config is None:
            raise CommandError(f"{algorithm.name} has no monitoring configuration.", returncode=EXIT_UNUSABLE)
        try:
            run = services.check_run(config=config, trigger="cli")
        except MissingLegalBasisError as error:
            raise CommandError(str(error), returncode=EXIT_UNUSABLE) from error
        if options["json"]:
            write_json(self, run_as_json(run))
        else:
            self.stdout.write(
                f"{algorithm.name}: {run.decisions} decisions from {run.window_start:%Y-%m-%d} to "
                f"{run.window_end:%Y-%m-%d} ({run.with_outcome} with a known outcome): {run.get_status_display()}"
            )
            rows = []
            for attribute, result in run.results.items():
                for item in result["disparities"]:
                    if item["group"] == "between_groups":
                        continue
                    rows.append(
                        [
                            attribute,
                            item["metric"],
                            item["group"],
                            item["reference"],
                            f"{item['value']:.3f}",
                            "-" if item["ratio"] is None else f"{item['ratio']:.3f}",
                            f"{item['p_value']:.3g}",
                            "FLAGGED" if item["flagged"] else "-",
                        ]
                    )
            write_table(
                self, ["attribute", "metric", "group", "versus", "value", "ratio", "p", "verdict"], rows
            )
            for attribute, result in run.results.items():
                if result["suppressed"]:
                    self.stdout.write(
                        f"{attribute}: suppressed (small groups): {', '.join(result['suppressed'])}"
                    )
        if run.flagged_count:
            raise SystemExit(EXIT_FLAGGED)
