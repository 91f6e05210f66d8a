"""The assessments API: templates (public), list, detail, answers with optimistic locking (409, all or nothing)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.factories import decided_dpia, member
from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.assessments import selectors, services
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


@pytest.fixture
def algorithm() -> Algorithm:
    return published_algorithm(OrganisationFactory())


def test_templates_are_public_with_versions_and_question_counts() -> None:
    response = Client().get(reverse("api:assessment-templates"), {"language": "en"})
    assert response.status_code == 200
    by_key = {item["key"]: item for item in response.json()}
    assert by_key["iama"]["producesFria"] is True and by_key["dpia"]["adviceBy"] == "privacy_officer"
    assert by_key["dpia"]["questionCount"] == 28


def test_list_detail_and_answers(algorithm: Algorithm) -> None:
    decided = decided_dpia(algorithm)
    client = Client()
    client.force_login(member(algorithm.organisation, "auditor"))
    slug = algorithm.organisation.slug
    listing = client.get(
        reverse("api:assessment-list", kwargs={"slug": slug}), {"algorithm": algorithm.pk}
    ).json()
    assert [item["id"] for item in listing] == [decided.pk]
    detail = client.get(
        reverse("api:assessment-detail", kwargs={"slug": slug, "assessment_id": decided.pk})
    ).json()
    assert detail["state"] == "decided" and detail["contentHash"] == decided.content_hash
    assert detail["advice"][0]["outcome"] == "positive"
    answers = client.get(
        reverse("api:assessment-answers", kwargs={"slug": slug, "assessment_id": decided.pk})
    ).json()
    assert answers["legal_ground"] == {"value": "public_task", "revision": 1}


def test_patch_answers_with_revisions_all_or_nothing(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    client = Client()
    client.force_login(member(algorithm.organisation, "algorithm_owner"))
    url = reverse(
        "api:assessment-answers", kwargs={"slug": algorithm.organisation.slug, "assessment_id": assessment.pk}
    )

    def patch(body: object) -> object:
        return client.patch(url, json.dumps(body), content_type="application/json")

    ok = patch({"answers": {"proposal": {"value": "Een voorstel", "revision": 0}}})
    assert ok.status_code == 200 and ok.json()["proposal"]["revision"] == 1  # type: ignore[attr-defined]
    conflict = patch(
        {
            "answers": {
                "retention": {"value": "5 jaar", "revision": 0},
                "proposal": {"value": "Ander voorstel", "revision": 0},
            }
        }
    )
    assert conflict.status_code == 409  # type: ignore[attr-defined]
    assert conflict["Content-Type"].startswith("application/problem+json")  # type: ignore[index]
    assert "retention" not in selectors.answers_of(assessment=assessment)  # nothing saved
    invalid = patch(
        {"answers": {"legal_ground": {"value": "magic", "revision": 0}, "unknown": {"value": "x"}}}
    )
    assert invalid.status_code == 400  # type: ignore[attr-defined]
    body = invalid.json()  # type: ignore[attr-defined]
    assert "legal_ground" in json.dumps(body) and "unknown" in json.dumps(body)
    auditor = Client()
    auditor.force_login(member(algorithm.organisation, "auditor"))
    assert auditor.patch(url, json.dumps({"answers": {}}), content_type="application/json").status_code == 403
