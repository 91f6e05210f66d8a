"""Fixtures of the decision log tests: an algorithm of the test organisation and decision records."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tests.register.factories import published_algorithm
from verantwoord.core.models import Organisation
from verantwoord.decisionlog import services
from verantwoord.decisionlog.models import DecisionLog
from verantwoord.register.models import Algorithm

BSN = "111222333"  # passes the 11-test; no real person
OTHER_BSN = "123456782"


def record(number: int, **overrides: Any) -> dict[str, Any]:
    """A valid decision record."""
    decided_at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=number % 100_000
    )
    data: dict[str, Any] = {
        "decision_id": f"BIJ-{number:05d}",
        "decided_at": decided_at.isoformat(),
        "subject": BSN if number % 2 else OTHER_BSN,
        "model_version": "3.1.0",
        "inputs": {"huishouden": "alleenstaand", "inkomen": 1234.5, "kinderen": number % 3},
        "output": round(0.1 + (number % 9) / 10, 2),
        "decision": "onderzoek" if number % 4 == 0 else "geen onderzoek",
        "human_review": {"reviewed": True, "overridden": False, "reviewer": "consulent-07"},
        "explanation": "Score onder de drempel.",
        "group_attributes": {"nationaliteit": "Nederlands" if number % 3 else "buiten EU", "geslacht": "v"},
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def algorithm(organisation: Organisation) -> Algorithm:
    return published_algorithm(organisation, name="Risicomodel bijstand")


@pytest.fixture
def log(organisation: Organisation) -> DecisionLog:
    return services.decision_log_of(organisation)


@pytest.fixture
def append(organisation: Organisation, algorithm: Algorithm) -> Callable[..., services.AppendReport]:
    """append(record, ...) through the service, numbered as lines 1, 2, …"""

    def run(*records: dict[str, Any], atomic: bool = False) -> services.AppendReport:
        return services.decisions_append(
            organisation=organisation,
            algorithm=algorithm,
            records=list(enumerate(records, start=1)),
            source="test",
            atomic=atomic,
        )

    return run
