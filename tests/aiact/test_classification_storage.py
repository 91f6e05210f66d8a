"""Stored classifications: versions, the algorithm's risk class, tasks from obligations and re-classification."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from tests.register.factories import AlgorithmFactory, complete_algorithm_data, published_algorithm
from verantwoord.aiact import selectors, services
from verantwoord.compliance.choices import TaskStatus
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.register import services as register_services
from verantwoord.register.choices import PublicationState

pytestmark = pytest.mark.django_db
SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def answers(name: str, **changes: str) -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))["answers"]
    return {**data, **changes}


def test_store_makes_a_version_sets_the_risk_class_and_tasks(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation, owner=beheerder)
    stored, sync = services.classification_store(
        actor=beheerder,
        algorithm=algorithm,
        answers=answers("social_assistance_fraud_risk_model"),
        justifications={"profiling": "Beoordeelt kenmerken van aanvragers", "not_on_path": "x"},
    )
    assert stored.version == 1
    assert stored.risk_class == "high_risk"
    assert stored.justifications == {"profiling": "Beoordeelt kenmerken van aanvragers"}
    algorithm.refresh_from_db()
    assert algorithm.ai_act_risk_class == "high_risk"
    keys = set(ComplianceTask.objects.filter(algorithm=algorithm).values_list("source_key", flat=True))
    assert len(keys) == len(stored.result["obligations"]) == len(sync.created)
    assert "fundamental_rights_impact_assessment" in keys
    task = ComplianceTask.objects.filter(algorithm=algorithm).first()
    assert task is not None and task.owner == beheerder and task.due_date is not None
    assert AuditRecord.objects.filter(action="aiact.classify", object_id=str(stored.pk)).exists()


def test_reclassification_updates_tasks_and_keeps_evidence(
    organisation: Organisation, beheerder: User
) -> None:
    from verantwoord.compliance import services as compliance_services

    algorithm = AlgorithmFactory(organisation=organisation)
    first, _sync = services.classification_store(
        actor=beheerder, algorithm=algorithm, answers=answers("social_assistance_fraud_risk_model")
    )
    fria = ComplianceTask.objects.filter(
        algorithm=algorithm, source_key="fundamental_rights_impact_assessment"
    ).first()
    assert fria is not None
    compliance_services.evidence_add(
        actor=beheerder, task=fria, title="Notitie", url="https://intranet.example/n"
    )
    second, sync = services.classification_store(
        actor=beheerder, algorithm=algorithm, answers=answers("website_chatbot")
    )
    assert second.version == 2
    assert not selectors.classifications_of(algorithm=algorithm).get(version=1).is_current
    assert sync.closed, "high-risk duties no longer apply to a chatbot"
    fria.refresh_from_db()
    assert fria.status == TaskStatus.NOT_APPLICABLE
    assert "versie 2" in fria.closed_reason or "version 2" in fria.closed_reason
    assert fria.evidence.count() == 1
    algorithm.refresh_from_db()
    assert algorithm.ai_act_risk_class == "transparency"
    assert first.result != second.result


def test_bad_answers_are_refused_with_the_question(organisation: Organisation, beheerder: User) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    with pytest.raises(ValidationError, match="annex_iii_area"):
        bad = answers("traffic_light_control")
        del bad["annex_iii_area"]
        services.classification_store(actor=beheerder, algorithm=algorithm, answers=bad)
    with pytest.raises(ValidationError):
        services.classification_store(actor=beheerder, algorithm=algorithm, answers={"subject": "nonsense"})


def test_prohibited_outcome_blocks_use_and_publication_as_in_use(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = register_services.algorithm_create(
        actor=beheerder, organisation=organisation, data=complete_algorithm_data(status="in_development")
    )
    services.classification_store(
        actor=beheerder, algorithm=algorithm, answers=answers("neighbourhood_risk_score")
    )
    algorithm.refresh_from_db()
    assert algorithm.ai_act_risk_class == "prohibited"
    with pytest.raises(ValidationError, match=r"verboden|prohibited"):
        register_services.algorithm_update(actor=beheerder, algorithm=algorithm, data={"status": "in_use"})
    register_services.algorithm_transition(
        actor=beheerder, algorithm=algorithm, to_state=PublicationState.READY_FOR_REVIEW
    )
    register_services.algorithm_transition(
        actor=beheerder, algorithm=algorithm, to_state=PublicationState.APPROVED
    )
    register_services.algorithm_transition(
        actor=beheerder, algorithm=algorithm, to_state=PublicationState.PUBLISHED
    )


def test_published_algorithm_gets_risk_class_on_the_next_publication(
    organisation: Organisation, beheerder: User
) -> None:
    from verantwoord.register import selectors as register_selectors

    algorithm = published_algorithm(organisation)
    services.classification_store(actor=beheerder, algorithm=algorithm, answers=answers("website_chatbot"))
    [public] = register_selectors.public_publications()
    assert public.ai_act_risk_class == ""
    algorithm.refresh_from_db()
    assert (
        algorithm.publication_state == PublicationState.PUBLISHED
    )  # a classification is not an edit to review
    for state in (
        PublicationState.DRAFT,
        PublicationState.READY_FOR_REVIEW,
        PublicationState.APPROVED,
        PublicationState.PUBLISHED,
    ):
        register_services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=state)
    [public] = register_selectors.public_publications()
    assert public.ai_act_risk_class == "transparency"


def test_wizard_answers_drop_what_is_off_the_new_path(organisation: Organisation, beheerder: User) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    full = answers("traffic_light_control")
    for question_id, answer_id in full.items():
        services.classification_draft_answer(
            actor=beheerder, algorithm=algorithm, question_id=question_id, answer_id=answer_id
        )
    draft = selectors.draft_of(algorithm=algorithm)
    assert draft is not None and draft.answers == full
    services.classification_draft_answer(
        actor=beheerder, algorithm=algorithm, question_id="ai_system", answer_id="rules"
    )
    draft.refresh_from_db()
    assert "annex_iii_area" not in draft.answers
    assert draft.answers["ai_system"] == "rules"
    with pytest.raises(ValidationError):
        services.classification_draft_answer(
            actor=beheerder, algorithm=algorithm, question_id="ai_system", answer_id="maybe"
        )


def test_public_page_shows_the_risk_class_once_published(organisation: Organisation, beheerder: User) -> None:
    from django.test import Client

    algorithm = published_algorithm(organisation)
    services.classification_store(actor=beheerder, algorithm=algorithm, answers=answers("website_chatbot"))
    for state in (
        PublicationState.DRAFT,
        PublicationState.READY_FOR_REVIEW,
        PublicationState.APPROVED,
        PublicationState.PUBLISHED,
    ):
        register_services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=state)
    content = Client().get(f"/register/{organisation.slug}/{algorithm.pk}").content.decode()
    assert "Risicoklasse AI-verordening" in content
    assert "Transparantieverplichtingen" in content
