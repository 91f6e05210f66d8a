"""Task pages: evidence upload and private download, edits, permission per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.compliance.test_services import PDF, specs
from tests.register.factories import AlgorithmFactory
from verantwoord.compliance import services
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db


def test_task_page_upload_download_and_edit(
    organisation: Organisation,
    beheerder: User,
    member_of: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    [task] = services.tasks_sync(
        actor=None, algorithm=algorithm, source="aiact", wanted=specs("a"), close_reason="x"
    ).created
    client = client_for(beheerder)
    url = f"/beheer/{organisation.slug}/taken/{task.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"add_evidence": "1", "title": "Beleid", "file": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert response.status_code == 302
    evidence = task.evidence.get()
    download = client.get(f"{url}/bewijs/{evidence.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert Client().get(f"{url}/bewijs/{evidence.pk}").status_code == 302  # anonymous: to the login page

    bad = client.post(
        url, {"add_evidence": "1", "title": "Virus", "file": SimpleUploadedFile("v.pdf", b"MZ\x00\x00")}
    )
    assert bad.status_code == 400
    assert 'value="Virus"' in bad.content.decode()

    response = client.post(url, {"status": "in_progress", "owner": beheerder.pk, "due_date": "2027-01-31"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, str(task.due_date)) == ("in_progress", "2027-01-31")

    auditor = member_of(organisation, Role.AUDITOR)
    assert client_for(auditor).get(url).status_code == 200
    assert client_for(auditor).post(url, {"status": "done"}).status_code == 403
    assert ComplianceTask.objects.get().status == "in_progress"


def test_algorithm_page_shows_the_tasks_panel(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    services.tasks_sync(
        actor=None, algorithm=algorithm, source="aiact", wanted=specs("a", "b"), close_reason="x"
    )
    content = (
        client_for(beheerder).get(f"/beheer/{organisation.slug}/algoritmes/{algorithm.pk}").content.decode()
    )
    assert "Taak a" in content and "Taak b" in content
    overview = client_for(beheerder).get(f"/beheer/{organisation.slug}/taken").content.decode()
    assert "Taak a" in overview
