"""A classification and its obligations as JSON-safe data in both languages, stored with each version (the
CLI and the API render one language from the engine with `presentation`)."""

from __future__ import annotations

import dataclasses
from typing import Any

from verantwoord.aiact.engine import Classification
from verantwoord.aiact.obligations import Obligation
from verantwoord.aiact.texts import Text


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return value.as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def stored_result(classification: Classification, obligations: list[Obligation]) -> dict[str, Any]:
    """The record kept with a classification version: both languages, every fact, the obligations."""
    data: dict[str, Any] = _plain(classification)
    data["answers"] = dict(classification.answers)
    data["register_risk_class"] = classification.register_risk_class
    data["publication_category"] = classification.publication_category
    data["high_risk_basis"] = classification.high_risk_basis
    data["dutch_profile"] = _plain(classification.dutch_profile())
    data["obligations"] = [_plain(obligation) for obligation in obligations]
    return data
