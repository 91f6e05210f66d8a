"""The differences between versions (texts and live data), the API of versions and rendered documents, and the
demo policy (version 1 adopted, version 2 a draft), loaded idempotently."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.policy.factories import adopted_version
from verantwoord.core.demo import DEMO_SLUG, demo_load
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.policy import selectors, services
from verantwoord.policy.diff import diff_versions
from verantwoord.policy.models import PolicyVersion, TextBlock, VersionState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_diff_per_block_of_text_and_live_data(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    first = adopted_version(organisation)
    member_of(organisation, Role.CISO, full_name="Chris Sikkema")
    second = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=second, key="vision.why", language="en")
    old_first_line = block.markdown.splitlines()[0]
    services.text_block_save(
        actor=None,
        block=block,
        markdown="A new first line.\n" + "\n".join(block.markdown.splitlines()[1:]),
        base_revision=0,
    )
    sections = diff_versions(first, second, "en")
    assert [section.number for section in sections] == list(range(10))
    vision = {part.key: part for part in sections[1].parts}
    assert vision["vision.why"].status == "changed" and vision["vision.why"].title == "Why we use AI"
    lines = vision["vision.why"].lines
    assert ("removed", old_first_line) in [(line.kind, line.text) for line in lines]
    assert ("added", "A new first line.") in [(line.kind, line.text) for line in lines]
    assert vision["vision.values"].status == "unchanged"
    roles = {part.key: part for part in sections[2].parts}["core.roles"]
    assert roles.kind == "live" and roles.status == "changed"
    assert any(line.kind == "added" and "Chris Sikkema" in line.text for line in roles.lines)
    assert not sections[4].changed


def test_diff_lists_parts_only_in_one_version(organisation: Organisation) -> None:
    first = adopted_version(organisation)
    second = services.policy_version_start(actor=None, organisation=organisation)
    TextBlock.objects.filter(version=second, key="register.open").delete()
    sections = diff_versions(first, second, "en")
    removed = [part for part in sections[5].parts if part.status == "removed"]
    assert [part.key for part in removed] == ["register.open"]
    assert all(line.kind == "removed" for line in removed[0].lines)
    assert [
        part.status for part in diff_versions(second, first, "en")[5].parts if part.key == "register.open"
    ] == ["added"]


def test_api_lists_versions_and_renders_one(
    organisation: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    first = adopted_version(organisation, reference="B&W 2026/12")
    services.policy_version_start(actor=None, organisation=organisation)
    client = client_for(member_of(organisation, Role.AUDITOR))
    listing = client.get(reverse("api:policy-version-list", kwargs={"slug": organisation.slug}))
    assert listing.status_code == 200
    assert [(item["number"], item["state"]) for item in listing.json()] == [(2, "draft"), (1, "adopted")]
    assert listing.json()[1]["decisionReference"] == "B&W 2026/12"
    assert listing.json()[1]["contentHash"] == first.content_hash and listing.json()[0]["previous"] == 1
    detail = client.get(
        reverse("api:policy-version-detail", kwargs={"slug": organisation.slug, "policy_version": 1}),
        {"language": "nl"},
    ).json()
    assert detail["liveDataFrozen"] is True and detail["document"]["language"] == "nl"
    assert [section["number"] for section in detail["document"]["sections"]] == list(range(10))
    assert detail["document"]["sections"][1]["title"] == "Visie en doelen"
    missing = client.get(
        reverse("api:policy-version-detail", kwargs={"slug": organisation.slug, "policy_version": 9})
    )
    assert missing.status_code == 404
    staff = client_for(member_of(organisation, Role.STAFF))
    assert (
        staff.get(reverse("api:policy-version-list", kwargs={"slug": organisation.slug})).status_code == 403
    )
    assert Client().get(
        reverse("api:policy-version-list", kwargs={"slug": organisation.slug})
    ).status_code in (
        401,
        403,
    )


def test_demo_has_an_adopted_version_and_a_draft() -> None:
    summary = demo_load()
    assert summary.areas["policy"] == {"policy_versions": 2}
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    versions = list(selectors.policy_versions(organisation=organisation))
    assert [(v.number, v.state) for v in versions] == [(2, VersionState.DRAFT), (1, VersionState.ADOPTED)]
    adopted = versions[1]
    assert adopted.decision_date is not None and adopted.decision_reference and adopted.snapshot
    edited = TextBlock.objects.get(version=versions[0], key="vision.why", language="nl")
    assert "Nieuw in deze versie" in edited.markdown and edited.revision == 1
    demo_load()
    assert PolicyVersion.objects.filter(organisation=organisation).count() == 2
