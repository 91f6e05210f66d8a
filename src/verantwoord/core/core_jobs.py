"""The periodic jobs of the core."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from verantwoord.core.jobs import PeriodicJob


def clear_expired_sessions() -> str:
    deleted, _details = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"{deleted} expired sessions removed"


CORE_JOBS = [PeriodicJob("core.clear_expired_sessions", timedelta(hours=1), clear_expired_sessions)]
