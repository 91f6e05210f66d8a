"""Demo: assessments of Gemeente Voorbeeldstad in several states — decided and published DPIA and IAMA of the
welfare risk model, a pre-scan, a DPIA awaiting the FG's advice, an ethics review in draft and a returned one.

Runs after the register and AI Act loaders; idempotent (an algorithm that has assessments is left alone)."""

from __future__ import annotations

from typing import Any

from verantwoord.assessments import selectors, services
from verantwoord.assessments.models import AdviceOutcome, Assessment, Decision
from verantwoord.assessments.questionnaire import current_template
from verantwoord.core.models import Organisation, User
from verantwoord.register.models import Algorithm

REASON = "Demo data"


def _fill(assessment: Assessment, actor: User | None, answers: dict[str, Any]) -> None:
    template = current_template(assessment.template_key)
    for question in template.questions():
        if question.id in answers:
            services.answer_save(
                actor=actor,
                assessment=assessment,
                question_id=question.id,
                value=answers[question.id],
                expected_revision=None,
            )


def complete_for_demo(assessment: Assessment, actor: User | None, answers: dict[str, Any]) -> None:
    """Answer every required question that shows (with the given answers first, a plain text otherwise)."""
    _fill(assessment, actor, answers)
    template = current_template(assessment.template_key)
    for _round in range(3):  # follow-up questions appear once their parent is answered
        given = selectors.answers_of(assessment=assessment)
        for question in template.questions():
            if question.required and question.visible(given) and given.get(question.id) in (None, "", []):
                value: Any = "Zie de toelichting in het projectdossier."
                if question.type == "yes_no":
                    value = "yes"
                elif question.type in ("single_choice",):
                    value = question.choices[0].id
                elif question.type == "multiple_choice":
                    value = [question.choices[0].id]
                elif question.type == "references":
                    value = [{"title": "Projectdossier", "link": "https://www.voorbeeldstad.example/"}]
                elif question.type == "risk_table":
                    value = [
                        {
                            "risk": "Onjuiste selectie",
                            "source": "Datafout",
                            "likelihood": "medium",
                            "severity": "high",
                            "measure": "Menselijke toets",
                            "residual": "low",
                        }
                    ]
                services.answer_save(
                    actor=actor,
                    assessment=assessment,
                    question_id=question.id,
                    value=value,
                    expected_revision=None,
                )


DPIA_ANSWERS: dict[str, Any] = {
    "management_summary": "Het risicomodel helpt consulenten bijstandsaanvragen te kiezen voor extra controle. Het grootste risico is ongelijke behandeling; dat beperken we met een menselijke toets en maandelijkse biascontroles.",
    "proposal": "Met een risicomodel bepalen welke bijstandsaanvragen extra worden gecontroleerd.",
    "uses_algorithm": "yes",
    "legal_ground": "public_task",
    "legal_ground_explanation": "Participatiewet, artikel 17 en 53a.",
    "special_categories": "no",
    "further_use": "no",
    "outside_eu": "no",
    "processor_agreement": "yes",
    "residual_high": "no",
    "risks": [
        {
            "risk": "Groepen inwoners worden vaker geselecteerd",
            "source": "Bias in historische dossiers",
            "likelihood": "medium",
            "severity": "high",
            "measure": "Maandelijkse biascontrole; kenmerk postcode verwijderd",
            "residual": "low",
        },
        {
            "risk": "Onterechte controle door datafout",
            "source": "Fouten in de aanvraag",
            "likelihood": "low",
            "severity": "medium",
            "measure": "Consulent controleert elk signaal",
            "residual": "low",
        },
    ],
    "measures": [{"title": "Jaarlijkse externe toets van het model", "due_date": "2027-03-01"}],
}


def load_demo_assessments(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    owner, fg, ethics, manager = (
        users.get("eigenaar"),
        users.get("fg"),
        users.get("ethiek"),
        users.get("beheerder"),
    )
    made = 0
    welfare = Algorithm.objects.filter(organisation=organisation, source_id="VBS-002").first()
    if welfare is not None and not Assessment.objects.filter(algorithm=welfare).exists():
        prescan = services.assessment_start(
            actor=owner, algorithm=welfare, template_key="prescan", reason=REASON
        )
        complete_for_demo(
            prescan,
            owner,
            {
                "personal_data": "yes",
                "special_categories": "no",
                "scale": "medium",
                "vulnerable": "yes",
                "new_technology": "yes",
                "decisions_about_people": "yes",
                "dpa_list": "yes",
                "outside_eu": "no",
            },
        )
        services.assessment_submit(actor=owner, assessment=prescan)
        services.assessment_decide(
            actor=manager,
            assessment=prescan,
            decision=Decision.APPROVED,
            note="De pre-scan is compleet: DPIA en IAMA zijn nodig.",
        )
        dpia = services.assessment_start(actor=owner, algorithm=welfare, template_key="dpia", reason=REASON)
        complete_for_demo(dpia, owner, DPIA_ANSWERS)
        services.assessment_submit(actor=owner, assessment=dpia)
        services.assessment_advise(
            actor=fg,
            assessment=dpia,
            outcome=AdviceOutcome.POSITIVE_WITH_CONDITIONS,
            text="De verwerking is rechtmatig als de biascontrole wordt vastgelegd.",
            conditions=[
                {
                    "text": "Leg de maandelijkse biascontrole vast in het beslissingslogboek",
                    "owner": owner.pk if owner else None,
                    "due_date": "2026-12-31",
                }
            ],
        )
        services.assessment_decide(
            actor=manager,
            assessment=dpia,
            decision=Decision.APPROVED_WITH_CONDITIONS,
            note="Akkoord, met de voorwaarde van de FG.",
            conditions=[
                {
                    "text": "Evalueer het model na één jaar",
                    "owner": owner.pk if owner else None,
                    "due_date": "2027-06-30",
                }
            ],
        )
        services.summary_publish(
            actor=manager,
            assessment=dpia,
            summary="De gemeente heeft de privacyrisico's van het risicomodel bijstand onderzocht. De FG gaf een positief advies met voorwaarden. Een consulent beslist altijd zelf en het model wordt elke maand gecontroleerd op ongelijke behandeling.",
        )
        iama = services.assessment_start(actor=owner, algorithm=welfare, template_key="iama", reason=REASON)
        complete_for_demo(
            iama,
            owner,
            {
                "legal_basis": "yes",
                "algorithm_kind": "self_learning",
                "recommendation": "proceed_with_measures",
                "rights_affected": ["equality", "privacy", "social_security"],
            },
        )
        services.assessment_submit(actor=owner, assessment=iama)
        if iama.high_risk:
            services.assessment_advise(
                actor=ethics,
                assessment=iama,
                outcome=AdviceOutcome.POSITIVE,
                text="De afweging is zorgvuldig gemaakt.",
            )
        services.assessment_decide(
            actor=manager,
            assessment=iama,
            decision=Decision.APPROVED,
            note="Het model mag worden gebruikt met de maatregelen uit deel 4.",
        )
        made += 3
    chatbot = Algorithm.objects.filter(organisation=organisation, source_id="VBS-003").first()
    if chatbot is not None and not Assessment.objects.filter(algorithm=chatbot).exists():
        ethics_review = services.assessment_start(
            actor=owner, algorithm=chatbot, template_key="ethics", reason=REASON
        )
        _fill(
            ethics_review,
            owner,
            {"human_agency": "yes", "robustness": "De antwoorden zijn getest op 500 veelgestelde vragen."},
        )
        made += 1
    for source_id in ("VBS-004", "VBS-006"):
        algorithm = Algorithm.objects.filter(organisation=organisation, source_id=source_id).first()
        if algorithm is None or Assessment.objects.filter(algorithm=algorithm).exists():
            continue
        dpia = services.assessment_start(actor=owner, algorithm=algorithm, template_key="dpia", reason=REASON)
        complete_for_demo(
            dpia,
            owner,
            {
                "legal_ground": "public_task",
                "uses_algorithm": "no",
                "special_categories": "no",
                "further_use": "no",
                "outside_eu": "no",
                "residual_high": "no",
            },
        )
        services.assessment_submit(actor=owner, assessment=dpia)
        if source_id == "VBS-006":
            services.assessment_return(
                actor=fg, assessment=dpia, reason="Beschrijf de bewaartermijnen per soort gegeven."
            )
        made += 1
    if made:
        services.policy_update(
            actor=None,
            organisation=organisation,
            data={"iama_for_impactful": False, "review_months": 24},
            reason=REASON,
        )
    return {"assessments": made}
