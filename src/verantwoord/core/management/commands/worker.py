"""`verantwoord worker`: run the periodic jobs (checkpoints, checks, reminders, purges) until stopped."""

from __future__ import annotations

import signal
from dataclasses import asdict
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from verantwoord.core.jobs import registered_jobs, run_due_jobs, run_worker
from verantwoord.core.management.output import write_json


class Command(BaseCommand):
    help = "Run the periodic jobs. Several workers may run at once; each due job runs once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")
        parser.add_argument("--tick", type=float, default=2.0, help="Seconds between looks for due jobs.")
        parser.add_argument("--list", action="store_true", help="List the registered jobs and exit.")
        parser.add_argument("--json", action="store_true", help="JSON output (with --once or --list).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            jobs = [
                {"name": job.name, "intervalSeconds": job.interval.total_seconds()}
                for job in registered_jobs()
            ]
            if options["json"]:
                write_json(self, jobs)
            else:
                for job in jobs:
                    self.stdout.write(f"{job['name']}  every {job['intervalSeconds']:.0f}s")
            return
        if options["once"]:
            results = run_due_jobs()
            if options["json"]:
                write_json(self, [asdict(result) for result in results])
            else:
                for result in results:
                    self.stdout.write(f"{result.name}: {result.status} ({result.seconds}s) {result.message}")
            return
        stopping = {"now": False}

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping["now"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Worker started with {len(registered_jobs())} jobs; stop with Ctrl-C or SIGTERM.")
        run_worker(tick_seconds=options["tick"], should_stop=lambda: stopping["now"])
        self.stdout.write("Worker stopped.")
