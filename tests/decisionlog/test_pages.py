"""Staff pages of the decision log and the public page of an organisation's log."""

from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.decisionlog.conftest import BSN, OTHER_BSN, record
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.decisionlog import services
from verantwoord.decisionlog.models import (
    AlgorithmAPIKey,
    DecisionLog,
    LogEntry,
    LogSigningKey,
    PersonalPayload,
)
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db

Append = Callable[..., services.AppendReport]


def base(organisation: Organisation) -> str:
    return f"/beheer/{organisation.slug}/beslissingen"


def test_overview_and_algorithm_page_with_chart_and_table(
    organisation: Organisation,
    algorithm: Algorithm,
    beheerder: User,
    append: Append,
    client_for: Callable[[User], Client],
) -> None:
    now = timezone.now()
    append(*[record(n, decided_at=(now - datetime.timedelta(days=n)).isoformat()) for n in range(1, 30)])
    client = client_for(beheerder)
    overview = client.get(base(organisation)).content.decode()
    assert "Risicomodel bijstand" in overview and "<caption" in overview
    page = client.get(f"{base(organisation)}/algoritmes/{algorithm.pk}")
    content = page.content.decode()
    assert page.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in content and 'role="img"' in content
    assert 'aria-labelledby="decisions-chart-title decisions-chart-desc"' in content
    english = client.get(f"/en{base(organisation)}/algoritmes/{algorithm.pk}").content.decode()
    assert "29 decisions in the last 13 weeks" in english
    assert content.count('<tr class="utrecht-table__row">') > 13  # the chart's table beside it
    response = client.post(f"{base(organisation)}/algoritmes/{algorithm.pk}", {"retention_days": "100"})
    assert response.status_code == 400
    response = client.post(f"{base(organisation)}/algoritmes/{algorithm.pk}", {"retention_days": "400"})
    assert response.status_code == 302 and services.retention_days_of(algorithm) == 400
    panel = client.get(f"/beheer/{organisation.slug}/algoritmes/{algorithm.pk}").content.decode()
    assert f"{base(organisation)}/algoritmes/{algorithm.pk}" in panel


def test_api_key_is_shown_once_and_can_be_revoked(
    organisation: Organisation,
    algorithm: Algorithm,
    beheerder: User,
    client_for: Callable[[User], Client],
    member_of: Callable[..., User],
) -> None:
    client = client_for(beheerder)
    target = f"{base(organisation)}/algoritmes/{algorithm.pk}/sleutels"
    created = client.post(target, {"name": "Suite4Sociaal"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    secret = re.search(r"vwdl_[A-Za-z0-9_-]+", created.content.decode())
    assert secret is not None
    key = AlgorithmAPIKey.objects.get()
    assert services.api_key_authenticate(secret.group()) == key
    assert secret.group() not in client.get(target).content.decode()
    assert client.post(target, {"revoke": key.pk}).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    auditor = client_for(member_of(organisation, Role.AUDITOR))
    assert auditor.get(target).status_code == 200
    assert auditor.post(target, {"name": "Stiekem"}).status_code == 403


def test_search_by_decision_id_and_by_bsn_which_is_audited_and_not_stored(
    organisation: Organisation,
    append: Append,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    append(record(1), record(2), record(3))
    fg = client_for(member_of(organisation, Role.PRIVACY_OFFICER))
    by_id = fg.get(f"{base(organisation)}/zoeken?decision_id=BIJ-00002").content.decode()
    assert "BIJ-00002" in by_id and "BIJ-00001" not in by_id
    found = fg.post(f"{base(organisation)}/zoeken", {"bsn": "111 222 333", "purpose": "Bezwaar 3"})
    content = found.content.decode()
    assert (
        found.status_code == 200
        and "BIJ-00001" in content
        and "BIJ-00003" in content
        and "BIJ-00002" not in content
    )
    assert BSN not in content and "111 222 333" not in content
    trail = AuditRecord.objects.get(action="decisionlog.subject_search")
    assert trail.reason == "Bezwaar 3" and BSN not in str(trail.changes)
    assert (
        fg.post(f"{base(organisation)}/zoeken", {"bsn": "111222334"}).status_code == 400
    )  # fails the 11-test
    ciso = client_for(member_of(organisation, Role.CISO))
    assert ciso.get(f"{base(organisation)}/zoeken").status_code == 200
    assert ciso.post(f"{base(organisation)}/zoeken", {"bsn": BSN}).status_code == 403


def test_entry_page_shows_the_proof_and_personal_data_only_on_an_audited_request(
    organisation: Organisation,
    append: Append,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    append(record(1))
    services.checkpoint_create(log=services.decision_log_of(organisation))
    index = LogEntry.objects.get(decision_id="BIJ-00001").index
    owner = member_of(organisation, Role.ALGORITHM_OWNER)
    client = client_for(owner)
    page = client.get(f"{base(organisation)}/{index}").content.decode()
    leaf = base64.b64encode(bytes(LogEntry.objects.get(decision_id="BIJ-00001").leaf_hash)).decode()
    assert "payload_digest" in page and leaf in page and "consulent-07" not in page
    shown = client.post(f"{base(organisation)}/{index}", {"purpose": "Bezwaar"})
    assert shown.status_code == 200 and "consulent-07" in shown.content.decode()
    assert AuditRecord.objects.filter(action="decisionlog.personal_data_view", actor=owner).count() == 1
    ciso = client_for(member_of(organisation, Role.CISO))
    assert ciso.get(f"{base(organisation)}/{index}").status_code == 200
    assert ciso.post(f"{base(organisation)}/{index}", {}).status_code == 403
    assert client.get(f"{base(organisation)}/99999").status_code == 404


def test_erasure_page_erases_and_lists_the_request(
    organisation: Organisation,
    append: Append,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    append(record(1), record(2))
    fg = client_for(member_of(organisation, Role.PRIVACY_OFFICER))
    assert (
        fg.post(f"{base(organisation)}/wissen", {"subject": OTHER_BSN, "reference": "AVG-3"}).status_code
        == 400
    )
    response = fg.post(
        f"{base(organisation)}/wissen", {"subject": OTHER_BSN, "reference": "AVG-3", "confirm": "on"}
    )
    assert response.status_code == 302
    assert PersonalPayload.objects.get(entry__decision_id="BIJ-00002").payload is None
    assert "AVG-3" in fg.get(f"{base(organisation)}/wissen").content.decode()
    owner = client_for(member_of(organisation, Role.ALGORITHM_OWNER))
    assert owner.get(f"{base(organisation)}/wissen").status_code == 403


def test_settings_checkpoints_and_key_rotation(
    organisation: Organisation,
    append: Append,
    beheerder: User,
    client_for: Callable[[User], Client],
) -> None:
    append(record(1))
    client = client_for(beheerder)
    assert client.post(f"{base(organisation)}/controlepunten").status_code == 302
    assert (
        "— verantwoord.example/testdorp"
        in client.get(f"{base(organisation)}/controlepunten").content.decode()
    )
    assert client.post(f"{base(organisation)}/instellingen", {"max_retention_days": "100"}).status_code == 400
    assert (
        client.post(f"{base(organisation)}/instellingen", {"max_retention_days": "3650"}).status_code == 302
    )
    assert DecisionLog.objects.get(organisation=organisation).max_retention_days == 3650
    assert client.post(f"{base(organisation)}/instellingen", {"rotate": "1"}).status_code == 302
    assert LogSigningKey.objects.filter(log__organisation=organisation).count() == 2


def test_public_page_shows_checkpoints_and_keys(organisation: Organisation, append: Append) -> None:
    append(record(1))
    log = services.decision_log_of(organisation)
    checkpoint = services.checkpoint_create(log=log)
    assert checkpoint is not None
    page = Client().get(f"/register/{organisation.slug}/logboek")
    content = page.content.decode()
    assert page.status_code == 200
    key = LogSigningKey.objects.get(log=log)
    assert key.key_id in content and str(checkpoint.size) in content
    assert "vwdl_" not in content and "BIJ-00001" not in content
    english = Client().get(f"/en/register/{organisation.slug}/logboek")
    assert english.status_code == 200
    assert Client().get("/register/onbekend/logboek").status_code == 404


def test_the_organisations_register_page_links_to_its_log_once_it_holds_entries(
    organisation: Organisation, append: Append
) -> None:
    DecisionLog.objects.filter(organisation=organisation).delete()
    link = f'href="/register/{organisation.slug}/logboek"'
    assert link not in Client().get(f"/register/{organisation.slug}").content.decode()
    append(record(1))
    cache.clear()  # the public pages are cached while the register is unchanged
    assert link in Client().get(f"/register/{organisation.slug}").content.decode()
