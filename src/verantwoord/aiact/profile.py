"""A classification in the Dutch government's "AI Act profile" vocabulary.

The decision aid of the Dutch government (beslishulp AI-verordening) and the Algoritmekader describe an
algorithm with fixed Dutch labels: soort toepassing (type), rol (role), risicogroep (risk group), systeemrisico,
transparantieverplichting, open-source and beoordeling door derde partij (third-party conformity assessment).
These labels are an exchange format and therefore stay in Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verantwoord.aiact.engine import Classification

ROLE_LABELS = {
    "provider": "aanbieder",
    "deployer": "gebruiksverantwoordelijke",
    "importer": "importeur",
    "distributor": "distributeur",
}
RISK_GROUP_LABELS = {
    "prohibited": "verboden AI",
    "high_risk": "hoog-risico AI",
    "not_high_risk_derogation": "geen hoog-risico AI",
    "not_high_risk": "geen hoog-risico AI",
}
EXCLUDED = "uitzondering van toepassing"
AI_SYSTEM = "AI-systeem"
GPAI_SYSTEM = "AI-systeem voor algemene doeleinden"
GPAI_MODEL = "AI-model voor algemene doeleinden"
IMPACTFUL_ALGORITHM = "impactvol algoritme"
NOT_IMPACTFUL_ALGORITHM = "niet-impactvol algoritme"
NO_ALGORITHM = "geen algoritme"
THIRD_PARTY = "beoordeling door derde partij"


@dataclass(frozen=True)
class DutchProfile:
    type: str  # soort toepassing
    roles: tuple[str, ...]  # rol; provider and deployer give both labels
    risk_group: (
        str | None
    )  # risicogroep; None for algorithms that are not AI and for general-purpose AI models
    systemic_risk: str | None  # "systeemrisico" / "geen systeemrisico"; general-purpose AI models only
    transparency: str | None  # "transparantieverplichting" / "geen transparantieverplichting"; AI in scope
    open_source: str | None  # "open-source" / "geen open-source"; when the tree asked
    third_party_assessment: str | None  # "beoordeling door derde partij" when the Annex I product needs one

    def labels(self) -> list[str]:
        """All labels as one list, as the decision aid exports them."""
        single = [
            self.risk_group,
            self.systemic_risk,
            self.transparency,
            self.open_source,
            self.third_party_assessment,
        ]
        return [self.type, *self.roles, *(label for label in single if label)]

    def as_dict(self) -> dict[str, object]:
        return {
            "soortToepassing": self.type,
            "rol": list(self.roles),
            "risicogroep": self.risk_group,
            "systeemrisico": self.systemic_risk,
            "transparantieverplichting": self.transparency,
            "openSource": self.open_source,
            "conformiteitsbeoordeling": self.third_party_assessment,
            "labels": self.labels(),
        }


def _type(classification: Classification) -> str:
    if classification.system_type == "gpai_model":
        return GPAI_MODEL
    if classification.system_type == "no_algorithm":
        return NO_ALGORITHM
    if classification.system_type == "rule_based":
        impactful = classification.effect_on_people in {"legal", "similarly_significant"}
        return IMPACTFUL_ALGORITHM if impactful else NOT_IMPACTFUL_ALGORITHM
    if classification.gpai and classification.gpai.kind == "general_purpose_system":
        return GPAI_SYSTEM
    return AI_SYSTEM


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    if value is None:
        return None
    return yes if value else no


def dutch_profile(classification: Classification) -> DutchProfile:
    risk_group: str | None = None
    if classification.exclusion:
        risk_group = EXCLUDED
    elif classification.risk_class:
        risk_group = RISK_GROUP_LABELS[classification.risk_class]
    is_model = classification.gpai is not None and classification.gpai.kind == "model"
    # Transparency is asked for AI systems in scope that are not prohibited.
    transparency_known = classification.applies and not is_model and classification.risk_class != "prohibited"
    return DutchProfile(
        type=_type(classification),
        roles=tuple(ROLE_LABELS[role] for role in classification.roles),
        risk_group=risk_group,
        systemic_risk=_yes_no(
            classification.gpai.systemic_risk if is_model and classification.gpai else None,
            "systeemrisico",
            "geen systeemrisico",
        ),
        transparency=_yes_no(
            bool(classification.transparency_duties) if transparency_known else None,
            "transparantieverplichting",
            "geen transparantieverplichting",
        ),
        open_source=_yes_no(classification.open_source, "open-source", "geen open-source"),
        third_party_assessment=THIRD_PARTY if classification.third_party_assessment else None,
    )
