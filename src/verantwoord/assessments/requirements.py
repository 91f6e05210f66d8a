"""Which assessments an algorithm needs, and the register gate built on it.

From the algorithm's recorded facts (the pre-scan outcome, personal data, the AI Act outcome) and the
organisation's policy:
- a DPIA when personal data is processed at high risk (GDPR art. 35): by a high-risk AI system, or the pre-scan
  says so; or always, when the policy says so (register fields such as special categories only advise the
  pre-scan, whose outcome then counts);
- an IAMA (which yields the FRIA) when the AI Act classification gives the deployer's fundamental-rights impact
  assessment obligation (art. 27: Annex III high-risk, used by a public body), when the pre-scan says so, or when
  the policy asks one for every impactful algorithm;
- an ethics review for a high-risk AI system, when the policy asks for it.
An algorithm cannot be in use while a required assessment is not approved, unless a beheerder recorded an override.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verantwoord.aiact import selectors as aiact_selectors
from verantwoord.assessments import selectors
from verantwoord.assessments.evaluation import requirements_from_outcome
from verantwoord.assessments.models import Assessment, GateOverride, State
from verantwoord.register.choices import AIActRiskClass, EffectOnPeople, PublicationCategory
from verantwoord.register.models import Algorithm

GATED_KINDS = ("dpia", "iama", "ethics")
FRIA_OBLIGATION = "fundamental_rights_impact_assessment"


def _language() -> str:
    return get_language() or "nl"


def prescan_outcome(algorithm: Algorithm) -> tuple[Assessment | None, dict[str, list[str]]]:
    """The newest pre-scan that has at least been submitted, and what it says is needed."""
    prescan = (
        Assessment.objects.filter(algorithm=algorithm, template_key="prescan")
        .exclude(state__in=(State.DRAFT, State.RETURNED))
        .order_by("-version", "-pk")
        .first()
    )
    if prescan is None:
        return None, {}
    return prescan, requirements_from_outcome(
        selectors.template_of(prescan), selectors.answers_of(assessment=prescan), _language()
    )


def needs_fria(algorithm: Algorithm) -> bool:
    """The AI Act classification gave this deployer the obligation of art. 27 (FRIA)."""
    classification = aiact_selectors.current_classification(algorithm=algorithm)
    if classification is None:
        return False
    return any(item.get("id") == FRIA_OBLIGATION for item in classification.result.get("obligations", []))


def advised_prescan(algorithm: Algorithm) -> list[str]:
    """Signs in the register record that personal data is processed at high risk: reasons to do the pre-scan DPIA
    (its outcome then makes the DPIA required) when none has been done."""
    if not algorithm.personal_data or prescan_outcome(algorithm)[0] is not None:
        return []
    reasons = []
    if algorithm.special_categories:
        reasons.append(_("Special categories of personal data are processed (GDPR art. 9)."))
    if algorithm.automated_decisions:
        reasons.append(_("Automated individual decisions are taken (GDPR art. 22)."))
    if algorithm.effect_on_people != EffectOnPeople.NONE:
        reasons.append(_("The algorithm has a legal or similarly significant effect on people."))
    return reasons


def required_assessments(algorithm: Algorithm) -> dict[str, list[str]]:
    """{kind: [reasons]} of the assessments this algorithm needs (kinds: dpia, iama, ethics, transfer), from
    recorded facts only: the pre-scan's outcome, the AI Act classification, and the organisation's policy."""
    policy = selectors.policy_of(organisation=algorithm.organisation)
    _prescan, outcome = prescan_outcome(algorithm)
    needed: dict[str, list[str]] = {kind: list(reasons) for kind, reasons in outcome.items()}

    def need(kind: str, reason: str) -> None:
        needed.setdefault(kind, []).append(reason)

    high_risk_ai = algorithm.ai_act_risk_class == AIActRiskClass.HIGH_RISK
    if algorithm.personal_data:
        if high_risk_ai:
            need("dpia", _("Personal data is processed by a high-risk AI system (GDPR art. 35)."))
        if policy.dpia_for_all_personal_data:
            need("dpia", _("Organisation policy: a DPIA for every algorithm that processes personal data."))
    if needs_fria(algorithm):
        need("iama", _("The AI Act requires a fundamental-rights impact assessment (art. 27)."))
    if policy.iama_for_impactful and algorithm.publication_category in (
        PublicationCategory.IMPACTFUL,
        PublicationCategory.HIGH_RISK_AI,
    ):
        need("iama", _("Organisation policy: an IAMA for every impactful algorithm."))
    if policy.ethics_for_high_risk and high_risk_ai:
        need("ethics", _("Organisation policy: an ethics review for every high-risk AI system."))
    return needed


@dataclass(frozen=True)
class RequirementStatus:
    kind: str
    reasons: list[str]
    approved: Assessment | None
    in_progress: Assessment | None
    override: GateOverride | None
    gated: bool = field(default=True)

    @property
    def met(self) -> bool:
        return self.approved is not None or self.override is not None or not self.gated


def requirement_statuses(algorithm: Algorithm) -> list[RequirementStatus]:
    overrides = {
        override.requirement: override for override in selectors.active_overrides(algorithm=algorithm)
    }
    statuses = []
    for kind, reasons in sorted(required_assessments(algorithm).items()):
        gated = kind in GATED_KINDS
        statuses.append(
            RequirementStatus(
                kind=kind,
                reasons=reasons,
                approved=selectors.approved_assessment(algorithm=algorithm, template_key=kind)
                if gated
                else None,
                in_progress=selectors.open_assessment(algorithm=algorithm, template_key=kind)
                if gated
                else None,
                override=overrides.get(kind),
                gated=gated,
            )
        )
    return statuses


def kind_label(kind: str) -> str:
    return {
        "dpia": _("DPIA"),
        "iama": _("IAMA (fundamental-rights impact assessment)"),
        "ethics": _("Ethics review"),
        "transfer": _("Data-transfer impact assessment"),
        "prescan": _("Pre-scan DPIA"),
        "supplier": _("Supplier questionnaire"),
    }.get(kind, kind)


def assessment_gate(algorithm: Algorithm) -> list[str]:
    """The register gate: why the algorithm may not be in use while required assessments are not approved."""
    return [
        _("A required %(assessment)s has not been approved: %(reasons)s")
        % {"assessment": kind_label(status.kind), "reasons": " ".join(status.reasons)}
        for status in requirement_statuses(algorithm)
        if not status.met
    ]
