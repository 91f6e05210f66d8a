"""Staff pages of the register through real requests: forms keep input, the workflow follows the roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.register.factories import AlgorithmFactory, complete_algorithm_data, published_algorithm
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.register import services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.models import Algorithm, Publication

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: value for key, value in complete_algorithm_data().items() if not isinstance(value, list)
    }
    data.update(
        {
            "themes": ["traffic", "nature"],
            "lifecycle_phase": "monitoring",
            "kind": "rule_based",
            "sourcing": "in_house",
            "effect_on_people": "none",
            "reason": "Nieuw",
        }
    )
    for group in LinkGroup:
        data.update(
            {
                f"{group.value}-TOTAL_FORMS": "2",
                f"{group.value}-INITIAL_FORMS": "0",
                f"{group.value}-MIN_NUM_FORMS": "0",
                f"{group.value}-MAX_NUM_FORMS": "50",
            }
        )
    data.update(
        {
            "lawful_basis_grouping-0-title": "Wegenverkeerswet 1994",
            "lawful_basis_grouping-0-link": "https://wetten.overheid.nl/BWBR0006622",
        }
    )
    data.update(overrides)
    return data


def base(organisation: Organisation) -> str:
    return f"/beheer/{organisation.slug}/algoritmes/"


def test_owner_creates_an_algorithm_with_links(
    organisation: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    owner = member_of(organisation, Role.ALGORITHM_OWNER)
    client = client_for(owner)
    assert client.get(base(organisation) + "nieuw").status_code == 200
    response = client.post(base(organisation) + "nieuw", form_data())
    algorithm = Algorithm.objects.get()
    assert response["Location"] == f"{base(organisation)}{algorithm.pk}"
    assert algorithm.owner == owner
    assert algorithm.themes == ["traffic", "nature"]
    assert [(link.title, link.link) for link in algorithm.links.all()] == [
        ("Wegenverkeerswet 1994", "https://wetten.overheid.nl/BWBR0006622")
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "Wegenverkeerswet 1994" in detail
    assert "Indienen voor beoordeling" in detail or "Submit for review" in detail


def test_invalid_input_keeps_everything_and_lists_all_errors(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(beheerder).post(
        base(organisation) + "nieuw",
        form_data(
            name="Bewaard",
            begin_date="mei 2023",
            website="geen adres",
            **{"lawful_basis_grouping-0-link": "kapot"},
        ),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="Bewaard"' in content
    assert 'value="mei 2023"' in content
    assert content.count('aria-invalid="true"') >= 3
    assert not Algorithm.objects.exists()


def test_detail_shows_what_is_missing_for_publication(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = services.algorithm_create(
        actor=beheerder, organisation=organisation, data={"name": "Half af"}
    )
    content = client_for(beheerder).get(f"{base(organisation)}{algorithm.pk}").content.decode()
    assert "Korte omschrijving" in content
    assert "Publicatiecategorie" in content


def test_workflow_through_the_pages_follows_the_roles(
    organisation: Organisation,
    beheerder: User,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    owner = member_of(organisation, Role.ALGORITHM_OWNER)
    algorithm = services.algorithm_create(
        actor=owner, organisation=organisation, data=complete_algorithm_data()
    )
    step = f"{base(organisation)}{algorithm.pk}/stap"
    owner_client, beheerder_client = client_for(owner), client_for(beheerder)
    owner_client.post(step, {"to": "ready_for_review"})
    owner_client.post(step, {"to": "approved"})
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.READY_FOR_REVIEW
    beheerder_client.post(step, {"to": "approved"})
    beheerder_client.post(step, {"to": "published"})
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.PUBLISHED
    auditor = member_of(organisation, Role.AUDITOR)
    assert client_for(auditor).post(step, {"to": "withdrawn"}).status_code == 403


def test_editing_a_published_algorithm_warns_and_returns_it_to_draft(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = published_algorithm(organisation)
    client = client_for(beheerder)
    edit = f"{base(organisation)}{algorithm.pk}/bewerken"
    assert "terug in concept" in client.get(edit).content.decode()
    client.post(edit, form_data(goal="Nieuw doel"))
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.DRAFT
    assert Publication.objects.get().content["goal"] == "Minder wachttijd voor fietsers."


def test_versions_can_be_compared(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = published_algorithm(organisation)
    services.algorithm_update(actor=beheerder, algorithm=algorithm, data={"goal": "Tweede doel"})
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=state)
    content = (
        client_for(beheerder).get(f"{base(organisation)}{algorithm.pk}/versies?van=1&naar=2").content.decode()
    )
    assert "Minder wachttijd voor fietsers." in content
    assert "Tweede doel" in content
    assert (
        client_for(beheerder).get(f"{base(organisation)}{algorithm.pk}/versies?van=1&naar=9").status_code
        == 404
    )


def test_archive_and_restore(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    client = client_for(beheerder)
    client.post(f"{base(organisation)}{algorithm.pk}/archief", {"archived": "on", "reason": "Dubbel"})
    algorithm.refresh_from_db()
    assert algorithm.archived_at is not None
    assert algorithm.name not in client.get(base(organisation)).content.decode()
    assert algorithm.name in client.get(base(organisation) + "?archived=1").content.decode()
    client.post(f"{base(organisation)}{algorithm.pk}/archief", {"archived": ""})
    algorithm.refresh_from_db()
    assert algorithm.archived_at is None


def test_list_filters_search_and_query_count(
    organisation: Organisation,
    beheerder: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable[[int], Any],
) -> None:
    for index in range(30):
        AlgorithmFactory(organisation=organisation, name=f"Parkeren {index}", owner=beheerder)
    AlgorithmFactory(organisation=organisation, name="Afval ophalen", status="out_of_use")
    client = client_for(beheerder)
    with django_assert_max_num_queries(10):
        content = client.get(base(organisation)).content.decode()
    assert "31 algoritmes" in content
    assert "Afval ophalen" in client.get(base(organisation) + "?q=afval").content.decode()
    filtered = client.get(base(organisation) + "?status=out_of_use").content.decode()
    assert "Afval ophalen" in filtered and "Parkeren 1" not in filtered


def test_other_organisations_algorithms_are_not_found(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    other = AlgorithmFactory()
    assert client_for(beheerder).get(f"{base(organisation)}{other.pk}").status_code == 404
