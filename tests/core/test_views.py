"""Core pages through the real URL configuration: login and two-factor, staff pages, errors and headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from verantwoord.core import services
from verantwoord.core.models import AuditRecord, Membership, Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def log_in(client: Client, username: str, next_url: str = "") -> Any:
    data = {"username": username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/account/inloggen", data)


def test_login_without_two_factor_goes_to_the_only_organisation(
    organisation: Organisation, beheerder: User
) -> None:
    client = Client()
    response = log_in(client, beheerder.username)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"] == f"/beheer/{organisation.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_wrong_password_keeps_the_username_and_explains(beheerder: User) -> None:
    response = Client().post("/account/inloggen", {"username": beheerder.username, "password": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert f'value="{beheerder.username}"' in content


def test_organisation_requiring_two_factor_sends_members_to_set_up_then_lets_them_in(
    organisation: Organisation, beheerder: User
) -> None:
    services.organisation_update(actor=None, organisation=organisation, data={"require_two_factor": True})
    client = Client()
    log_in(client, beheerder.username)
    dashboard = f"/beheer/{organisation.slug}/"
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweestapsverificatie/instellen?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, inline
    device = TOTPDevice.objects.get(user=beheerder, confirmed=False)
    assert page.context["secret"].encode() in page.content

    wrong = client.post("/account/tweestapsverificatie/instellen", {"token": "000000", "next": dashboard})
    assert wrong.status_code == 200
    assert "Die code klopt niet" in wrong.content.decode()

    right = client.post(
        "/account/tweestapsverificatie/instellen", {"token": current_code(device), "next": dashboard}
    )
    assert right["Location"] == dashboard
    assert client.get(dashboard).status_code == 200
    assert AuditRecord.objects.filter(action="two_factor.enable", object_id=str(beheerder.pk)).exists()


def test_a_person_with_an_authenticator_confirms_every_login(
    organisation: Organisation, beheerder: User
) -> None:
    device = TOTPDevice.objects.create(user=beheerder, name="app", confirmed=True)
    client = Client()
    response = log_in(client, beheerder.username, next_url=f"/beheer/{organisation.slug}/audittrail")
    assert response["Location"].startswith("/account/tweestapsverificatie?next=")
    services.organisation_update(actor=None, organisation=organisation, data={"require_two_factor": True})
    # Not yet verified: the organisation's pages ask for the code.
    assert client.get(f"/beheer/{organisation.slug}/")["Location"].startswith(
        "/account/tweestapsverificatie?"
    )
    response = client.post(
        "/account/tweestapsverificatie",
        {"token": current_code(device), "next": f"/beheer/{organisation.slug}/audittrail"},
    )
    assert response["Location"] == f"/beheer/{organisation.slug}/audittrail"
    assert client.get(f"/beheer/{organisation.slug}/").status_code == 200


def test_open_redirects_are_refused(beheerder: User) -> None:
    TOTPDevice.objects.create(user=beheerder, name="app", confirmed=True)
    client = Client()
    client.force_login(beheerder)
    device = TOTPDevice.objects.get(user=beheerder)
    response = client.post(
        "/account/tweestapsverificatie", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/beheer/"


def test_settings_form_saves_audits_and_keeps_input_on_error(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(beheerder)
    url = f"/beheer/{organisation.slug}/organisatie"
    form = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": "municipality",
        "contact_email": "algoritmes@testdorp.example",
        "website": "testdorp.example",
        "logo_url": "",
        "house_style_css_url": "",
        "reason": "Nieuw adres",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://testdorp.example"
    record = AuditRecord.objects.get(action="organisation.update")
    assert record.changes["contact_email"] == ["info@testdorp.example", "algoritmes@testdorp.example"]
    assert record.reason == "Nieuw adres"

    bad = client.post(url, form | {"contact_email": "kapot", "name": "Nieuwe naam"})
    assert bad.status_code == 400
    content = bad.content.decode()
    assert 'value="Nieuwe naam"' in content
    assert 'aria-invalid="true"' in content
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Testdorp"


def test_member_invite_and_revoke_through_the_pages(
    organisation: Organisation,
    beheerder: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/beheer/{organisation.slug}/leden/toevoegen",
            {"email": "fg@testdorp.example", "full_name": "Fatima FG", "role": "privacy_officer"},
        )
    assert response["Location"] == f"/beheer/{organisation.slug}/leden"
    assert len(mail.outbox) == 1
    membership = Membership.objects.get(user__email="fg@testdorp.example")
    members_page = client.get(f"/beheer/{organisation.slug}/leden").content.decode()
    assert "Fatima FG" in members_page
    assert "Functionaris gegevensbescherming (FG)" in members_page

    response = client.post(
        f"/beheer/{organisation.slug}/leden/{membership.pk}/intrekken", {"reason": "Andere functie"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_revoking_the_last_beheerder_shows_why(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    membership = Membership.objects.get(user=beheerder)
    response = client_for(beheerder).post(f"/beheer/{organisation.slug}/leden/{membership.pk}/intrekken", {})
    assert response.status_code == 400
    assert "laatste functioneel beheerder" in response.content.decode()


def test_history_and_audit_trail_show_the_field_diffs(
    organisation: Organisation,
    beheerder: User,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    services.organisation_update(
        actor=beheerder,
        organisation=organisation,
        data={"website": "https://nieuw.example/"},
        reason="Verhuisd",
    )
    staff = member_of(organisation, Role.STAFF)
    history = client_for(staff).get(
        f"/beheer/{organisation.slug}/geschiedenis/core.organisation/{organisation.pk}"
    )
    content = history.content.decode()
    assert history.status_code == 200
    assert "https://nieuw.example/" in content
    assert "Verhuisd" in content
    assert "Bea Beheerder" in content
    trail = client_for(beheerder).get(f"/beheer/{organisation.slug}/audittrail").content.decode()
    assert "organisation.update" in trail


def test_history_of_unknown_things_is_not_found(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(beheerder)
    assert client.get(f"/beheer/{organisation.slug}/geschiedenis/nope.nothing/1").status_code == 404
    assert client.get(f"/beheer/{organisation.slug}/geschiedenis/core.organisation/999999").status_code == 404


def test_members_of_another_organisation_see_nothing_here(
    organisation: Organisation, client_for: Callable[[User], Client]
) -> None:
    other = MembershipFactory(role=Role.BEHEERDER).user
    client = client_for(other)
    assert client.get(f"/beheer/{organisation.slug}/").status_code == 403
    assert client.get(f"/beheer/{organisation.slug}/leden").status_code == 403


def test_a_person_in_two_organisations_chooses(client_for: Callable[[User], Client]) -> None:
    user = UserFactory()
    first = MembershipFactory(user=user, role=Role.STAFF).organisation
    second = MembershipFactory(user=user, role=Role.AUDITOR).organisation
    content = client_for(user).get("/beheer/").content.decode()
    assert first.name in content and second.name in content


def test_pages_are_dutch_by_default_and_english_under_en(organisation: Organisation) -> None:
    client = Client()
    dutch = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="nl">' in dutch
    assert "Naar de hoofdinhoud" in dutch
    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    assert 'hreflang="en" href="/en/"' in dutch
    assert 'hreflang="nl" href="/"' in english
    assert "Gemeente Testdorp" in dutch


def test_security_headers_on_pages_and_api(organisation: Organisation) -> None:
    client = Client()
    page = client.get("/")
    assert page["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    api = client.get("/api/v1/organisations")
    assert api["API-Version"] == "1.0.0"
    assert api["Cache-Control"] == "no-store"


def test_no_page_refers_to_another_site(organisation: Organisation) -> None:
    for path in ["/", "/en/", "/toegankelijkheid", "/account/inloggen"]:
        content = Client().get(path).content.decode()
        for attribute in ('src="http', 'href="http'):
            # Links *to* an organisation's own website are fine; loaded resources are not.
            assert all("testdorp.example" in line for line in content.splitlines() if attribute in line), path


def test_healthz_reports_the_database(organisation: Organisation) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_healthz_is_503_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from verantwoord.core.views import health

    def broken_cursor() -> None:
        raise DatabaseError("gone")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "version": response.json()["version"],
        "database": {"status": "error", "vendor": health.connection.vendor, "error": "DatabaseError"},
    }


def test_unknown_page_is_a_friendly_404() -> None:
    response = Client().get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_django_admin_is_for_superusers_only(beheerder: User, client_for: Callable[[User], Client]) -> None:
    beheerder.is_staff = True
    beheerder.save()
    assert client_for(beheerder).get("/django-admin/").status_code == 302
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert client_for(superuser).get("/django-admin/").status_code == 200
    assert client_for(superuser).get("/django-admin/core/auditrecord/").status_code == 200


def test_superuser_account_changes_in_the_admin_are_audited(client_for: Callable[[User], Client]) -> None:
    superuser = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory()
    client = client_for(superuser)
    page = client.get(f"/django-admin/core/user/{person.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"full_name": "Nieuwe Naam", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"})
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(f"/django-admin/core/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    record = AuditRecord.objects.get(action="user.update", object_id=str(person.pk))
    assert "full_name" in record.changes["changed_fields"]
