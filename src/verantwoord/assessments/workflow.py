"""The assessment workflow as one table: which step leads from which state to which, and who may take it.

The services check every transition against this table; the pages read it to show the possible next steps; the AI
policy document prints it (section 3, review and escalation).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verantwoord.assessments.models import Advisor, Assessment, State
from verantwoord.assessments.questionnaire import current_template, template_version
from verantwoord.core.permissions import Permission


@dataclass(frozen=True)
class Step:
    action: str  # submit, advise, decide, return, supersede
    label: Promise
    permissions: frozenset[Permission]  # any one of them; empty: only the system takes this step


SUBMIT = Step("submit", _("Submit for review"), frozenset({Permission.EDIT_ASSESSMENTS}))
ADVISE = Step("advise", _("Give advice"), frozenset({Permission.ADVISE_ASSESSMENT}))
DECIDE = Step("decide", _("Decide"), frozenset({Permission.DECIDE_ASSESSMENT}))
RETURN = Step(
    "return",
    _("Return for changes"),
    frozenset({Permission.ADVISE_ASSESSMENT, Permission.DECIDE_ASSESSMENT}),
)
SUPERSEDE = Step("supersede", _("Superseded when a newer version is decided"), frozenset())

TRANSITIONS: dict[State, dict[State, Step]] = {
    State.DRAFT: {State.SUBMITTED: SUBMIT},
    State.RETURNED: {State.SUBMITTED: SUBMIT},
    # Straight to a decision only when the template asks for no advice (checked by the service).
    State.SUBMITTED: {State.ADVISED: ADVISE, State.DECIDED: DECIDE, State.RETURNED: RETURN},
    State.ADVISED: {State.DECIDED: DECIDE, State.RETURNED: RETURN},
    State.DECIDED: {State.SUPERSEDED: SUPERSEDE},
    State.SUPERSEDED: {},
}
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Roles that give each kind of advice (the permission says who may advise at all; this says on what).
ADVISOR_ROLES = {Advisor.PRIVACY_OFFICER: "privacy_officer", Advisor.ETHICS_COMMITTEE: "ethics_member"}


def step_between(from_state: str, to_state: str) -> Step | None:
    return TRANSITIONS.get(State(from_state), {}).get(State(to_state)) if from_state in State.values else None


def advisor_for(assessment: Assessment) -> Advisor | None:
    """Who must advise before the decision: the FG on a DPIA, the ethics committee on an ethics review or on the
    IAMA of a high-risk AI system; nobody on the others."""
    try:
        template = template_version(assessment.template_key, assessment.template_version)
    except ValueError:
        template = current_template(assessment.template_key)
    if template.advice_by == "privacy_officer":
        return Advisor.PRIVACY_OFFICER
    if template.advice_by == "ethics_committee" or (
        template.advice_by == "ethics_committee_if_high_risk" and assessment.high_risk
    ):
        return Advisor.ETHICS_COMMITTEE
    return None


def next_steps(assessment: Assessment) -> dict[State, Step]:
    """The steps that may be taken from the assessment's state now (advice first where it is required)."""
    steps = dict(TRANSITIONS[State(assessment.state)])
    steps.pop(State.SUPERSEDED, None)
    advisor = advisor_for(assessment)
    if assessment.state == State.SUBMITTED:
        if advisor is None:
            steps.pop(State.ADVISED, None)
        else:
            steps.pop(State.DECIDED, None)
    return steps
