"""Factories for core records. Passwords are hashed once (argon2 is slow on purpose)."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from verantwoord.core.models import Membership, Organisation, User

TEST_PASSWORD = "correct-horse-battery-staple"
_HASHED: dict[str, str] = {}


def hashed_test_password() -> str:
    if TEST_PASSWORD not in _HASHED:
        _HASHED[TEST_PASSWORD] = make_password(TEST_PASSWORD)
    return _HASHED[TEST_PASSWORD]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    slug = factory.Sequence(lambda n: f"testdorp-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example")
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example/")
    require_two_factor = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(hashed_test_password)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "staff"
