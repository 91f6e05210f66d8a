"""What the assessments area adds to the AI policy: compliance checks, and the live blocks of section 3 (review and
escalation steps, from the workflow table) and section 4 (which assessments are required when, from the
organisation's gate policy)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.assessments import selectors
from verantwoord.assessments.models import State
from verantwoord.assessments.requirements import kind_label, required_assessments
from verantwoord.assessments.workflow import TRANSITIONS
from verantwoord.core.models import Organisation
from verantwoord.core.permissions import GRANTS
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.choices import AIActRiskClass
from verantwoord.register.models import Algorithm


def _algorithm_url(organisation: Organisation, algorithm: Algorithm) -> str:
    return reverse("register-staff:detail", kwargs={"slug": organisation.slug, "algorithm_id": algorithm.pk})


def _missing(organisation: Organisation, kind: str, algorithms: list[Algorithm]) -> CheckOutcome:
    # Approvals in one query first: only the algorithms without one need their requirements worked out.
    approved = selectors.approved_algorithm_ids(algorithms=algorithms, template_key=kind)
    concerned = [
        algorithm
        for algorithm in algorithms
        if algorithm.pk not in approved and kind in required_assessments(algorithm)
    ]
    return CheckOutcome(
        count=len(concerned),
        items=[
            ConcernedItem(algorithm.name, _algorithm_url(organisation, algorithm))
            for algorithm in concerned[:ITEMS_LISTED]
        ],
    )


def high_risk_without_iama(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    del today
    algorithms = list(
        Algorithm.objects.filter(
            organisation=organisation, ai_act_risk_class=AIActRiskClass.HIGH_RISK, archived_at__isnull=True
        )
        .select_related("organisation")
        .order_by("name")
    )
    if not algorithms:
        return CheckOutcome(count=0, not_applicable=True)
    return _missing(organisation, "iama", algorithms)


def personal_data_without_dpia(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    del today
    algorithms = list(
        Algorithm.objects.filter(organisation=organisation, personal_data=True, archived_at__isnull=True)
        .exclude(ai_act_risk_class__in=("", AIActRiskClass.NOT_AI))
        .select_related("organisation")
        .order_by("name")
    )
    if not algorithms:
        return CheckOutcome(count=0, not_applicable=True)
    return _missing(organisation, "dpia", algorithms)


def reviews_overdue(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    due = list(selectors.reviews_due(today=today, organisation=organisation).order_by("review_date"))
    return CheckOutcome(
        count=len(due),
        items=[
            ConcernedItem(
                f"{assessment.algorithm.name}: {kind_label(assessment.template_key)} v{assessment.version}",
                reverse(
                    "assessments:detail", kwargs={"slug": organisation.slug, "assessment_id": assessment.pk}
                ),
            )
            for assessment in due[:ITEMS_LISTED]
        ],
    )


def _overview_url(organisation: Organisation) -> str:
    return reverse("assessments:overview", kwargs={"slug": organisation.slug})


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="assessments.high_risk_without_fria",
        title=gettext_lazy("High-risk AI systems without an approved FRIA/IAMA"),
        explanation=gettext_lazy(
            "A municipality that deploys a high-risk AI system of Annex III must assess the effects on fundamental "
            "rights before first use. Complete an IAMA (it yields the FRIA) and have it decided."
        ),
        source=gettext_lazy("AI Act art. 27"),
        severity=Severity.HIGH,
        run=high_risk_without_iama,
        fix_url=_overview_url,
    ),
    ComplianceCheck(
        key="assessments.personal_data_without_dpia",
        title=gettext_lazy("AI systems with personal data without an approved DPIA"),
        explanation=gettext_lazy(
            "Processing personal data with an AI system at high risk for the people concerned needs a DPIA, with "
            "the advice of the FG, before it starts."
        ),
        source=gettext_lazy("GDPR art. 35"),
        severity=Severity.HIGH,
        run=personal_data_without_dpia,
        fix_url=_overview_url,
    ),
    ComplianceCheck(
        key="assessments.reviews_overdue",
        title=gettext_lazy("Assessments past their re-assessment date"),
        explanation=gettext_lazy(
            "An assessment is only as good as the situation it described. Re-assess when the review date has come."
        ),
        source=gettext_lazy("GDPR art. 35(11); AI Act art. 27(2)"),
        severity=Severity.MEDIUM,
        run=reviews_overdue,
        fix_url=_overview_url,
    ),
]


def workflow_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 3: the review and escalation steps of an assessment, from the workflow table."""
    del organisation, moment
    rows = []
    for from_state, steps in TRANSITIONS.items():
        for to_state, step in steps.items():
            who = sorted(
                {str(role.label) for permission in step.permissions for role in GRANTS[permission]}
            ) or [_("the system")]
            rows.append(
                [str(State(from_state).label), str(step.label), str(State(to_state).label), ", ".join(who)]
            )
    return LiveContent(
        paragraphs=[
            _(
                "Every assessment follows the same steps. The FG advises on a DPIA; the ethics committee on an "
                "ethics review and on the IAMA of a high-risk AI system. The accountable manager decides. A decided "
                "assessment cannot change: a change makes a new version."
            )
        ],
        tables=[
            Table(
                _("Steps of an assessment"),
                [_("From"), _("Step"), _("To"), _("Who")],
                rows,
            )
        ],
    )


def requirements_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 4: which assessments are required when, by law and by the organisation's policy."""
    del moment
    policy = selectors.policy_of(organisation=organisation)
    yes, no = _("yes"), _("no")
    rows = [
        [
            _(
                "Personal data at high risk (special categories, automated decisions, effect on people, high-risk AI)"
            ),
            _("DPIA"),
            _("GDPR art. 35"),
        ],
        [
            _("High-risk AI system of Annex III used by the municipality"),
            _("IAMA (FRIA)"),
            _("AI Act art. 27"),
        ],
        [_("The pre-scan DPIA says so"), _("DPIA, IAMA or transfer assessment"), _("Pre-scan DPIA")],
    ]
    if policy.dpia_for_all_personal_data:
        rows.append([_("Every algorithm that processes personal data"), _("DPIA"), _("Organisation policy")])
    if policy.iama_for_impactful:
        rows.append([_("Every impactful algorithm"), _("IAMA"), _("Organisation policy")])
    if policy.ethics_for_high_risk:
        rows.append([_("Every high-risk AI system"), _("Ethics review"), _("Organisation policy")])
    return LiveContent(
        paragraphs=[
            _(
                "An algorithm may not be in use while a required assessment has not been approved, unless the "
                "beheerder records an exception with a justification. Assessments are re-assessed after %(months)s "
                "months. Policy: IAMA for every impactful algorithm: %(iama)s; DPIA for all personal data: "
                "%(dpia)s; ethics review for high-risk AI: %(ethics)s."
            )
            % {
                "months": policy.review_months,
                "iama": yes if policy.iama_for_impactful else no,
                "dpia": yes if policy.dpia_for_all_personal_data else no,
                "ethics": yes if policy.ethics_for_high_risk else no,
            }
        ],
        tables=[
            Table(_("Which assessments are required when"), [_("When"), _("Assessment"), _("Source")], rows)
        ],
    )


LIVE_BLOCKS = [
    LiveBlock(
        "assessments.workflow",
        3,
        gettext_lazy("Review and escalation steps of assessments"),
        workflow_block,
        40,
    ),
    LiveBlock(
        "assessments.requirements",
        4,
        gettext_lazy("Which assessments are required when"),
        requirements_block,
        40,
    ),
]
