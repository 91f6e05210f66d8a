"""The core API: NL API Design Rules (problem+json, API-Version, camelCase), token authentication, audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.core.factories import OrganisationFactory
from verantwoord.core import services
from verantwoord.core.models import AuditRecord, Membership, Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db


def token_client(user: User) -> Client:
    _token, key = services.api_token_create(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Token {key}"})


def test_public_organisation_list_needs_no_login(organisation: Organisation) -> None:
    response = Client().get("/api/v1/organisations")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item == {
        "slug": "testdorp",
        "name": "Gemeente Testdorp",
        "kind": "municipality",
        "website": "https://testdorp.example/",
        "contactEmail": "info@testdorp.example",
    }


def test_page_size_is_a_camel_case_query_key(db: None) -> None:
    for _ in range(3):
        OrganisationFactory()
    body = Client().get("/api/v1/organisations?pageSize=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "pageSize=2" in body["next"]


def test_anonymous_calls_to_protected_endpoints_get_401_problem(organisation: Organisation) -> None:
    response = Client().get(f"/api/v1/organisations/{organisation.slug}/members")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert "WWW-Authenticate" in response


def test_token_acts_with_the_roles_of_its_owner(organisation: Organisation, beheerder: User) -> None:
    client = token_client(beheerder)
    members = client.get(f"/api/v1/organisations/{organisation.slug}/members").json()
    assert [member["role"] for member in members] == ["beheerder"]
    me = client.get("/api/v1/me").json()
    assert me["memberships"] == [{"organisation": "testdorp", "role": "beheerder"}]


def test_revoked_or_wrong_token_is_refused(beheerder: User) -> None:
    token, key = services.api_token_create(actor=beheerder, user=beheerder, name="t")
    services.api_token_revoke(actor=beheerder, token=token)
    for header in (f"Token {key}", "Token vw_wrong", "Token a b"):
        response = Client(headers={"Authorization": header}).get("/api/v1/me")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


def test_validation_errors_list_every_field_at_once(organisation: Organisation, beheerder: User) -> None:
    response = token_client(beheerder).post(
        f"/api/v1/organisations/{organisation.slug}/members",
        {"email": "geen-adres", "role": "koning"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert {param["name"] for param in body["invalidParams"]} == {"email", "fullName", "role"}
    assert all(param["reason"] for param in body["invalidParams"])


def test_service_validation_errors_become_problems(organisation: Organisation, beheerder: User) -> None:
    membership = Membership.objects.get(user=beheerder)
    response = token_client(beheerder).delete(
        f"/api/v1/organisations/{organisation.slug}/members/{membership.pk}"
    )
    assert response.status_code == 400
    [param] = response.json()["invalidParams"]
    assert "laatste functioneel beheerder" in param["reason"]


def test_unknown_organisation_is_a_404_problem(db: None) -> None:
    response = Client().get("/api/v1/organisations/bestaat-niet")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_patch_organisation_is_audited_with_reason(organisation: Organisation, beheerder: User) -> None:
    response = token_client(beheerder).patch(
        f"/api/v1/organisations/{organisation.slug}",
        {"website": "https://www.testdorp.example/", "reason": "Via API"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["website"] == "https://www.testdorp.example/"
    record = AuditRecord.objects.get(action="organisation.update")
    assert record.reason == "Via API"
    assert record.actor == beheerder


def test_add_member_through_the_api(
    organisation: Organisation, beheerder: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    response = token_client(beheerder).post(
        f"/api/v1/organisations/{organisation.slug}/members",
        {"email": "ciso@testdorp.example", "fullName": "Cees CISO", "role": "ciso"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["fullName"] == "Cees CISO"
    assert Membership.objects.filter(user__email="ciso@testdorp.example", role=Role.CISO).exists()


def test_audit_records_can_be_filtered_by_object(organisation: Organisation, beheerder: User) -> None:
    services.organisation_update(actor=beheerder, organisation=organisation, data={"website": ""})
    body = (
        token_client(beheerder)
        .get(
            f"/api/v1/organisations/{organisation.slug}/audit-records"
            f"?objectType=core.organisation&objectId={organisation.pk}"
        )
        .json()
    )
    assert [record["action"] for record in body["results"]] == ["organisation.update"]
    assert body["results"][0]["changes"] == {"website": ["https://testdorp.example/", ""]}


def test_openapi_document_is_public_json() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/organisations/{slug}/members" in document["paths"]
    assert "apiToken" in document["components"]["securitySchemes"]
    assert all(not path.endswith("/") for path in document["paths"])


def test_openapi_document_generates_without_warnings(tmp_path: Path) -> None:
    # A warning means a client generator gets a wrong or incomplete contract (an unknown auth scheme, clashing
    # operation ids); validate checks the document against the OpenAPI 3 schema.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


def test_api_docs_are_self_hosted() -> None:
    content = Client().get("/api/v1/docs").content.decode()
    assert "/static/drf_spectacular_sidecar/" in content
    assert "cdn" not in content.lower()


def test_a_session_without_two_factor_is_refused_where_the_organisation_requires_it(
    organisation: Organisation, beheerder: User
) -> None:
    services.organisation_update(actor=None, organisation=organisation, data={"require_two_factor": True})
    session = Client()
    session.force_login(beheerder)
    assert session.get(f"/api/v1/organisations/{organisation.slug}/members").status_code == 403
    # A personal token stands on its own (it was made by a logged-in person).
    assert (
        token_client(beheerder).get(f"/api/v1/organisations/{organisation.slug}/members").status_code == 200
    )
