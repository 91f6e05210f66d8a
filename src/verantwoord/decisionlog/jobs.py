"""Periodic jobs of the decision log, run by `verantwoord worker`."""

from __future__ import annotations

from datetime import timedelta

from verantwoord.core.jobs import PeriodicJob
from verantwoord.decisionlog.services import checkpoints_make_due, retention_purge_job

# Every few seconds: a log that grew gets a new signed checkpoint (the worker's tick is 2 s by default).
CHECKPOINT_INTERVAL = timedelta(seconds=5)

DECISION_LOG_JOBS = [
    PeriodicJob(
        "decisionlog.checkpoints", CHECKPOINT_INTERVAL, checkpoints_make_due, timeout=timedelta(minutes=2)
    ),
    PeriodicJob(
        "decisionlog.retention_purge", timedelta(hours=1), retention_purge_job, timeout=timedelta(hours=1)
    ),
]
