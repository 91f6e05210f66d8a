"""Fixtures of the monitoring tests: an algorithm with logged decisions whose group attributes hold a known
disparity, and a configured check."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.register.factories import published_algorithm
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.decisionlog import services as log_services
from verantwoord.monitoring import services
from verantwoord.monitoring.models import MonitoringConfig
from verantwoord.register.models import Algorithm

RATES = {"Nederlands": 0.10, "EU": 0.11, "buiten EU": 0.30}
SHARES = (("Nederlands", 0.6), ("EU", 0.2), ("buiten EU", 0.196), ("statenloos", 0.004))


def _pick(rng: random.Random) -> str:
    value, total = rng.random(), 0.0
    for name, share in SHARES:
        total += share
        if value < total:
            return name
    return SHARES[-1][0]


def decision_records(
    count: int, *, seed: int = 1, days: int = 60, prefix: str = "BIJ"
) -> list[dict[str, Any]]:
    """Decisions within the last ``days`` days; "buiten EU" is selected three times as often; about a
    third of the investigations get an outcome record."""
    rng = random.Random(seed)
    now = timezone.now()
    records: list[dict[str, Any]] = []
    for number in range(count):
        nationality = _pick(rng)
        investigate = rng.random() < RATES.get(nationality, 0.2)
        decided_at = now - datetime.timedelta(days=rng.uniform(1, days))
        decision_id = f"{prefix}-{number:06d}"
        records.append(
            {
                "decision_id": decision_id,
                "decided_at": decided_at.isoformat(),
                "model_version": "1.0",
                "output": round(rng.uniform(0.7, 0.99) if investigate else rng.uniform(0.01, 0.69), 3),
                "decision": "onderzoek" if investigate else "geen onderzoek",
                "group_attributes": {"nationaliteit": nationality, "geslacht": rng.choice(["v", "m"])},
            }
        )
        if investigate and rng.random() < 0.5:
            records.append(
                {
                    "decision_id": f"{decision_id}/uitkomst",
                    "decided_at": (decided_at + datetime.timedelta(hours=1)).isoformat(),
                    "refers_to": decision_id,
                    "fact": "outcome",
                    "decision": rng.choice(["terugvordering", "geen onrechtmatigheid"]),
                }
            )
    return records


CONFIG: dict[str, Any] = {
    "legal_basis": "Art. 9(2)(g) AVG jo. art. 25 UAVG",
    "positive_decision": "onderzoek",
    "group_attributes": ["nationaliteit", "geslacht"],
    "intersections": [["nationaliteit", "geslacht"]],
    "reference_groups": {"nationaliteit": "Nederlands"},
    "metrics": ["selection_rate", "precision"],
    "truth_positive": ["terugvordering"],
    "truth_negative": ["geen onrechtmatigheid"],
    "notify_emails": "ai-team@example.org",
}


@pytest.fixture
def owner(organisation: Organisation, member_of: Callable[..., User]) -> User:
    return member_of(organisation, Role.ALGORITHM_OWNER, email="eigenaar@example.org")


@pytest.fixture
def algorithm(organisation: Organisation, owner: User) -> Algorithm:
    algorithm = published_algorithm(organisation, name="Risicomodel bijstand")
    Algorithm.objects.filter(pk=algorithm.pk).update(owner=owner)
    algorithm.refresh_from_db()
    return algorithm


@pytest.fixture
def append(organisation: Organisation, algorithm: Algorithm) -> Callable[[list[dict[str, Any]]], None]:
    def run(records: list[dict[str, Any]]) -> None:
        records = sorted(records, key=lambda record: record["decided_at"])
        report = log_services.decisions_append(
            organisation=organisation, algorithm=algorithm, records=list(enumerate(records, 1)), source="test"
        )
        assert not report.errors, report.errors[:3]

    return run


@pytest.fixture
def logged(append: Callable[[list[dict[str, Any]]], None]) -> None:
    append(decision_records(3_000))


@pytest.fixture
def config(algorithm: Algorithm, beheerder: User) -> MonitoringConfig:
    return services.config_save(actor=beheerder, algorithm=algorithm, values=CONFIG)
