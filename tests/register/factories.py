"""Factories for register records. `complete_algorithm_data` passes the standard's publication checks."""

from __future__ import annotations

from typing import Any

import factory

from tests.core.factories import OrganisationFactory
from verantwoord.core.models import Organisation, User
from verantwoord.register import services
from verantwoord.register.choices import PublicationCategory, PublicationState, RegisterStatus
from verantwoord.register.models import Algorithm


def complete_algorithm_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Slimme verkeerslichten",
        "description_short": "Verkeerslichten passen hun groentijden aan op de drukte, zodat fietsers minder wachten.",
        "themes": ["traffic"],
        "status": RegisterStatus.IN_USE,
        "begin_date": "2023-05",
        "contact_email": "algoritmes@testdorp.example",
        "publication_category": PublicationCategory.OTHER,
        "goal": "Minder wachttijd voor fietsers.",
        "lawful_basis": "Wegenverkeerswet 1994",
    }
    data.update(overrides)
    return data


class AlgorithmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Algorithm

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Algoritme {n}")
    description_short = "Een korte omschrijving voor inwoners."
    themes = factory.LazyFunction(lambda: ["organisation"])
    status = RegisterStatus.IN_USE
    contact_email = "algoritmes@testdorp.example"
    publication_category = PublicationCategory.OTHER


def published_algorithm(organisation: Organisation, actor: User | None = None, **data: Any) -> Algorithm:
    """An algorithm taken through the whole workflow by the system actor."""
    algorithm = services.algorithm_create(
        actor=actor, organisation=organisation, data=complete_algorithm_data(**data)
    )
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    return algorithm
