"""Staff pages of the monitoring through the Django test client: charts with tables, verdicts, the
configuration form, findings and their status, the PDF report, and who may see what."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.monitoring.conftest import CONFIG
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.monitoring import services
from verantwoord.monitoring.models import Finding, FindingStatus, MonitoringConfig
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def base(organisation: Organisation) -> str:
    return f"/beheer/{organisation.slug}/monitoring"


def _form(**overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "enabled": "on",
        "legal_basis": CONFIG["legal_basis"],
        "prediction_source": "decision",
        "positive_decision": "onderzoek",
        "truth_positive": "terugvordering",
        "truth_negative": "geen onrechtmatigheid",
        "group_attributes": "nationaliteit, geslacht",
        "intersections": "nationaliteit|geslacht",
        "reference_groups": "nationaliteit=Nederlands",
        "metrics": ["selection_rate", "precision"],
        "ratio_threshold": "0.8",
        "difference_threshold": "0.05",
        "alpha": "0.05",
        "min_group_size": "10",
        "window": "rolling-90",
        "notify_emails": "ai-team@example.org",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_configure_run_and_read_the_results(
    organisation: Organisation,
    algorithm: Algorithm,
    logged: None,
    beheerder: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(beheerder)
    # Without a configuration the algorithm page leads to the form.
    response = client.get(f"{base(organisation)}/algoritmes/{algorithm.pk}")
    assert response.status_code == 302 and response["Location"].endswith("/instellingen")
    # A bad form keeps what was typed and says what is wrong.
    response = client.post(
        f"{base(organisation)}/algoritmes/{algorithm.pk}/instellingen",
        _form(legal_basis="", intersections="nationaliteit"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "nationaliteit, geslacht" in content and "A|B" in content
    response = client.post(
        f"{base(organisation)}/algoritmes/{algorithm.pk}/instellingen", _form(positive_decision="")
    )
    assert response.status_code == 400 and not MonitoringConfig.objects.exists()
    response = client.post(f"{base(organisation)}/algoritmes/{algorithm.pk}/instellingen", _form())
    assert response.status_code == 302
    config = MonitoringConfig.objects.get()
    assert config.intersections == [["nationaliteit", "geslacht"]] and config.reference_groups == {
        "nationaliteit": "Nederlands"
    }
    # Run now, then the page shows verdicts, a chart per attribute and metric with its table.
    assert client.post(f"{base(organisation)}/algoritmes/{algorithm.pk}").status_code == 302
    page = client.get(f"{base(organisation)}/algoritmes/{algorithm.pk}").content.decode()
    assert "buiten EU" in page and "statenloos" not in page
    assert 'role="img"' in page and "<desc id=" in page
    assert page.count("<caption") >= 4
    english = client.get(f"/en{base(organisation)}/algoritmes/{algorithm.pk}").content.decode()
    assert "Flagged" in english and "Bias report (PDF)" in english
    overview = client.get(base(organisation)).content.decode()
    assert "Risicomodel bijstand" in overview


def test_findings_list_detail_and_status_change(
    organisation: Organisation,
    logged: None,
    config: MonitoringConfig,
    owner: User,
    client_for: Callable[[User], Client],
) -> None:
    services.check_run(config=config, trigger="test")
    finding = Finding.objects.get(attribute="nationaliteit", metric="selection_rate", group="buiten EU")
    client = client_for(owner)
    listing = client.get(f"{base(organisation)}/bevindingen").content.decode()
    assert f"/bevindingen/{finding.pk}" in listing
    detail = client.get(f"{base(organisation)}/bevindingen/{finding.pk}").content.decode()
    assert "Nederlands" in detail and "pp" in detail
    response = client.post(f"{base(organisation)}/bevindingen/{finding.pk}", {"status": "open"})
    assert response.status_code == 400  # not a step from open
    response = client.post(
        f"{base(organisation)}/bevindingen/{finding.pk}",
        {"status": "investigating", "note": "Wordt onderzocht"},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.INVESTIGATING and finding.note == "Wordt onderzocht"
    closed = client.get(f"{base(organisation)}/bevindingen?alle=1").content.decode()
    assert f"/bevindingen/{finding.pk}" in closed


def test_the_bias_report_is_a_pdf_with_the_verdicts(
    organisation: Organisation,
    algorithm: Algorithm,
    logged: None,
    config: MonitoringConfig,
    beheerder: User,
    client_for: Callable[[User], Client],
) -> None:
    services.check_run(config=config, trigger="test")
    response = client_for(beheerder).get(f"{base(organisation)}/algoritmes/{algorithm.pk}/rapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Risicomodel bijstand" in text and "buiten EU" in text and "statenloos" not in text
    assert CONFIG["legal_basis"] in text.replace("\n", " ")


def test_roles_without_monitoring_rights_are_refused(
    organisation: Organisation,
    algorithm: Algorithm,
    config: MonitoringConfig,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    staff = client_for(member_of(organisation, Role.STAFF))
    assert staff.get(base(organisation)).status_code == 403
    ethics = client_for(member_of(organisation, Role.ETHICS_MEMBER))
    assert ethics.get(f"{base(organisation)}/algoritmes/{algorithm.pk}").status_code == 200
    assert ethics.get(f"{base(organisation)}/algoritmes/{algorithm.pk}/instellingen").status_code == 403
    assert ethics.post(f"{base(organisation)}/algoritmes/{algorithm.pk}").status_code == 403


def test_the_algorithm_page_of_the_register_has_a_monitoring_panel(
    organisation: Organisation,
    algorithm: Algorithm,
    logged: None,
    beheerder: User,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    url = reverse("register-staff:detail", kwargs={"slug": organisation.slug, "algorithm_id": algorithm.pk})
    page = client_for(beheerder).get(url).content.decode()
    assert 'id="monitoring-heading"' in page and "/instellingen" in page
    config = services.config_save(actor=beheerder, algorithm=algorithm, values=CONFIG)
    services.check_run(config=config, trigger="test")
    page = client_for(beheerder).get(url).content.decode()
    assert f"/monitoring/algoritmes/{algorithm.pk}" in page
    staff = client_for(member_of(organisation, Role.STAFF)).get(url).content.decode()
    assert 'id="monitoring-heading"' not in staff
