"""Demo: classify the demo algorithms of Gemeente Voorbeeldstad with realistic answers (data/demo_answers.yaml).

Runs after the register's demo loader; idempotent (an algorithm that has a classification is left alone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from verantwoord.aiact import selectors, services
from verantwoord.core.models import Organisation, User
from verantwoord.register.models import Algorithm

DEMO_ANSWERS = Path(__file__).resolve().parent / "data" / "demo_answers.yaml"


def classify_demo_algorithms(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    data = yaml.safe_load(DEMO_ANSWERS.read_text(encoding="utf-8"))["algorithms"]
    classified = 0
    for source_id, entry in data.items():
        algorithm = Algorithm.objects.filter(organisation=organisation, source_id=source_id).first()
        if algorithm is None or selectors.current_classification(algorithm=algorithm) is not None:
            continue
        services.classification_store(
            actor=users.get(algorithm.owner.username if algorithm.owner else "eigenaar"),
            algorithm=algorithm,
            answers=entry["answers"],
            justifications=entry.get("justifications", {}),
            reason="Demo data",
        )
        classified += 1
    return {"classified": classified}
