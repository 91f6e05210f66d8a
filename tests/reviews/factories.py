"""Helpers for annual review tests: an organisation with a beheerder and an owner, and an algorithm they review."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tests.core.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.register.factories import published_algorithm
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.register.models import Algorithm
from verantwoord.reviews import services
from verantwoord.reviews.models import Review


@dataclass
class Setting:
    organisation: Organisation
    beheerder: User
    owner: User
    algorithm: Algorithm


def setting(slug: str = "evaldorp") -> Setting:
    organisation = OrganisationFactory(name="Gemeente Evaldorp", slug=slug)
    beheerder = UserFactory(full_name="Bea Beheerder", email=f"bea@{slug}.example")
    MembershipFactory(user=beheerder, organisation=organisation, role=Role.BEHEERDER)
    owner = UserFactory(full_name="Omar Eigenaar", email=f"omar@{slug}.example")
    MembershipFactory(user=owner, organisation=organisation, role=Role.ALGORITHM_OWNER)
    algorithm = published_algorithm(organisation, name="Slimme verkeerslichten", owner=owner)
    return Setting(organisation, beheerder, owner, algorithm)


def recorded_review(
    organisation: Organisation,
    *,
    algorithm: Algorithm | None = None,
    review_date: datetime.date,
    next_review_date: datetime.date | None = None,
    actor: User | None = None,
) -> Review:
    review = services.review_create(
        actor=actor,
        organisation=organisation,
        algorithm=algorithm,
        review_date=review_date,
        findings="Werkt zoals bedoeld.",
        next_review_date=next_review_date,
    )
    return services.review_record(actor=actor, review=review)


def matrix_objects(organisation: Organisation) -> dict[str, int]:
    """For the permission matrix: a draft review of the organisation's AI policy, ready to be recorded."""
    review = services.review_create(
        actor=None,
        organisation=organisation,
        algorithm=None,
        review_date=datetime.date(2026, 3, 10),
        findings="Het beleid wordt gevolgd.",
    )
    return {"review_id": review.pk}


MATRIX_PAYLOADS: dict[tuple[str, str], dict[str, str]] = {
    ("reviews:record", "POST"): {
        "subject": "",
        "review_date": "2026-03-10",
        "findings": "Werkt.",
        "change-TOTAL_FORMS": "0",
        "change-INITIAL_FORMS": "0",
        "draft": "1",
    },
    ("reviews:edit", "POST"): {
        "review_date": "2026-03-10",
        "findings": "Aangepast.",
        "change-TOTAL_FORMS": "0",
        "change-INITIAL_FORMS": "0",
        "draft": "1",
    },
    ("reviews:cycle", "POST"): {"interval_months": "12", "reminder_days": "30"},
}
