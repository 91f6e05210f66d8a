"""Periodic jobs run by the worker (`verantwoord worker`), with the database as the queue.

Apps register jobs in their AppConfig.ready(). Any number of workers may run: a job is claimed with one
conditional UPDATE (works the same on SQLite and PostgreSQL), so each due run happens once; a claim expires
after the job's timeout, so a killed worker cannot block a job for ever.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from verantwoord.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    function: Callable[[], str | None]
    timeout: timedelta = timedelta(minutes=10)


_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(job: PeriodicJob) -> None:
    _jobs[job.name] = job


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


@dataclass(frozen=True)
class JobResult:
    name: str
    status: str  # "ok" or "failed"
    message: str
    seconds: float


def _ensure_rows() -> None:
    now = timezone.now()
    for job in _jobs.values():
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})


def _claim(job: PeriodicJob) -> bool:
    now = timezone.now()
    claimed = ScheduledJob.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now), name=job.name, next_run_at__lte=now
    ).update(locked_until=now + job.timeout, last_started_at=now)
    return claimed == 1


def _finish(job: PeriodicJob, *, status: str, message: str) -> None:
    now = timezone.now()
    row = ScheduledJob.objects.get(name=job.name)
    row.locked_until = None
    row.last_finished_at = now
    row.last_status = status
    row.last_message = message[:10_000]
    row.next_run_at = now + job.interval
    row.run_count += 1
    if status == "failed":
        row.failure_count += 1
    row.save()


def run_due_jobs() -> list[JobResult]:
    """Run every registered job that is due and not claimed by another worker; one failure stops no other."""
    _ensure_rows()
    results: list[JobResult] = []
    for job in registered_jobs():
        if not _claim(job):
            continue
        started = time.monotonic()
        try:
            message = job.function() or ""
            status = "ok"
        except Exception:  # a failing job must not stop the worker; the error is kept on the job row
            message = traceback.format_exc()
            status = "failed"
            logger.exception("Job %s failed", job.name)
        _finish(job, status=status, message=message)
        results.append(JobResult(job.name, status, message, round(time.monotonic() - started, 3)))
    return results


def run_worker(*, tick_seconds: float, should_stop: Callable[[], bool]) -> None:
    """The worker loop: run due jobs, sleep a tick, until asked to stop."""
    while not should_stop():
        close_old_connections()
        for result in run_due_jobs():
            logger.info("Job %s: %s in %.3fs", result.name, result.status, result.seconds)
        slept = 0.0
        while slept < tick_seconds and not should_stop():
            time.sleep(min(0.2, tick_seconds))
            slept += 0.2
