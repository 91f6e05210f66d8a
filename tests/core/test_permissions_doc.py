"""docs/permissions.md is the generated matrix: it must not drift from the code."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from verantwoord.core.permission_matrix import endpoints
from verantwoord.core.permissions import GRANTS, Permission
from verantwoord.core.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_docs_permissions_matches_the_code() -> None:
    out = StringIO()
    call_command("permissions", "--markdown", stdout=out)
    assert DOC.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/permissions.md is out of date: run `verantwoord permissions --markdown > docs/permissions.md`"
    )


def test_auditor_can_read_everything_and_change_nothing() -> None:
    for permission in Permission:
        assert (Role.AUDITOR in GRANTS[permission]) == permission.value.startswith("view_")


def test_every_registered_page_and_endpoint_is_in_the_matrix() -> None:
    names = {(endpoint.url_name, endpoint.method) for endpoint in endpoints()}
    assert ("core:dashboard", "GET") in names
    assert ("api:member-list", "POST") in names
