"""The demo organisation "Gemeente Voorbeeldstad": people in every role, and whatever each area adds.

Loading is idempotent: what exists is kept, what is missing is made. Each app adds its own demo content by
registering a loader (in its AppConfig.ready), so core does not need to know the apps built on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from verantwoord.core import services
from verantwoord.core.models import Membership, Organisation, OrganisationKind, User
from verantwoord.core.roles import Role

DEMO_SLUG = "voorbeeldstad"
DEMO_NAME = "Gemeente Voorbeeldstad"
DEMO_DOMAIN = "voorbeeldstad.example"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    roles: tuple[Role, ...]

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_DOMAIN}"


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("beheerder", "Bea de Beheerder", (Role.BEHEERDER,)),
    DemoPerson("eigenaar", "Omar Eigenaar", (Role.ALGORITHM_OWNER,)),
    DemoPerson("fg", "Fleur Gegevens", (Role.PRIVACY_OFFICER,)),
    DemoPerson("ciso", "Chris Sikkema", (Role.CISO,)),
    DemoPerson("ethiek", "Eva Ethiek", (Role.ETHICS_MEMBER,)),
    DemoPerson("auditor", "Aad Auditor", (Role.AUDITOR,)),
    DemoPerson("medewerker", "Mila Medewerker", (Role.STAFF,)),
)

DemoLoader = Callable[[Organisation, dict[str, User]], dict[str, Any]]
_loaders: list[tuple[str, DemoLoader]] = []


def register_demo_loader(name: str, loader: DemoLoader) -> None:
    """Called by an app's AppConfig.ready(); loaders run in registration (app) order."""
    if name not in {existing for existing, _loader in _loaders}:
        _loaders.append((name, loader))


@dataclass
class DemoSummary:
    organisation: str
    slug: str
    password: str
    logins: list[dict[str, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)


@transaction.atomic
def demo_load() -> DemoSummary:
    password = settings.VERANTWOORD_DEMO_PASSWORD
    summary = DemoSummary(organisation=DEMO_NAME, slug=DEMO_SLUG, password=password)
    organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if organisation is None:
        organisation = services.organisation_create(
            actor=None,
            name=DEMO_NAME,
            slug=DEMO_SLUG,
            kind=OrganisationKind.MUNICIPALITY,
            contact_email=f"algoritmes@{DEMO_DOMAIN}",
            website=f"https://www.{DEMO_DOMAIN}/",
            # Off so the documented demo logins work at once; real organisations keep the default (on).
            require_two_factor=False,
            reason="Demo data",
        )
        summary.created.append(f"organisation {DEMO_SLUG}")
    users: dict[str, User] = {}
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                email=person.email,
                full_name=person.full_name,
                username=person.username,
                password=password,
                organisation=organisation,
                reason="Demo data",
            )
            summary.created.append(f"user {person.username}")
        users[person.username] = user
        for role in person.roles:
            if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
                services.membership_grant(
                    actor=None, organisation=organisation, user=user, role=role, reason="Demo data"
                )
        summary.logins.append(
            {"username": person.username, "role": ", ".join(str(role.label) for role in person.roles)}
        )
    for name, loader in _loaders:
        summary.areas[name] = loader(organisation, users)
    return summary
