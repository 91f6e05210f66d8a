"""The obligations that follow from a classification, with the date each applies from.

The catalogue (data/obligations.yaml) says for each obligation to whom it applies (`applies_to`: conditions on
the classification) and from when (`applies_from`: a key of data/application_dates.yaml, or one per high-risk
basis). `obligations_for()` resolves the dates in the active dates version, or the one asked for, and reports
that version and its legal source with every obligation.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from verantwoord.aiact.dates import ApplicationDates, DatesVersion, application_dates
from verantwoord.aiact.engine import Classification
from verantwoord.aiact.texts import Text, text
from verantwoord.aiact.tree import DATA_DIR

OBLIGATIONS_FILE = DATA_DIR / "obligations.yaml"

ADDRESSEES = ("operator", "provider", "deployer", "importer", "distributor")
HIGH_RISK_BASIS_KINDS = ("annex_iii", "annex_i")
# Condition keys whose value is a list the classification must share a value with.
LIST_CONDITIONS = (
    "system_type",
    "risk_class",
    "roles",
    "high_risk_basis",
    "annex_iii_point",
    "annex_iii_point_not",
    "transparency_duties",
    "gpai",
    "deployer_kind",
    "effect_on_people",
)
BOOLEAN_CONDITIONS = ("systemic_risk", "open_source")


class ObligationsError(Exception):
    """The obligations catalogue is malformed."""


@dataclass(frozen=True)
class Condition:
    """Conditions on a classification; all must hold, and at least one of `any_of` when it is given."""

    values: Mapping[str, frozenset[str]]  # key -> allowed values (for annex_iii_point_not: excluded values)
    flags: Mapping[str, bool]  # systemic_risk, open_source
    any_of: tuple[Condition, ...] = ()

    def matches(self, classification: Classification) -> bool:
        facts = _condition_facts(classification)
        for key, allowed in self.values.items():
            if key == "annex_iii_point_not":
                if facts["annex_iii_point"] & allowed:
                    return False
            elif not facts[key] & allowed:
                return False
        gpai = classification.gpai
        for key, wanted in self.flags.items():
            value = getattr(gpai, key, None) if key == "systemic_risk" else classification.open_source
            if value is not wanted:
                return False
        return not self.any_of or any(condition.matches(classification) for condition in self.any_of)


def _condition_facts(classification: Classification) -> dict[str, frozenset[str]]:
    def one(value: str | None) -> frozenset[str]:
        return frozenset({value}) if value else frozenset()

    return {
        "system_type": one(classification.system_type),
        "risk_class": one(classification.risk_class),
        "roles": frozenset(classification.roles),
        "high_risk_basis": frozenset(basis.split(":")[0] for basis in classification.high_risk_bases),
        "annex_iii_point": one(classification.annex_iii_point),
        "transparency_duties": frozenset(classification.transparency_duties),
        "gpai": one(classification.gpai.kind if classification.gpai else None),
        "deployer_kind": one(classification.deployer_kind),
        "effect_on_people": one(classification.effect_on_people),
    }


@dataclass(frozen=True)
class ObligationSpec:
    """An entry of the catalogue."""

    id: str
    addressee: str
    title: Text
    explanation: Text
    references: tuple[str, ...]
    applies_to: Condition
    applies_from: str | Mapping[str, str]  # a date key, or a date key per high-risk basis kind


@dataclass(frozen=True)
class ObligationCatalogue:
    version: str
    legal_source: str
    last_reviewed: str
    obligations: tuple[ObligationSpec, ...]

    def get(self, obligation_id: str) -> ObligationSpec:
        for spec in self.obligations:
            if spec.id == obligation_id:
                return spec
        raise KeyError(obligation_id)


@dataclass(frozen=True)
class Obligation:
    """An obligation for a classified algorithm, with the date it applies from."""

    id: str
    addressee: str
    title: Text
    explanation: Text
    references: tuple[str, ...]
    applies_from: datetime.date
    date_key: str
    dates_version: str
    dates_legal_source: str
    catalogue_version: str


def _condition(raw: Mapping[str, Any], where: str) -> Condition:
    values: dict[str, frozenset[str]] = {}
    flags: dict[str, bool] = {}
    for key, value in raw.items():
        if key == "any_of":
            continue
        if key in LIST_CONDITIONS and isinstance(value, list) and value:
            values[key] = frozenset(str(item) for item in value)
        elif key in BOOLEAN_CONDITIONS and isinstance(value, bool):
            flags[key] = value
        else:
            raise ObligationsError(f"{where}: unknown condition {key}: {value!r}")
    any_of = tuple(_condition(item, f"{where}/any_of") for item in raw.get("any_of", ()))
    return Condition(values=values, flags=flags, any_of=any_of)


def parse_obligations(raw: Any, *, dates: ApplicationDates | None = None) -> ObligationCatalogue:
    """The catalogue from the parsed YAML; every date key must exist in every dates version."""
    dates = dates or application_dates()
    specs: list[ObligationSpec] = []
    for item in raw["obligations"]:
        where = f"obligation '{item.get('id')}'"
        applies_from = item["applies_from"]
        keys = list(applies_from.values()) if isinstance(applies_from, dict) else [applies_from]
        if isinstance(applies_from, dict) and set(applies_from) - set(HIGH_RISK_BASIS_KINDS):
            raise ObligationsError(f"{where}: applies_from is keyed by {', '.join(HIGH_RISK_BASIS_KINDS)}")
        for version in dates.versions.values():
            for key in keys:
                version.date(str(key))
        if item["addressee"] not in ADDRESSEES:
            raise ObligationsError(f"{where}: unknown addressee '{item['addressee']}'")
        specs.append(
            ObligationSpec(
                id=str(item["id"]),
                addressee=str(item["addressee"]),
                title=text(item["title"]),
                explanation=text(item["explanation"]),
                references=tuple(item["references"]),
                applies_to=_condition(item["applies_to"], where),
                applies_from=(
                    {str(kind): str(key) for kind, key in applies_from.items()}
                    if isinstance(applies_from, dict)
                    else str(applies_from)
                ),
            )
        )
    ids = [spec.id for spec in specs]
    if len(ids) != len(set(ids)):
        raise ObligationsError("An obligation id is used twice.")
    return ObligationCatalogue(
        version=str(raw["version"]),
        legal_source=str(raw["legal_source"]),
        last_reviewed=str(raw["last_reviewed"]),
        obligations=tuple(specs),
    )


def load_obligations(path: Path = OBLIGATIONS_FILE) -> ObligationCatalogue:
    return parse_obligations(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def obligation_catalogue() -> ObligationCatalogue:
    """The obligations catalogue this installation uses (data/obligations.yaml)."""
    return load_obligations()


def _date_key(spec: ObligationSpec, classification: Classification, version: DatesVersion) -> str:
    if isinstance(spec.applies_from, str):
        return spec.applies_from
    kinds = [basis.split(":")[0] for basis in classification.high_risk_bases]
    keys = [spec.applies_from[kind] for kind in kinds if kind in spec.applies_from]
    if not keys:
        raise ObligationsError(
            f"Obligation '{spec.id}' has no date for the high-risk basis {', '.join(kinds) or '(none)'}."
        )
    # A system that is high-risk on more than one basis: the earliest date binds.
    return min(keys, key=lambda key: version.date(key).date)


def obligations_for(
    classification: Classification,
    *,
    dates_version: str | None = None,
    dates: ApplicationDates | None = None,
    catalogue: ObligationCatalogue | None = None,
) -> list[Obligation]:
    """The obligations for a classification, in catalogue order, dated by `dates_version` (default: active)."""
    if not classification.applies:
        return []
    catalogue = catalogue or obligation_catalogue()
    version = (dates or application_dates()).get(dates_version)
    obligations = []
    for spec in catalogue.obligations:
        if not spec.applies_to.matches(classification):
            continue
        key = _date_key(spec, classification, version)
        obligations.append(
            Obligation(
                id=spec.id,
                addressee=spec.addressee,
                title=spec.title,
                explanation=spec.explanation,
                references=spec.references,
                applies_from=version.date(key).date,
                date_key=key,
                dates_version=version.id,
                dates_legal_source=version.legal_source,
                catalogue_version=catalogue.version,
            )
        )
    return obligations
