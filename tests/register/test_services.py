"""Register services: create/update with validation by the standard, the workflow table, immutable versions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from tests.register.factories import complete_algorithm_data, published_algorithm
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.register import selectors, services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.models import Publication

pytestmark = pytest.mark.django_db


def test_create_with_links_is_audited_and_owned_by_its_maker(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = services.algorithm_create(
        actor=beheerder,
        organisation=organisation,
        data=complete_algorithm_data(),
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"}
            ]
        },
    )
    assert algorithm.owner == beheerder
    assert [(link.title, link.group) for link in algorithm.links.all()] == [
        ("Wegenverkeerswet 1994", "lawful_basis_grouping")
    ]
    record = AuditRecord.objects.get(action="algorithm.create")
    assert record.changes["links"] == [
        None,
        {"lawful_basis_grouping": [["Wegenverkeerswet 1994", "https://wetten.overheid.nl/BWBR0006622"]]},
    ]


def test_format_errors_are_reported_all_at_once(organisation: Organisation, beheerder: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.algorithm_create(
            actor=beheerder,
            organisation=organisation,
            data=complete_algorithm_data(
                begin_date="05-2023", themes=["sprookjes"], website="geen url", status="bestaat"
            ),
        )
    assert {"begin_date", "themes", "website", "status"} <= set(caught.value.message_dict)


def test_publication_requires_the_standards_required_fields(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = services.algorithm_create(
        actor=beheerder, organisation=organisation, data={"name": "Half af"}
    )
    problems = selectors.publication_problems(algorithm=algorithm)
    assert {"description_short", "publication_category"} <= set(problems)
    with pytest.raises(ValidationError) as caught:
        services.algorithm_transition(
            actor=beheerder, algorithm=algorithm, to_state=PublicationState.READY_FOR_REVIEW
        )
    assert "publication_category" in caught.value.message_dict


def test_limits_count_without_html(organisation: Organisation) -> None:
    algorithm = services.algorithm_create(
        actor=None,
        organisation=organisation,
        data=complete_algorithm_data(name="<strong>" + "a" * 100 + "</strong>"),
    )
    assert "name" not in selectors.publication_problems(algorithm=algorithm)
    algorithm = services.algorithm_update(actor=None, algorithm=algorithm, data={"name": "a" * 101})
    assert "name" in selectors.publication_problems(algorithm=algorithm)


def test_roles_follow_the_workflow_table(
    organisation: Organisation, beheerder: User, member_of: Callable[..., User]
) -> None:
    owner = member_of(organisation, Role.ALGORITHM_OWNER)
    algorithm = services.algorithm_create(
        actor=owner, organisation=organisation, data=complete_algorithm_data()
    )
    services.algorithm_transition(
        actor=owner, algorithm=algorithm, to_state=PublicationState.READY_FOR_REVIEW
    )
    with pytest.raises(ValidationError, match="Uw rol"):
        services.algorithm_transition(actor=owner, algorithm=algorithm, to_state=PublicationState.APPROVED)
    with pytest.raises(ValidationError):
        services.algorithm_transition(
            actor=beheerder, algorithm=algorithm, to_state=PublicationState.PUBLISHED
        )
    services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=PublicationState.APPROVED)
    services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=PublicationState.PUBLISHED)
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.PUBLISHED
    actions = list(
        AuditRecord.objects.filter(object_id=str(algorithm.pk), object_type="register.algorithm")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "algorithm.create",
        "algorithm.ready_for_review",
        "algorithm.approved",
        "algorithm.published",
    ]


def test_published_version_stays_public_while_a_new_draft_is_edited(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = published_algorithm(organisation)
    services.algorithm_update(
        actor=beheerder, algorithm=algorithm, data={"goal": "Nieuw doel", "internal_notes": "geheim"}
    )
    algorithm.refresh_from_db()
    assert algorithm.publication_state == PublicationState.DRAFT
    [public] = selectors.public_publications()
    assert public.version == 1
    assert public.content["goal"] == "Minder wachttijd voor fietsers."
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=state)
    [public] = selectors.public_publications()
    assert (public.version, public.content["goal"]) == (2, "Nieuw doel")
    assert [p.version for p in selectors.public_history(publication=public)] == [2, 1]
    first = Publication.objects.get(version=1)
    assert first.content["goal"] == "Minder wachttijd voor fietsers."
    diff = selectors.publication_diff(older=first, newer=public)
    assert [row["key"] for row in diff] == ["goal", "publication_dt"]


def test_withdrawal_removes_it_from_the_public_register(organisation: Organisation, beheerder: User) -> None:
    algorithm = published_algorithm(organisation)
    services.algorithm_transition(
        actor=beheerder, algorithm=algorithm, to_state=PublicationState.WITHDRAWN, reason="Gestopt"
    )
    assert list(selectors.public_publications()) == []
    with pytest.raises(ValidationError):
        services.algorithm_transition(
            actor=beheerder, algorithm=algorithm, to_state=PublicationState.PUBLISHED
        )


def test_archive_needs_withdrawal_first(organisation: Organisation, beheerder: User) -> None:
    algorithm = published_algorithm(organisation)
    with pytest.raises(ValidationError):
        services.algorithm_archive(actor=beheerder, algorithm=algorithm)
    services.algorithm_transition(actor=beheerder, algorithm=algorithm, to_state=PublicationState.WITHDRAWN)
    services.algorithm_archive(actor=beheerder, algorithm=algorithm)
    assert list(selectors.algorithms_of(organisation=organisation)) == []
    assert len(selectors.algorithms_of(organisation=organisation, include_archived=True)) == 1


def test_public_content_has_only_the_standards_keys(organisation: Organisation) -> None:
    published_algorithm(organisation, internal_notes="GEHEIM")
    [public] = selectors.public_publications()
    assert "GEHEIM" not in str(public.content)
    assert public.content["status"] == "In gebruik"
    assert public.content["organization"] == "Gemeente Testdorp"
    assert public.content["category"] == ["Verkeer"]


def test_an_edited_published_algorithm_cannot_be_archived_while_public(
    organisation: Organisation, beheerder: User
) -> None:
    algorithm = published_algorithm(organisation)
    algorithm = services.algorithm_update(actor=beheerder, algorithm=algorithm, data={"goal": "Ander doel"})
    assert algorithm.publication_state == PublicationState.DRAFT
    with pytest.raises(ValidationError):
        services.algorithm_archive(actor=beheerder, algorithm=algorithm)


def test_over_long_text_is_kept_and_reported_for_publication(organisation: Organisation) -> None:
    algorithm = services.algorithm_create(
        actor=None, organisation=organisation, data=complete_algorithm_data(goal="x" * 2600)
    )
    assert len(algorithm.goal) == 2600
    assert "goal" in selectors.publication_problems(algorithm=algorithm)
