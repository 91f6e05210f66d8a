"""The worker: due jobs run once, claims are exclusive and expire, failures are kept and stop nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from verantwoord.core import jobs
from verantwoord.core.jobs import PeriodicJob, register_periodic_job, run_due_jobs, run_worker
from verantwoord.core.models import ScheduledJob

pytestmark = pytest.mark.django_db
calls: list[str] = []


def counting_job() -> str:
    calls.append("ran")
    return "counted"


def failing_job() -> str:
    raise ValueError("broken input")


@pytest.fixture
def test_jobs() -> Iterator[None]:
    saved = dict(jobs._jobs)
    jobs._jobs.clear()
    calls.clear()
    register_periodic_job(PeriodicJob("test.count", timedelta(minutes=5), counting_job))
    register_periodic_job(PeriodicJob("test.fail", timedelta(minutes=5), failing_job))
    yield
    jobs._jobs.clear()
    jobs._jobs.update(saved)


def test_due_jobs_run_once_per_interval(test_jobs: None) -> None:
    results = {result.name: result for result in run_due_jobs()}
    assert results["test.count"].status == "ok"
    assert calls == ["ran"]
    assert run_due_jobs() == []
    row = ScheduledJob.objects.get(name="test.count")
    assert row.run_count == 1
    assert row.next_run_at > timezone.now() + timedelta(minutes=4)
    ScheduledJob.objects.filter(name="test.count").update(next_run_at=timezone.now())
    run_due_jobs()
    assert calls == ["ran", "ran"]


def test_a_failing_job_is_recorded_and_stops_nothing(test_jobs: None) -> None:
    results = {result.name: result for result in run_due_jobs()}
    assert results["test.fail"].status == "failed"
    assert "ValueError: broken input" in results["test.fail"].message
    assert calls == ["ran"]
    row = ScheduledJob.objects.get(name="test.fail")
    assert (row.failure_count, row.last_status, row.locked_until) == (1, "failed", None)


def test_a_job_claimed_by_another_worker_is_skipped_until_the_claim_expires(test_jobs: None) -> None:
    run_due_jobs()
    now = timezone.now()
    ScheduledJob.objects.filter(name="test.count").update(
        next_run_at=now, locked_until=now + timedelta(minutes=1)
    )
    run_due_jobs()
    assert calls == ["ran"]
    ScheduledJob.objects.filter(name="test.count").update(locked_until=now - timedelta(seconds=1))
    run_due_jobs()
    assert calls == ["ran", "ran"]


@pytest.mark.django_db(transaction=True)  # the loop closes old connections, as a long-running worker must
def test_worker_loop_runs_and_stops(test_jobs: None) -> None:
    ticks = iter([False, True])
    run_worker(tick_seconds=0.0, should_stop=lambda: next(ticks, True))
    assert calls == ["ran"]


def test_worker_command_once_and_list(test_jobs: None) -> None:
    out = StringIO()
    call_command("worker", "--once", "--json", stdout=out)
    assert {item["name"] for item in json.loads(out.getvalue())} == {"test.count", "test.fail"}
    out = StringIO()
    call_command("worker", "--list", stdout=out)
    assert "test.count  every 300s" in out.getvalue()


def test_expired_sessions_are_cleared() -> None:
    store = SessionStore()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    fresh = SessionStore()
    fresh.create()
    results = {result.name: result for result in run_due_jobs()}
    assert results["core.clear_expired_sessions"].message == "1 expired sessions removed"
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
