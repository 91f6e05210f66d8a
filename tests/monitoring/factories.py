"""Monitoring objects for tests of other areas (the permission matrix): a configuration and a finding."""

from __future__ import annotations

from django.utils import timezone

from tests.monitoring.conftest import CONFIG
from verantwoord.monitoring import services
from verantwoord.monitoring.models import Finding
from verantwoord.register.models import Algorithm


def monitored_finding(algorithm: Algorithm) -> Finding:
    """A configured check of ``algorithm`` and an open finding of it."""
    services.config_save(actor=None, algorithm=algorithm, values=CONFIG)
    now = timezone.now()
    return Finding.objects.create(
        organisation=algorithm.organisation,
        algorithm=algorithm,
        attribute="nationaliteit",
        metric="selection_rate",
        group="buiten EU",
        reference="Nederlands",
        value=0.21,
        value_ci=[0.18, 0.24],
        reference_value=0.10,
        ratio=2.1,
        difference=0.11,
        p_value=0.0001,
        window_start=now - timezone.timedelta(days=90),
        window_end=now,
    )
