"""The register API: the public register (published records only) and the staff register with its workflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.core.factories import OrganisationFactory, UserFactory
from tests.register.factories import complete_algorithm_data, published_algorithm
from verantwoord.core import services as core_services
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.register import services
from verantwoord.register.choices import (
    AIActRiskClass,
    LinkGroup,
    PublicationCategory,
    PublicationState,
    RegisterStatus,
)
from verantwoord.register.models import Algorithm
from verantwoord.register.standard import standard

pytestmark = pytest.mark.django_db

PUBLISHED = "http://testserver/api/v1/organisations/testdorp/algorithms"
SECRET = "GEHEIM-7f3a"  # in every internal field, in unpublished edits and in withdrawn records


def token_client(user: User) -> Client:
    _token, key = core_services.api_token_create(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Token {key}"})


def staff_url(organisation: Organisation, *parts: object) -> str:
    return "/".join([f"/api/v1/organisations/{organisation.slug}/register/algorithms", *map(str, parts)])


def public_url(organisation: Organisation, *parts: object) -> str:
    return "/".join([f"/api/v1/organisations/{organisation.slug}/algorithms", *map(str, parts)])


def invalid_names(response: Any) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {param["name"] for param in response.json()["invalidParams"]}


def transition(client: Client, organisation: Organisation, algorithm: Algorithm, to: str) -> Any:
    return client.post(
        staff_url(organisation, algorithm.pk, "transitions"),
        {"to": to, "reason": "test"},
        content_type="application/json",
    )


@pytest.fixture
def owner(organisation: Organisation, member_of: Callable[..., User]) -> User:
    return member_of(organisation, Role.ALGORITHM_OWNER, full_name="Otto Eigenaar")


# --- Public register ---------------------------------------------------------------------------------------


def test_public_register_needs_no_login_and_shows_the_standards_record(organisation: Organisation) -> None:
    algorithm = published_algorithm(organisation)
    response = Client().get("/api/v1/algorithms")
    assert response.status_code == 200
    assert response["API-Version"]
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert set(item) == {"id", "organisation", "version", "publishedAt", "url", "publicUrl", "record"}
    assert item["id"] == algorithm.pk
    assert item["organisation"] == {"slug": "testdorp", "name": "Gemeente Testdorp"}
    assert item["version"] == 1
    assert item["publishedAt"].endswith("Z")  # ISO 8601 in UTC
    assert item["url"] == f"{PUBLISHED}/{algorithm.pk}"
    assert item["publicUrl"] == f"http://testserver/register/testdorp/{algorithm.pk}"
    # The record keeps the national register's own keys and Dutch values.
    assert list(item["record"]) == standard().keys
    assert item["record"]["status"] == "In gebruik"
    assert item["record"]["category"] == ["Verkeer"]
    assert item["record"]["description_short"].startswith("Verkeerslichten")


def test_public_endpoints_ignore_credentials(organisation: Organisation) -> None:
    published_algorithm(organisation)
    response = Client(headers={"Authorization": "Token vw_wrong"}).get("/api/v1/algorithms")
    assert response.status_code == 200


def _public_responses(organisation: Organisation, algorithm: Algorithm) -> list[Any]:
    client = Client()
    responses = [
        client.get("/api/v1/algorithms"),
        client.get(f"/api/v1/algorithms?q={SECRET}"),
        client.get(public_url(organisation)),
        client.get(public_url(organisation, algorithm.pk)),
        client.get(public_url(organisation, algorithm.pk, "versions")),
        client.get(public_url(organisation, algorithm.pk, "versions", 1)),
    ]
    assert all(response.status_code == 200 for response in responses)
    return responses


def test_public_endpoints_never_show_internal_fields_drafts_or_withdrawn_records(
    organisation: Organisation, beheerder: User, member_of: Callable[..., User]
) -> None:
    secret_owner = member_of(organisation, Role.ALGORITHM_OWNER, full_name=f"{SECRET} Eigenaar")
    internal = {
        "owner": secret_owner,
        "accountable_manager": secret_owner,
        "department": SECRET,
        "supplier_name": SECRET,
        "groups_affected": SECRET,
        "internal_notes": SECRET,
        "next_review_date": "2031-07-19",
        "ai_act_risk_class": AIActRiskClass.MINIMAL,
    }
    algorithm = published_algorithm(organisation, **internal)
    # An unpublished edit of a published algorithm (in a public field and in an internal one)…
    services.algorithm_update(
        actor=beheerder,
        algorithm=algorithm,
        data={"goal": f"{SECRET} nieuw doel", "internal_notes": f"{SECRET} bis"},
        links={LinkGroup.LAWFUL_BASIS: [{"title": SECRET, "link": "https://example.org/geheim"}]},
    )
    # …a draft that was never published, and a published algorithm that was withdrawn.
    services.algorithm_create(
        actor=beheerder, organisation=organisation, data=complete_algorithm_data(name=SECRET)
    )
    withdrawn = published_algorithm(organisation, name=f"{SECRET} ingetrokken")
    services.algorithm_transition(actor=beheerder, algorithm=withdrawn, to_state=PublicationState.WITHDRAWN)

    responses = _public_responses(organisation, algorithm)
    for response in responses:
        content = response.content.decode()
        assert SECRET not in content
        assert "2031-07-19" not in content
        for name in ("internalNotes", "department", "owner", "aiActRiskClass", "internal_notes"):
            assert name not in content
    assert responses[0].json()["count"] == 1
    assert responses[1].json()["count"] == 0
    assert responses[3].json()["record"]["goal"] == "Minder wachttijd voor fietsers."
    client = Client()
    for url in (
        public_url(organisation, withdrawn.pk),
        public_url(organisation, withdrawn.pk, "versions"),
        public_url(organisation, withdrawn.pk, "versions", 1),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_unpublished_algorithm_is_not_found(organisation: Organisation, beheerder: User) -> None:
    draft = services.algorithm_create(
        actor=beheerder, organisation=organisation, data=complete_algorithm_data()
    )
    assert Client().get(public_url(organisation, draft.pk)).status_code == 404
    other = OrganisationFactory()
    algorithm = published_algorithm(organisation)
    assert Client().get(public_url(other, algorithm.pk)).status_code == 404


def test_public_filters(organisation: Organisation) -> None:
    other = OrganisationFactory(slug="anderdorp", name="Gemeente Anderdorp")
    traffic = published_algorithm(organisation, name="Verkeerslichten", themes=["traffic"])
    published_algorithm(
        organisation,
        name="Bijstand",
        themes=["social_security"],
        status=RegisterStatus.IN_DEVELOPMENT,
        publication_category=PublicationCategory.IMPACTFUL,
        ai_act_risk_class=AIActRiskClass.HIGH_RISK,
        goal="Controle van aanvragen voor bijstand.",
    )
    published_algorithm(other, name="Parkeren", themes=["traffic"])

    def names(query: str, url: str = "/api/v1/algorithms") -> list[str]:
        response = Client().get(f"{url}?{query}")
        assert response.status_code == 200, response.content
        return [item["record"]["name"] for item in response.json()["results"]]

    assert names("") == ["Bijstand", "Parkeren", "Verkeerslichten"]
    assert names("theme=traffic") == ["Parkeren", "Verkeerslichten"]
    assert names("status=in_development") == ["Bijstand"]
    assert names("publicationCategory=impactful") == ["Bijstand"]
    assert names("aiActRiskClass=high_risk") == ["Bijstand"]
    assert names("organisation=anderdorp") == ["Parkeren"]
    assert names("q=aanvragen") == ["Bijstand"]
    assert names("theme=traffic&sort=-name") == ["Verkeerslichten", "Parkeren"]
    assert names("theme=traffic", public_url(organisation)) == ["Verkeerslichten"]
    assert names("q=aanvragen", public_url(other)) == []
    [item] = (
        Client().get(f"/api/v1/algorithms?theme=traffic&organisation={organisation.slug}").json()["results"]
    )
    assert item["id"] == traffic.pk


def test_invalid_public_filters_are_problems_listing_every_parameter(organisation: Organisation) -> None:
    response = Client().get("/api/v1/algorithms?theme=sprookjes&status=weg&organisation=bestaat-niet&sort=x")
    assert invalid_names(response) == {"theme", "status", "organisation", "sort"}
    assert Client().get("/api/v1/organisations/bestaat-niet/algorithms").status_code == 404


def test_public_register_is_paginated_with_camel_case_keys(organisation: Organisation) -> None:
    for number in range(3):
        published_algorithm(organisation, name=f"Algoritme {number}")
    body = Client().get("/api/v1/algorithms?pageSize=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "pageSize=2" in body["next"]
    assert len(Client().get("/api/v1/algorithms?pageSize=2&page=2").json()["results"]) == 1


def test_public_lists_do_not_query_per_row(
    organisation: Organisation, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    other = OrganisationFactory()
    for number in range(6):
        published_algorithm(organisation if number % 2 else other, name=f"Algoritme {number}")
    with django_assert_max_num_queries(2):
        assert len(Client().get("/api/v1/algorithms").json()["results"]) == 6
    with django_assert_max_num_queries(3):
        assert len(Client().get(public_url(organisation)).json()["results"]) == 3


def test_versions_of_a_published_algorithm(organisation: Organisation, beheerder: User) -> None:
    algorithm = published_algorithm(organisation)
    services.algorithm_update(actor=beheerder, algorithm=algorithm, data={"goal": "Nieuw doel"})
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=state)

    versions = Client().get(public_url(organisation, algorithm.pk, "versions")).json()
    assert [version["version"] for version in versions] == [2, 1]
    assert versions[1]["url"] == f"{PUBLISHED}/{algorithm.pk}/versions/1"
    first = Client().get(versions[1]["url"]).json()
    assert (first["version"], first["record"]["goal"]) == (1, "Minder wachttijd voor fietsers.")
    assert first["url"] == versions[1]["url"]
    assert first["publicUrl"].endswith(f"/register/testdorp/{algorithm.pk}/versies/1")
    current = Client().get(public_url(organisation, algorithm.pk)).json()
    assert (current["version"], current["record"]["goal"]) == (2, "Nieuw doel")
    assert Client().get(public_url(organisation, algorithm.pk, "versions", 3)).status_code == 404


# --- Exports -----------------------------------------------------------------------------------------------


def test_exports_are_files_of_the_public_register(organisation: Organisation, beheerder: User) -> None:
    published_algorithm(organisation, name="Verkeerslichten", internal_notes=SECRET)
    published_algorithm(OrganisationFactory(), name="Parkeren")
    services.algorithm_create(actor=beheerder, organisation=organisation, data={"name": SECRET})

    response = Client().get("/api/v1/exports/algorithms.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="algoritmeregister.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    assert "Verkeerslichten" in content
    assert "Parkeren" in content
    assert SECRET not in content

    response = Client().get(f"/api/v1/exports/algorithms.json?organisation={organisation.slug}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="algoritmeregister-{organisation.slug}.json"' in response["Content-Disposition"]
    content = response.content.decode()
    assert "Verkeerslichten" in content
    assert "Parkeren" not in content
    assert SECRET not in content
    json.loads(content)


def test_export_answers_whatever_the_accept_header(organisation: Organisation) -> None:
    response = Client().get("/api/v1/exports/algorithms.csv", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    response = Client().get("/api/v1/exports/algorithms.json?organisation=bestaat-niet")
    assert invalid_names(response) == {"organisation"}


# --- Staff register ----------------------------------------------------------------------------------------


def test_staff_endpoints_need_authentication_and_membership(organisation: Organisation) -> None:
    response = Client().get(staff_url(organisation))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert token_client(UserFactory()).get(staff_url(organisation)).status_code == 403


def test_create_lists_every_invalid_field_at_once(
    organisation: Organisation, beheerder: User, member_of: Callable[..., User]
) -> None:
    outsider = UserFactory()
    response = token_client(beheerder).post(
        staff_url(organisation),
        {
            "beginDate": "05-2023",
            "themes": ["sprookjes"],
            "website": "geen url",
            "status": "bestaat",
            "owner": outsider.pk,
            "lawfulBasisLinks": [{"title": "", "link": "geen url"}],
            "nextReviewDate": "morgen",
            "description_short": "The API's names are camelCase.",
        },
        content_type="application/json",
    )
    assert invalid_names(response) == {
        "name",
        "beginDate",
        "themes.0",
        "website",
        "status",
        "owner",
        "lawfulBasisLinks.0.title",
        "lawfulBasisLinks.0.link",
        "nextReviewDate",
        "description_short",
    }
    reasons = {param["name"]: param["reason"] for param in response.json()["invalidParams"]}
    assert reasons["beginDate"] == "Gebruik jaar en maand, zoals 2024-05."
    assert Algorithm.objects.count() == 0


def test_service_errors_use_the_api_field_names(organisation: Organisation, beheerder: User) -> None:
    client = token_client(beheerder)
    published_algorithm(organisation, source_id="ALG-1")
    response = client.post(
        staff_url(organisation),
        {"name": "Dubbel", "sourceId": "ALG-1", "beginDate": "2024-05", "endDate": "2023-01"},
        content_type="application/json",
    )
    assert invalid_names(response) == {"sourceId", "endDate"}


def test_create_and_read_every_field(
    organisation: Organisation, beheerder: User, owner: User, member_of: Callable[..., User]
) -> None:
    manager = member_of(organisation, Role.STAFF)
    client = token_client(owner)
    payload = {
        "name": "Slimme verkeerslichten",
        "descriptionShort": "Verkeerslichten passen zich aan op de drukte.",
        "themes": ["traffic"],
        "status": "in_use",
        "beginDate": "2023-05",
        "contactEmail": "algoritmes@testdorp.example",
        "publicationCategory": "other",
        "lawfulBasisLinks": [
            {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"}
        ],
        "impacttoetsenLinks": [{"title": "DPIA"}],
        "accountableManager": manager.pk,
        "department": "Verkeer",
        "kind": "machine_learning",
        "personalData": True,
        "nextReviewDate": "2026-01-31",
        "internalNotes": "Alleen intern.",
        "reason": "Nieuw in het register",
    }
    response = client.post(staff_url(organisation), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    algorithm = Algorithm.objects.get()
    assert response["Location"] == f"http://testserver{staff_url(organisation, algorithm.pk)}"
    assert body["id"] == algorithm.pk
    assert body["owner"] == owner.pk  # whoever registers it owns it until someone else is named
    assert body["accountableManager"] == manager.pk
    assert body["publicationState"] == "draft"
    assert body["archived"] is False
    assert body["allowedTransitions"] == ["ready_for_review"]
    assert body["lawfulBasisLinks"] == payload["lawfulBasisLinks"]
    assert body["impacttoetsenLinks"] == [{"title": "DPIA", "link": ""}]
    assert body["sourceDataLinks"] == []
    assert body["createdAt"].endswith("Z")
    for key in ("department", "kind", "personalData", "nextReviewDate", "internalNotes", "themes"):
        assert body[key] == payload[key]
    assert "reason" not in body
    assert token_client(beheerder).get(staff_url(organisation, algorithm.pk)).json() == body | {
        "allowedTransitions": ["ready_for_review"]
    }


def test_owner_and_manager_must_have_a_role_in_the_organisation(
    organisation: Organisation, beheerder: User
) -> None:
    elsewhere = UserFactory()
    other = OrganisationFactory()
    other.memberships.create(user=elsewhere, role=Role.BEHEERDER)
    response = token_client(beheerder).post(
        staff_url(organisation),
        {"name": "X", "owner": elsewhere.pk, "accountableManager": 999999},
        content_type="application/json",
    )
    assert invalid_names(response) == {"owner", "accountableManager"}


def test_staff_list_filters_and_does_not_query_per_row(
    organisation: Organisation,
    beheerder: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for number in range(5):
        services.algorithm_create(
            actor=beheerder,
            organisation=organisation,
            data={"name": f"Concept {number}", "department": "Burgerzaken"},
            links={LinkGroup.SOURCE_DATA: [{"title": "BRP", "link": ""}]},
        )
    published = published_algorithm(organisation, name="Gepubliceerd", status=RegisterStatus.OUT_OF_USE)
    published_algorithm(OrganisationFactory(), name="Van een ander")
    client = Client()
    client.force_login(beheerder)
    with django_assert_max_num_queries(7):
        body = client.get(staff_url(organisation)).json()
    assert body["count"] == 6
    assert body["results"][0]["sourceDataLinks"] == [{"title": "BRP", "link": ""}]
    assert all("internalNotes" in item for item in body["results"])

    def names(query: str) -> list[str]:
        response = client.get(f"{staff_url(organisation)}?{query}")
        assert response.status_code == 200, response.content
        return [item["name"] for item in response.json()["results"]]

    assert names("state=published") == ["Gepubliceerd"]
    assert names("status=out_of_use") == ["Gepubliceerd"]
    assert names("q=concept 3") == ["Concept 3"]
    assert names("q=burgerzaken&sort=-name&pageSize=2") == ["Concept 4", "Concept 3"]
    assert invalid_names(client.get(f"{staff_url(organisation)}?state=weg&sort=x")) == {"state", "sort"}
    assert published.pk in [item["id"] for item in client.get(staff_url(organisation)).json()["results"]]


def test_problems_say_what_is_missing_for_publication(organisation: Organisation, beheerder: User) -> None:
    algorithm = services.algorithm_create(
        actor=beheerder,
        organisation=organisation,
        data={"name": "Half af", "description_short": "x" * 360},
    )
    body = token_client(beheerder).get(staff_url(organisation, algorithm.pk, "problems")).json()
    assert body["readyForPublication"] is False
    problems = {problem["standardKey"]: problem for problem in body["problems"]}
    assert problems["publication_category"]["field"] == "publicationCategory"
    assert problems["publication_category"]["title"] == "Publicatiecategorie"
    assert problems["publication_category"]["messages"] == ["Verplicht voor publicatie."]
    assert [warning["field"] for warning in body["warnings"]] == ["descriptionShort"]

    complete = published_algorithm(organisation)
    body = token_client(beheerder).get(staff_url(organisation, complete.pk, "problems")).json()
    assert body == {"readyForPublication": True, "problems": [], "warnings": []}


def test_workflow_by_role(organisation: Organisation, beheerder: User, owner: User) -> None:
    owner_client, beheerder_client = token_client(owner), token_client(beheerder)
    response = owner_client.post(
        staff_url(organisation),
        {
            "name": "Nieuw",
            "descriptionShort": "Een korte omschrijving voor inwoners.",
            "status": "in_use",
            "contactEmail": "algoritmes@testdorp.example",
            "publicationCategory": "other",
        },
        content_type="application/json",
    )
    algorithm = Algorithm.objects.get(pk=response.json()["id"])

    response = transition(owner_client, organisation, algorithm, "published")
    assert invalid_names(response) == {"to"}
    assert "Concept" in response.json()["invalidParams"][0]["reason"]

    response = transition(owner_client, organisation, algorithm, "ready_for_review")
    assert response.status_code == 200, response.content
    assert response.json()["publicationState"] == "ready_for_review"
    assert response.json()["allowedTransitions"] == ["draft"]

    response = transition(owner_client, organisation, algorithm, "approved")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Uw rol staat deze stap niet toe."

    assert transition(beheerder_client, organisation, algorithm, "approved").status_code == 200
    response = transition(beheerder_client, organisation, algorithm, "published")
    assert response.json()["publicationState"] == "published"
    assert Client().get(public_url(organisation, algorithm.pk)).json()["version"] == 1

    assert transition(owner_client, organisation, algorithm, "withdrawn").status_code == 403
    assert transition(beheerder_client, organisation, algorithm, "withdrawn").status_code == 200
    assert Client().get(public_url(organisation, algorithm.pk)).status_code == 404


def test_incomplete_record_cannot_be_submitted(organisation: Organisation, owner: User) -> None:
    algorithm = services.algorithm_create(actor=owner, organisation=organisation, data={"name": "Half af"})
    response = transition(token_client(owner), organisation, algorithm, "ready_for_review")
    assert {"descriptionShort", "publicationCategory"} <= invalid_names(response)


def test_auditor_reads_everything_and_changes_nothing(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    auditor = token_client(member_of(organisation, Role.AUDITOR))
    algorithm = published_algorithm(organisation, internal_notes="Voor de auditor")
    assert auditor.get(staff_url(organisation)).status_code == 200
    assert auditor.get(staff_url(organisation, algorithm.pk)).json()["internalNotes"] == "Voor de auditor"
    assert auditor.get(staff_url(organisation, algorithm.pk)).json()["allowedTransitions"] == []
    assert auditor.get(staff_url(organisation, algorithm.pk, "problems")).status_code == 200
    assert auditor.get(staff_url(organisation, algorithm.pk, "publications")).status_code == 200
    for response in (
        auditor.post(staff_url(organisation), {"name": "X"}, content_type="application/json"),
        auditor.patch(staff_url(organisation, algorithm.pk), {"goal": "X"}, content_type="application/json"),
        transition(auditor, organisation, algorithm, "draft"),
    ):
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
    algorithm.refresh_from_db()
    assert (algorithm.goal, algorithm.publication_state) == ("Minder wachttijd voor fietsers.", "published")


def test_change_after_publication_goes_back_to_draft_and_the_public_keeps_the_old_version(
    organisation: Organisation, owner: User
) -> None:
    algorithm = published_algorithm(organisation)
    client = token_client(owner)
    response = client.patch(
        staff_url(organisation, algorithm.pk),
        {
            "goal": "Nieuw doel",
            "lawfulBasisLinks": [{"title": "Wegenverkeerswet 1994"}],
            "reason": "Doel aangescherpt",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["goal"], body["publicationState"]) == ("Nieuw doel", "draft")
    assert body["lawfulBasisLinks"] == [{"title": "Wegenverkeerswet 1994", "link": ""}]
    assert body["name"] == "Slimme verkeerslichten"  # fields left out stay as they are
    public = Client().get(public_url(organisation, algorithm.pk)).json()
    assert (public["version"], public["record"]["goal"]) == (1, "Minder wachttijd voor fietsers.")
    assert public["record"]["lawful_basis_grouping"] == []

    publications = client.get(staff_url(organisation, algorithm.pk, "publications")).json()
    assert [(p["version"], p["isCurrent"], p["withdrawnAt"]) for p in publications] == [(1, True, None)]
    assert publications[0]["record"]["goal"] == "Minder wachttijd voor fietsers."

    # A body read with GET can be sent back unchanged; an invalid one changes nothing.
    assert (
        client.patch(staff_url(organisation, algorithm.pk), body, content_type="application/json").json()
        == body
    )
    response = client.patch(
        staff_url(organisation, algorithm.pk),
        {"goal": "X", "website": "nee"},
        content_type="application/json",
    )
    assert invalid_names(response) == {"website"}
    algorithm.refresh_from_db()
    assert algorithm.goal == "Nieuw doel"


def test_staff_publications_include_withdrawn_versions(organisation: Organisation, beheerder: User) -> None:
    algorithm = published_algorithm(organisation, actor=beheerder)
    client = token_client(beheerder)
    assert transition(client, organisation, algorithm, "withdrawn").status_code == 200
    [publication] = client.get(staff_url(organisation, algorithm.pk, "publications")).json()
    assert publication["version"] == 1
    assert publication["withdrawnAt"].endswith("Z")
    assert publication["publishedBy"] is None  # published by the system (the factory)


def test_archive_and_restore(organisation: Organisation, beheerder: User) -> None:
    algorithm = published_algorithm(organisation)
    client = token_client(beheerder)
    response = client.patch(
        staff_url(organisation, algorithm.pk), {"archived": True}, content_type="application/json"
    )
    assert invalid_names(response) == {"archived"}
    assert "Trek het algoritme" in response.json()["invalidParams"][0]["reason"]
    assert transition(client, organisation, algorithm, "withdrawn").status_code == 200

    response = client.patch(
        staff_url(organisation, algorithm.pk),
        {"archived": True, "reason": "Gestopt"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert response.json()["archivedAt"].endswith("Z")
    assert client.get(staff_url(organisation)).json()["count"] == 0
    assert client.get(f"{staff_url(organisation)}?includeArchived=true").json()["count"] == 1

    response = client.patch(
        staff_url(organisation, algorithm.pk),
        {"archived": False, "goal": "Weer in gebruik"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["archived"], response.json()["goal"]) == (False, "Weer in gebruik")
    response = client.post(
        staff_url(organisation), {"name": "X", "archived": True}, content_type="application/json"
    )
    assert invalid_names(response) == {"archived"}


def test_staff_endpoints_of_another_organisations_algorithm_are_not_found(
    organisation: Organisation, beheerder: User
) -> None:
    elsewhere = published_algorithm(OrganisationFactory())
    client = token_client(beheerder)
    for suffix in ("", "/problems", "/publications"):
        assert client.get(staff_url(organisation, elsewhere.pk) + suffix).status_code == 404
    assert transition(client, organisation, elsewhere, "withdrawn").status_code == 404


def test_openapi_documents_the_register(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/algorithms",
        "/api/v1/exports/algorithms.csv",
        "/api/v1/exports/algorithms.json",
        "/api/v1/organisations/{slug}/algorithms/{algorithm_id}/versions/{version}",
        "/api/v1/organisations/{slug}/register/algorithms/{algorithm_id}/transitions",
    ):
        assert path in paths
    staff = paths["/api/v1/organisations/{slug}/register/algorithms"]
    assert staff["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StaffAlgorithmRequest"
    }
    schemas = document["components"]["schemas"]
    assert "lawfulBasisLinks" in schemas["StaffAlgorithm"]["properties"]
    assert list(schemas["StandardRecord"]["properties"]) == standard().keys
    assert "text/csv" in paths["/api/v1/exports/algorithms.csv"]["get"]["responses"]["200"]["content"]
    parameters = {parameter["name"] for parameter in paths["/api/v1/algorithms"]["get"]["parameters"]}
    assert {
        "q",
        "theme",
        "status",
        "publicationCategory",
        "organisation",
        "aiActRiskClass",
        "sort",
    } <= parameters
    assert {"page", "pageSize"} <= parameters
