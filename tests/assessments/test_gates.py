"""Which assessments an algorithm needs, and the register gate: no "in use" without the approved assessment,
unless a beheerder records an override (audited, shown on the algorithm page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.aiact.test_classification_storage import answers
from tests.assessments.factories import decided_dpia, filled, member
from tests.core.factories import OrganisationFactory
from tests.register.factories import complete_algorithm_data, published_algorithm
from verantwoord.aiact import services as aiact_services
from verantwoord.assessments import services
from verantwoord.assessments.models import AdviceOutcome, Decision
from verantwoord.assessments.requirements import assessment_gate, required_assessments
from verantwoord.core.models import AuditRecord
from verantwoord.register import services as register_services
from verantwoord.register.choices import AIActRiskClass, PublicationState, RegisterStatus
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def draft_algorithm(**data: object) -> Algorithm:
    return register_services.algorithm_create(
        actor=None,
        organisation=OrganisationFactory(),
        data=complete_algorithm_data(status=RegisterStatus.IN_DEVELOPMENT, **data),
    )


def set_in_use(algorithm: Algorithm) -> Algorithm:
    return register_services.algorithm_update(
        actor=None, algorithm=algorithm, data={"status": RegisterStatus.IN_USE}
    )


def test_nothing_is_required_without_recorded_facts() -> None:
    algorithm = draft_algorithm(personal_data=True, special_categories=True)
    assert required_assessments(algorithm) == {}
    assert set_in_use(algorithm).status == "in_use"


def test_a_high_risk_deployer_needs_a_fria_iama_and_a_dpia() -> None:
    algorithm = draft_algorithm(personal_data=True)
    aiact_services.classification_store(
        actor=None, algorithm=algorithm, answers=answers("social_assistance_fraud_risk_model")
    )
    algorithm.refresh_from_db()
    assert algorithm.ai_act_risk_class == AIActRiskClass.HIGH_RISK
    needed = required_assessments(algorithm)
    assert set(needed) == {"dpia", "iama"}
    assert "art. 27" in " ".join(needed["iama"])
    with pytest.raises(ValidationError) as refused:
        set_in_use(algorithm)
    assert "DPIA" in str(refused.value) and "IAMA" in str(refused.value)


def test_the_pre_scan_outcome_makes_assessments_required() -> None:
    algorithm = draft_algorithm(personal_data=True)
    prescan = filled(
        algorithm, "prescan", {"personal_data": "yes", "dpa_list": "yes", "decisions_about_people": "no"}
    )
    assert required_assessments(algorithm) == {}  # a draft pre-scan does not count yet
    services.assessment_submit(actor=None, assessment=prescan)
    assert set(required_assessments(algorithm)) == {"dpia"}
    with pytest.raises(ValidationError, match="DPIA"):
        set_in_use(algorithm)
    decided_dpia(algorithm)
    assert assessment_gate(algorithm) == []
    assert set_in_use(algorithm).status == "in_use"


def test_organisation_policy_asks_an_iama_for_every_impactful_algorithm() -> None:
    algorithm = draft_algorithm(publication_category="impactful")
    assert required_assessments(algorithm) == {}
    services.policy_update(actor=None, organisation=algorithm.organisation, data={"iama_for_impactful": True})
    assert "iama" in required_assessments(algorithm)
    iama = filled(algorithm, "iama", {"legal_basis": "yes"})
    services.assessment_submit(actor=None, assessment=iama)
    with pytest.raises(ValidationError, match="IAMA"):
        set_in_use(algorithm)
    services.assessment_decide(actor=None, assessment=iama, decision=Decision.APPROVED, note="Akkoord.")
    assert set_in_use(algorithm).status == "in_use"


def test_the_gate_also_stops_publication_as_in_use() -> None:
    algorithm = published_algorithm(OrganisationFactory(), personal_data=True)
    services.policy_update(
        actor=None, organisation=algorithm.organisation, data={"dpia_for_all_personal_data": True}
    )
    algorithm = register_services.algorithm_update(
        actor=None, algorithm=algorithm, data={"goal": "Nieuw doel."}
    )
    algorithm = register_services.algorithm_transition(
        actor=None, algorithm=algorithm, to_state=PublicationState.READY_FOR_REVIEW
    )
    with pytest.raises(ValidationError, match="DPIA"):
        register_services.algorithm_transition(
            actor=None, algorithm=algorithm, to_state=PublicationState.APPROVED
        )


def test_a_rejected_assessment_does_not_open_the_gate() -> None:
    algorithm = draft_algorithm(personal_data=True)
    services.policy_update(
        actor=None, organisation=algorithm.organisation, data={"dpia_for_all_personal_data": True}
    )
    dpia = filled(algorithm, "dpia")
    services.assessment_submit(actor=None, assessment=dpia)
    services.assessment_advise(actor=None, assessment=dpia, outcome=AdviceOutcome.NEGATIVE, text="Nee.")
    services.assessment_decide(actor=None, assessment=dpia, decision=Decision.REJECTED, note="Nee.")
    assert assessment_gate(algorithm)


def test_a_beheerder_override_opens_the_gate_is_audited_and_shown() -> None:
    algorithm = draft_algorithm(personal_data=True)
    organisation = algorithm.organisation
    services.policy_update(actor=None, organisation=organisation, data={"dpia_for_all_personal_data": True})
    beheerder = member(organisation, "beheerder")
    client = Client()
    client.force_login(beheerder)
    url = reverse("assessments:override", kwargs={"slug": organisation.slug, "algorithm_id": algorithm.pk})
    response = client.post(url, {"requirement": "dpia", "justification": "kort"})
    assert response.status_code == 200 and "20" in response.content.decode()
    response = client.post(
        url, {"requirement": "dpia", "justification": "Wettelijke spoedopdracht; DPIA volgt voor 1 maart."}
    )
    assert response.status_code == 302
    assert assessment_gate(algorithm) == []
    assert set_in_use(algorithm).status == "in_use"
    record = AuditRecord.objects.get(action="assessment.gate_override")
    assert record.actor == beheerder and "spoedopdracht" in record.reason
    page = client.get(
        reverse("register-staff:detail", kwargs={"slug": organisation.slug, "algorithm_id": algorithm.pk})
    )
    assert "Wettelijke spoedopdracht" in page.content.decode()
    owner = member(organisation, "algorithm_owner")
    client.force_login(owner)
    assert client.post(url, {"requirement": "dpia", "justification": "x" * 30}).status_code == 403
