"""AI Act API: the tree, stateless classification with problem+json errors, classify-and-store per algorithm."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.aiact.test_classification_storage import answers
from tests.register.factories import AlgorithmFactory
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db


def test_tree_is_public_data() -> None:
    body = Client().get("/api/v1/ai-act/decision-tree").json()
    assert body["version"]
    assert any(question["id"] == "ai_system" for question in body["questions"])


def test_stateless_classification(db: None) -> None:
    response = Client().post(
        "/api/v1/ai-act/classifications?language=en",
        {"answers": answers("cv_screening")},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["riskClass"] == "high_risk"
    assert body["highRiskBasis"] == "annex_iii:4a"
    assert any("26" in ref for step in body["obligations"] for ref in step["references"])
    assert all(step["because"] for step in body["path"])


def test_stateless_classification_reports_the_question(db: None) -> None:
    bad = answers("cv_screening")
    bad["annex_iii_employment"] = "nonsense"
    response = Client().post(
        "/api/v1/ai-act/classifications", {"answers": bad}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [param] = response.json()["invalidParams"]
    assert param["name"] == "answers" and "annex_iii_employment" in param["reason"]


def test_store_through_the_api(
    organisation: Organisation,
    beheerder: User,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    url = (
        f"/api/v1/organisations/{organisation.slug}/register/algorithms/{algorithm.pk}/ai-act-classifications"
    )
    auditor = member_of(organisation, Role.AUDITOR)
    payload = {
        "answers": answers("website_chatbot"),
        "justifications": {"t_interaction": "Praat met inwoners"},
    }
    assert client_for(auditor).post(url, payload, content_type="application/json").status_code == 403
    response = client_for(beheerder).post(url, payload, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["riskClass"] == "transparency"
    assert body["tasks"]["created"] >= 1
    assert body["answers"]["t_interaction"] == "yes"
    assert "registerRiskClass" in body["result"]
    listed = client_for(auditor).get(url).json()
    assert [item["version"] for item in listed] == [1]
