"""Services write the change and its audit record in one transaction, with field diffs, actor and reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.core.factories import MembershipFactory, UserFactory
from verantwoord.core import services
from verantwoord.core.audit import audit_record, field_changes
from verantwoord.core.models import AuditRecord, Membership, Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db


def records_for(instance: Any) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        ).order_by("id")
    )


def test_organisation_create_records_every_field_as_new() -> None:
    actor = UserFactory(full_name="Ada Actor")
    organisation = services.organisation_create(actor=actor, name="Gemeente Utrecht", reason="Start")
    assert organisation.slug == "utrecht"
    [record] = records_for(organisation)
    assert record.action == "organisation.create"
    assert record.actor == actor
    assert record.actor_label == "Ada Actor"
    assert record.organisation == organisation
    assert record.reason == "Start"
    assert record.changes["name"] == [None, "Gemeente Utrecht"]


def test_organisation_update_records_only_what_changed(organisation: Organisation, beheerder: User) -> None:
    services.organisation_update(
        actor=beheerder,
        organisation=organisation,
        data={"website": "https://www.testdorp.example/", "name": organisation.name},
        reason="New site",
    )
    [record] = records_for(organisation)
    assert record.action == "organisation.update"
    assert record.changes == {"website": ["https://testdorp.example/", "https://www.testdorp.example/"]}
    assert record.reason == "New site"


def test_update_without_change_writes_no_record(organisation: Organisation, beheerder: User) -> None:
    services.organisation_update(actor=beheerder, organisation=organisation, data={"name": organisation.name})
    assert records_for(organisation) == []


def test_invalid_update_reports_all_errors_and_changes_nothing(
    organisation: Organisation, beheerder: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            actor=beheerder, organisation=organisation, data={"name": "", "contact_email": "not an address"}
        )
    assert set(caught.value.message_dict) == {"name", "contact_email"}
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Testdorp"
    assert records_for(organisation) == []


def test_unknown_fields_are_refused(organisation: Organisation, beheerder: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(actor=beheerder, organisation=organisation, data={"created_at": None})
    assert "created_at" in caught.value.message_dict


def test_change_is_rolled_back_when_the_audit_record_cannot_be_written(
    organisation: Organisation, beheerder: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditRecord.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.organisation_update(actor=beheerder, organisation=organisation, data={"website": ""})
    organisation.refresh_from_db()
    assert organisation.website == "https://testdorp.example/"


def test_audit_record_refuses_to_run_outside_a_transaction(organisation: Organisation) -> None:
    # pytest-django wraps each test in a transaction; leave it to see the guard.
    connection = transaction.get_connection()
    was_atomic = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the service's transaction"):
            audit_record(actor=None, action="x", instance=organisation, organisation=organisation)
    finally:
        connection.in_atomic_block = was_atomic


def test_field_changes_lists_old_and_new() -> None:
    assert field_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_membership_grant_and_revoke_are_audited(organisation: Organisation, beheerder: User) -> None:
    person = UserFactory(full_name="Piet Persoon")
    membership = services.membership_grant(
        actor=beheerder, organisation=organisation, user=person, role=Role.PRIVACY_OFFICER, reason="Nieuwe FG"
    )
    services.membership_revoke(actor=beheerder, membership=membership, reason="Vertrokken")
    grant, revoke = AuditRecord.objects.filter(action__startswith="membership.").order_by("id")
    assert grant.changes == {"user": [None, "Piet Persoon"], "role": [None, "privacy_officer"]}
    assert revoke.changes == {"user": ["Piet Persoon", None], "role": ["privacy_officer", None]}
    assert revoke.reason == "Vertrokken"
    assert not Membership.objects.filter(user=person).exists()


def test_granting_a_role_twice_is_refused(organisation: Organisation, beheerder: User) -> None:
    with pytest.raises(ValidationError, match="heeft deze rol al"):
        services.membership_grant(actor=None, organisation=organisation, user=beheerder, role=Role.BEHEERDER)


def test_unknown_role_is_refused(organisation: Organisation, beheerder: User) -> None:
    with pytest.raises(ValidationError, match="Onbekende rol"):
        services.membership_grant(actor=None, organisation=organisation, user=beheerder, role="king")


def test_last_beheerder_cannot_be_removed(organisation: Organisation, beheerder: User) -> None:
    membership = Membership.objects.get(user=beheerder, organisation=organisation)
    with pytest.raises(ValidationError, match="laatste functioneel beheerder"):
        services.membership_revoke(actor=beheerder, membership=membership)
    MembershipFactory(organisation=organisation, role=Role.BEHEERDER)
    services.membership_revoke(actor=beheerder, membership=membership)


def test_inviting_a_new_person_creates_the_account_and_mails_after_commit(
    organisation: Organisation, beheerder: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.member_invite(
            actor=beheerder,
            organisation=organisation,
            email=" Nieuw@Example.org ",
            full_name="Nieuwe Collega",
            role=Role.ALGORITHM_OWNER,
            base_url="https://verantwoord.example/",
        )
    user = membership.user
    assert user.email == "nieuw@example.org"
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nieuw@example.org"]
    assert "https://verantwoord.example/account/wachtwoord-instellen/" in message.body
    assert {r.action for r in AuditRecord.objects.filter(organisation=organisation)} >= {
        "user.create",
        "membership.grant",
    }


def test_inviting_an_existing_person_sends_no_mail(
    organisation: Organisation, beheerder: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    person = UserFactory(email="bekend@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.member_invite(
            actor=beheerder,
            organisation=organisation,
            email="BEKEND@example.org",
            full_name="ignored",
            role=Role.STAFF,
            base_url="https://verantwoord.example/",
        )
    assert membership.user == person
    assert mail.outbox == []


def test_api_token_key_is_shown_once_and_stored_hashed(beheerder: User) -> None:
    token, key = services.api_token_create(actor=beheerder, user=beheerder, name="Koppeling")
    assert key.startswith("vw_")
    assert key not in token.key_hash
    assert token.key_hash == services.api_token_hash(key)
    services.api_token_revoke(actor=beheerder, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [r.action for r in records_for(token)] == ["api_token.create", "api_token.revoke"]


def test_api_tokens_are_personal(beheerder: User) -> None:
    other = UserFactory()
    with pytest.raises(ValidationError):
        services.api_token_create(actor=other, user=beheerder, name="x")
    with pytest.raises(ValidationError):
        services.api_token_create(actor=beheerder, user=beheerder, name="  ")
    token, _key = services.api_token_create(actor=beheerder, user=beheerder, name="mine")
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=other, token=token)


def test_user_create_hashes_with_argon2() -> None:
    user = services.user_create(actor=None, email="a@example.org", password="een lang wachtwoord 123")
    assert user.password.startswith("argon2")
    assert user.check_password("een lang wachtwoord 123")
