"""The `verantwoord` command: management commands under the product's name, with --json for scripts."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from verantwoord.cli import main
from verantwoord.core.demo import DEMO_PEOPLE, DEMO_SLUG
from verantwoord.core.models import AuditRecord, Membership, Organisation, User

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_console_script_wraps_management_commands(capsys: pytest.CaptureFixture[str]) -> None:
    main(["permissions", "--json"])
    rows = json.loads(capsys.readouterr().out)
    dashboard = next(row for row in rows if row["urlName"] == "core:dashboard")
    assert dashboard["allowed"]["anonymous"] is False
    assert dashboard["allowed"]["auditor"] is True


def test_demo_loads_every_role_and_is_safe_to_rerun() -> None:
    first = json.loads(run("demo", "--json"))
    assert first["slug"] == DEMO_SLUG
    assert len(first["logins"]) == len(DEMO_PEOPLE)
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    assert not organisation.require_two_factor
    memberships = Membership.objects.filter(organisation=organisation).count()
    records = AuditRecord.objects.count()
    second = json.loads(run("demo", "--json"))
    assert second["created"] == []
    assert Membership.objects.filter(organisation=organisation).count() == memberships
    assert AuditRecord.objects.count() == records
    assert User.objects.get(username="fg").check_password(first["password"])


def test_demo_prints_the_logins() -> None:
    output = run("demo")
    for person in DEMO_PEOPLE:
        assert person.username in output


def test_organisation_create_and_list() -> None:
    created = json.loads(
        run("organisation", "create", "Gemeente Utrecht", "--contact-email", "a@utrecht.example", "--json")
    )
    assert created["slug"] == "utrecht"
    assert created["requireTwoFactor"] is True
    listed = json.loads(run("organisation", "list", "--json"))
    assert [item["slug"] for item in listed] == ["utrecht"]
    assert "utrecht" in run("organisation", "list")
    assert AuditRecord.objects.get(action="organisation.create").actor_label == "system"


def test_organisation_create_reports_validation_errors() -> None:
    run("organisation", "create", "Gemeente Utrecht")
    with pytest.raises(CommandError, match="name"):
        run("organisation", "create", "Gemeente Utrecht", "--slug", "other")


def test_member_add_list_revoke_and_reset_two_factor() -> None:
    run("organisation", "create", "Gemeente Utrecht")
    run(
        "member",
        "add",
        "--organisation",
        "utrecht",
        "--email",
        "b@utrecht.example",
        "--name",
        "Bea",
        "--role",
        "beheerder",
    )
    added = json.loads(
        run(
            "member",
            "add",
            "--organisation",
            "utrecht",
            "--email",
            "f@utrecht.example",
            "--name",
            "Fleur",
            "--role",
            "privacy_officer",
            "--json",
        )
    )
    assert added["role"] == "privacy_officer"
    members = json.loads(run("member", "list", "--organisation", "utrecht", "--json"))
    assert {(m["email"], m["role"]) for m in members} == {
        ("b@utrecht.example", "beheerder"),
        ("f@utrecht.example", "privacy_officer"),
    }
    run(
        "member",
        "revoke",
        "--organisation",
        "utrecht",
        "--email",
        "f@utrecht.example",
        "--role",
        "privacy_officer",
    )
    assert not Membership.objects.filter(user__email="f@utrecht.example").exists()
    assert "0 device" in run("member", "reset-2fa", "--email", "b@utrecht.example")
    with pytest.raises(CommandError, match="laatste functioneel beheerder"):
        run(
            "member",
            "revoke",
            "--organisation",
            "utrecht",
            "--email",
            "b@utrecht.example",
            "--role",
            "beheerder",
        )
    with pytest.raises(CommandError, match="No organisation"):
        run("member", "list", "--organisation", "nergens")
    with pytest.raises(CommandError, match="No user"):
        run("member", "reset-2fa", "--email", "niemand@example.org")
