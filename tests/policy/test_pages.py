"""The staff pages of the AI policy through the Django test client (in Dutch): versions, start, edit without
JavaScript and with htmx autosave, a clear conflict message that keeps what was typed, submit, return, adopt,
diff, and the public page of the adopted version only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.policy.factories import adopted_version
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.policy import services
from verantwoord.policy.models import PolicyVersion, TextBlock, VersionState
from verantwoord.register.public_links import organisation_public_links

pytestmark = pytest.mark.django_db


def url(name: str, version: PolicyVersion, **extra: object) -> str:
    return reverse(
        f"policy:{name}",
        kwargs={"slug": version.organisation.slug, "policy_version": version.number, **extra},
    )


@pytest.fixture
def client(beheerder: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(beheerder)


def test_start_the_first_version_and_read_it(organisation: Organisation, client: Client) -> None:
    overview = reverse("policy:overview", kwargs={"slug": organisation.slug})
    page = client.get(overview).content.decode()
    assert "Er is nog geen versie vastgesteld." in page
    response = client.post(reverse("policy:start", kwargs={"slug": organisation.slug}))
    version = PolicyVersion.objects.get(organisation=organisation)
    assert response["Location"] == url("version", version)
    detail = client.get(response["Location"]).content.decode()
    # The preview holds every section in order, with the live roles table from the platform.
    positions = [detail.index(f'id="section-{number}"') for number in range(10)]
    assert positions == sorted(positions)
    assert "Bea Beheerder" in detail
    english = client.get(url("version", version) + "?language=en").content.decode()
    assert "Vision and objectives" in english and 'lang="en"' in english


def test_edit_without_javascript_then_autosave_and_a_conflict(
    organisation: Organisation,
    client: Client,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=version, key="vision.why", language="nl")
    edit = url("edit", version, language="nl")
    page = client.get(edit).content.decode()
    assert f'for="text-{block.pk}"' in page and "Waarom wij AI gebruiken" in page
    response = client.post(edit, {f"text-{block.pk}": "Onze eigen tekst.", f"rev-{block.pk}": "0"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert (block.markdown, block.revision) == ("Onze eigen tekst.", 1)

    autosave = url("block", version, block_id=block.pk)
    answer = client.post(
        autosave, {f"text-{block.pk}": "Tweede versie.", f"rev-{block.pk}": "1"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200 and "Opgeslagen." in answer.content.decode()
    assert 'value="2"' in answer.content.decode()

    # The page's own form, sent while its autosave was on its way, carries the older revision: no conflict.
    response = client.post(edit, {f"text-{block.pk}": "Tweede versie, af.", f"rev-{block.pk}": "1"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert (block.markdown, block.revision) == ("Tweede versie, af.", 3)
    autosave_overtaken = client.post(
        autosave, {f"text-{block.pk}": "Tweede versie", f"rev-{block.pk}": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Niet opgeslagen" in autosave_overtaken.content.decode()

    # Someone else edits with an old revision: refused, their text kept in the field, the newest revision given.
    colleague = client_for(member_of(organisation, Role.BEHEERDER, full_name="Cas Collega"))
    stale = colleague.post(edit, {f"text-{block.pk}": "Oude basis.", f"rev-{block.pk}": "1"})
    assert stale.status_code == 409
    content = stale.content.decode()
    assert "Oude basis." in content and f'name="rev-{block.pk}" id="rev-{block.pk}" value="3"' in content
    block.refresh_from_db()
    assert block.markdown == "Tweede versie, af."
    conflict = client.post(
        autosave, {f"text-{block.pk}": "Weer oud.", f"rev-{block.pk}": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Niet opgeslagen" in conflict.content.decode()


def test_a_version_sent_for_review_while_someone_types_keeps_what_was_typed(
    organisation: Organisation, client: Client
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=version, key="vision.why", language="nl")
    services.policy_version_submit(actor=None, version=version)
    response = client.post(
        url("edit", version, language="nl"), {f"text-{block.pk}": "Mijn lange tekst.", f"rev-{block.pk}": "0"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn lange tekst." in content and "kan niet meer veranderen" in content
    block.refresh_from_db()
    assert block.markdown != "Mijn lange tekst."


def test_submit_return_and_adopt_through_the_pages(organisation: Organisation, client: Client) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    client.post(url("submit", version))
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW
    page = client.get(url("version", version)).content.decode()
    assert "Vaststelling vastleggen" in page
    client.post(url("return", version), {"reason": "Hoofdstuk 7 aanvullen"})
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and version.return_reason == "Hoofdstuk 7 aanvullen"
    client.post(url("submit", version))
    form = client.get(url("adopt", version)).content.decode()
    assert 'name="decision_reference"' in form
    invalid = client.post(
        url("adopt", version), {"decision_body": "board", "decision_date": "", "decision_reference": ""}
    )
    assert invalid.status_code == 200 and "utrecht-form-field--invalid" in invalid.content.decode()
    response = client.post(
        url("adopt", version),
        {
            "decision_body": "board",
            "decision_date": timezone.localdate().isoformat(),
            "decision_reference": "B&W 2026/99",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == VersionState.ADOPTED and version.decision_reference == "B&W 2026/99"


def test_a_member_without_edit_rights_reads_but_cannot_edit(
    organisation: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    auditor = client_for(member_of(organisation, Role.AUDITOR))
    assert auditor.get(url("version", version)).status_code == 200
    assert auditor.get(url("edit", version, language="nl")).status_code == 403
    assert auditor.post(url("submit", version)).status_code == 403
    staff = client_for(member_of(organisation, Role.STAFF))
    assert staff.get(reverse("policy:overview", kwargs={"slug": organisation.slug})).status_code == 403


def test_diff_page_shows_what_changed(organisation: Organisation, client: Client) -> None:
    first = adopted_version(organisation)
    second = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=second, key="vision.why", language="nl")
    services.text_block_save(actor=None, block=block, markdown="Een nieuwe zin.\n", base_revision=0)
    page = client.get(url("diff", second)).content.decode()
    assert f"versie {first.number} naar versie {second.number}" in page
    assert "Een nieuwe zin." in page and "<ins" in page and "<del" in page


def test_public_page_only_for_the_adopted_version(organisation: Organisation) -> None:
    public = reverse("policy-public:document", kwargs={"slug": organisation.slug})
    anonymous = Client()
    assert anonymous.get(public).status_code == 404
    services.policy_version_start(actor=None, organisation=organisation)
    assert anonymous.get(public).status_code == 404
    assert not any(
        link.url_name == "policy-public:document" for link, _url in organisation_public_links(organisation)
    )
    organisation.policy_versions.all().delete()
    version = adopted_version(organisation, reference="B&W 2026/7")
    draft = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=draft, key="vision.why", language="nl")
    services.text_block_save(actor=None, block=block, markdown="Geheime concepttekst.", base_revision=0)
    page = anonymous.get(public)
    content = page.content.decode()
    assert page.status_code == 200 and "B&amp;W 2026/7" in content
    assert "Geheime concepttekst." not in content and f"Versie {version.number}" in content
    english = anonymous.get("/en" + public).content.decode()
    assert "Vision and objectives" in english
    assert any(
        link.url_name == "policy-public:document" for link, _url in organisation_public_links(organisation)
    )
