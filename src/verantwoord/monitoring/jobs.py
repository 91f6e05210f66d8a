"""Periodic job of the monitoring, run by `verantwoord worker`: the scheduled bias checks."""

from __future__ import annotations

from datetime import timedelta

from verantwoord.core.jobs import PeriodicJob
from verantwoord.monitoring.services import checks_run_due

MONITORING_JOBS = [
    PeriodicJob("monitoring.checks", timedelta(hours=1), checks_run_due, timeout=timedelta(minutes=30)),
]
