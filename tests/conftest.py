"""Fixtures shared by all tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import translation
from playwright.sync_api import Browser, Page

from tests.browser import OneRequestAtATimeServer, chromium, new_context
from tests.core.factories import MembershipFactory, OrganisationFactory, UserFactory
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role


@pytest.fixture(autouse=True)
def private_media(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> None:
    """Uploaded files of each test go to a fresh temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def demo_without_national_register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the 1,530 real records takes seconds; the demo in tests is Voorbeeldstad only (the loading itself
    is tested in tests/register/test_demo.py)."""
    monkeypatch.setenv("VERANTWOORD_DEMO_NATIONAL_REGISTER", "0")


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in Dutch, the default: the test client leaves the language of its last request active
    in the thread, so a test after an English page would otherwise run in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rolled-back tests reuse ids, so cached public pages (keyed by the
    register's fingerprint of counts and ids) could otherwise come from an earlier test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory(name="Gemeente Testdorp", slug="testdorp")


@pytest.fixture
def member_of(db: None) -> Callable[..., User]:
    """member_of(organisation, role, ...) → a user holding those roles."""

    def make(organisation: Organisation, *roles: Role, **user_fields: object) -> User:
        user = UserFactory(**user_fields)
        for role in roles:
            MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def beheerder(organisation: Organisation, member_of: Callable[..., User]) -> User:
    return member_of(organisation, Role.BEHEERDER, full_name="Bea Beheerder")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def live_server_takes_turns_on_shared_sqlite() -> Iterator[None]:
    """See OneRequestAtATimeServer: browser tests on in-memory SQLite must not run two requests on one
    connection at once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeServer)
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for all browser tests of the run."""
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser)
    new_page = context.new_page()
    yield new_page
    context.close()
