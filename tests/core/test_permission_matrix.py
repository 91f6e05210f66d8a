"""Every internal page and API endpoint, requested as every role: allowed or refused, never an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests.aiact.test_classification_storage import answers
from tests.assessments.factories import matrix_objects
from tests.core.factories import MembershipFactory, UserFactory
from tests.monitoring.factories import monitored_finding
from tests.policy.factories import MATRIX_PAYLOADS as POLICY_PAYLOADS
from tests.policy.factories import matrix_objects as policy_matrix_objects
from tests.register.factories import published_algorithm
from tests.register.test_staff_pages import form_data
from tests.reviews.factories import MATRIX_PAYLOADS as REVIEW_PAYLOADS
from tests.reviews.factories import matrix_objects as review_matrix_objects
from verantwoord.aiact import services as aiact_services
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core import services
from verantwoord.core.models import Organisation
from verantwoord.core.permission_matrix import Access, Endpoint, endpoints
from verantwoord.core.roles import Role

ANONYMOUS = "anonymous"
NON_MEMBER = "non-member"
SUPERUSER = "superuser"
PRINCIPALS: list[str] = [ANONYMOUS, NON_MEMBER, SUPERUSER, *[role.value for role in Role]]

# Valid bodies for the write endpoints, so an allowed request really does its work.
PAYLOADS: dict[tuple[str, str], dict[str, Any]] = {
    ("core:member-invite", "POST"): {
        "email": "nieuw@example.org",
        "full_name": "Nieuwe Collega",
        "role": "staff",
    },
    ("core:organisation-settings", "POST"): {
        "name": "Gemeente Matrixdorp",
        "slug": "matrixdorp",
        "kind": "municipality",
        "contact_email": "info@matrixdorp.example",
        "website": "https://matrixdorp.example/",
        "logo_url": "",
        "house_style_css_url": "",
        "reason": "test",
    },
    ("api:organisation-detail", "PATCH"): {"website": "https://www.matrixdorp.example/"},
    ("api:member-list", "POST"): {
        "email": "nieuw@example.org",
        "fullName": "Nieuwe Collega",
        "role": "staff",
    },
    ("api:register-staff-algorithm-list", "POST"): {"name": "Nieuw algoritme"},
    ("api:register-staff-algorithm-detail", "PATCH"): {"goal": "Een nieuw doel."},
    # Back to draft: the one step from published that needs no more than the right to edit.
    ("api:register-staff-algorithm-transitions", "POST"): {"to": "draft", "reason": "test"},
    ("register-staff:create", "POST"): form_data(),
    ("register-staff:edit", "POST"): form_data(),
    ("aiact:question", "POST"): {"question": "subject", "answer": "system"},
    ("api:aiact-classify", "POST"): {"answers": answers("website_chatbot")},
    ("api:aiact-classifications", "POST"): {"answers": answers("website_chatbot")},
    ("compliance:task", "POST"): {"status": "in_progress"},
    ("api:decisionlog-decisions", "POST"): {
        "decision_id": "MATRIX-1",
        "decided_at": "2026-01-05T10:00:00+01:00",
        "subject": "111222333",
        "model_version": "1.0",
        "output": 0.4,
        "decision": "geen onderzoek",
    },
    ("decisionlog:settings", "POST"): {"max_retention_days": "3650"},
    ("decisionlog:algorithm", "POST"): {"retention_days": "365"},
    ("decisionlog:api-keys", "POST"): {"name": "Bronsysteem"},
    ("decisionlog:search", "POST"): {"bsn": "111222333"},
    ("decisionlog:erase", "POST"): {"subject": "111222333", "reference": "AVG-1", "confirm": "on"},
    ("monitoring:config", "POST"): {
        "legal_basis": "Art. 9(2)(g) AVG",
        "prediction_source": "decision",
        "positive_decision": "onderzoek",
        "group_attributes": "nationaliteit",
        "metrics": ["selection_rate"],
        "alpha": "0.05",
        "min_group_size": "10",
        "window": "rolling-90",
    },
    ("monitoring:finding", "POST"): {"status": "investigating"},
    ("assessments:policy", "POST"): {"review_months": "24"},
    ("assessments:algorithm", "POST"): {"template": "ethics"},
    ("assessments:override", "POST"): {
        "requirement": "dpia",
        "justification": "Tijdelijke uitzondering met reden.",
    },
    ("assessments:section", "POST"): {
        "present-proposal": "1",
        "q-proposal": "Nieuw voorstel",
        "rev-proposal": "0",
    },
    ("assessments:answer", "POST"): {"q-proposal": "Nieuw voorstel", "rev-proposal": "0"},
    ("assessments:comment", "POST"): {"question": "proposal", "text": "Een vraag."},
    ("assessments:advise", "POST"): {"outcome": "positive", "text": "Akkoord."},
    ("assessments:decide", "POST"): {"decision": "approved", "note": "Akkoord."},
    ("assessments:summary", "POST"): {"summary": "Samenvatting."},
    **POLICY_PAYLOADS,
    ("api:assessment-answers", "PATCH"): {
        "answers": {"proposal": {"value": "Nieuw voorstel", "revision": 0}}
    },
    **REVIEW_PAYLOADS,
}


def _url(
    endpoint: Endpoint,
    organisation: Organisation,
    membership_id: int,
    algorithm_id: int,
    task_id: int,
    finding_id: int = 0,
    extra: dict[str, Any] | None = None,
) -> str:
    values: dict[str, Any] = {
        "task_id": task_id,
        "slug": organisation.slug,
        "membership_id": membership_id,
        "object_type": "core.organisation",
        "object_id": organisation.pk,
        "algorithm_id": algorithm_id,
        "version": 1,
        "index": 0,  # a decision log entry: the organisation's creation is the first
        "finding_id": finding_id,
        **(extra or {}),
    }
    return reverse(endpoint.url_name, kwargs={name: values[name] for name in endpoint.arguments})


def _request(client: Client, endpoint: Endpoint, url: str) -> Any:
    payload = PAYLOADS.get((endpoint.url_name, endpoint.method), {})
    if endpoint.method == "GET":
        return client.get(url)
    if endpoint.kind == "api":
        return client.generic(endpoint.method, url, json.dumps(payload), content_type="application/json")
    return client.post(url, payload)


def _is_login_redirect(response: Any) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith((reverse("core:login"), reverse("admin:login")))


@dataclass(frozen=True)
class World:
    organisation: Organisation
    target_membership: int
    algorithm_id: int
    task_id: int
    finding_id: int
    extra: dict[str, Any]


def _make_world() -> World:
    organisation = services.organisation_create(
        actor=None, name="Gemeente Matrixdorp", slug="matrixdorp", require_two_factor=False
    )
    # Someone else's role, for the endpoints that act on one membership (a second beheerder, so that
    # revoking it is allowed).
    target = MembershipFactory(organisation=organisation, role=Role.BEHEERDER).pk
    MembershipFactory(organisation=organisation, role=Role.BEHEERDER)
    # A published algorithm (version 1), for the endpoints of one algorithm, public and internal.
    algorithm = published_algorithm(organisation)
    # A stored AI Act classification (version 1) and the compliance tasks it makes.
    aiact_services.classification_store(actor=None, algorithm=algorithm, answers=answers("website_chatbot"))
    task_id = ComplianceTask.objects.filter(algorithm=algorithm).values_list("pk", flat=True).first()
    assert task_id is not None
    # A configured bias check with an open finding.
    finding_id = monitored_finding(algorithm).pk
    # A decided DPIA with a published summary, and its new draft version with an attachment.
    extra = matrix_objects(algorithm)
    # An adopted AI policy (version 1) and a draft version 2 started from it.
    extra.update(policy_matrix_objects(organisation))
    # A draft review of the AI policy.
    extra.update(review_matrix_objects(organisation))
    return World(organisation, target, algorithm.pk, task_id, finding_id, extra)


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def private_media(matrix_media: Path, settings: Any) -> None:
    """The files of the world (an attachment) stay where its rows say they are, for every test of the module."""
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, matrix_media: Path) -> Iterator[World]:
    """The objects the requests need, made once for the module instead of once per request (the matrix has
    thousands). Each test runs in a savepoint inside this transaction, so whatever a request changes is undone
    before the next one, as when each test made its own."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media):
        atomics = TestCase._enter_atomics()
        try:
            yield _make_world()
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", endpoints(), ids=lambda e: f"{e.method}-{e.url_name}")
def test_endpoint_is_allowed_or_refused_never_an_error(
    endpoint: Endpoint, principal: str, world: World
) -> None:
    organisation = world.organisation
    client = Client()
    if principal == SUPERUSER:
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    elif principal == NON_MEMBER:
        client.force_login(UserFactory())
    elif principal != ANONYMOUS:
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role=principal)
        client.force_login(user)

    response = _request(
        client,
        endpoint,
        _url(
            endpoint,
            organisation,
            world.target_membership,
            world.algorithm_id,
            world.task_id,
            world.finding_id,
            world.extra,
        ),
    )

    assert response.status_code < 500, response.content[:500]
    if principal == SUPERUSER:
        expected = True
    elif principal in (ANONYMOUS, NON_MEMBER):
        expected = endpoint.requires == Access.PUBLIC or (
            principal == NON_MEMBER and endpoint.requires == Access.AUTHENTICATED
        )
    else:
        expected = endpoint.allowed_for(Role(principal))
    refused = response.status_code in (401, 403) or _is_login_redirect(response)
    if expected:
        assert not refused, (
            f"{principal} was refused {endpoint.method} {endpoint.url_name}: {response.status_code}"
        )
        assert response.status_code in (200, 201, 204, 302), response.status_code
    else:
        assert refused, f"{principal} got {response.status_code} on {endpoint.method} {endpoint.url_name}"
        if principal == ANONYMOUS:
            assert response.status_code == (401 if endpoint.kind == "api" else 302)
