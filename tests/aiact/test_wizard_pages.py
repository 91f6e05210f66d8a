"""The wizard through real requests: one question per page, back and forward, review, save, printable result."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.aiact.test_classification_storage import answers
from tests.register.factories import AlgorithmFactory
from verantwoord.aiact import selectors
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role

pytestmark = pytest.mark.django_db
QUESTION_FIELD = re.compile(r'name="question" value="([^"]+)"')


def test_walk_the_wizard_to_a_stored_classification(
    organisation: Organisation, beheerder: User, client_for: Callable[[User], Client]
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    client = client_for(beheerder)
    base = f"/beheer/{organisation.slug}/algoritmes/{algorithm.pk}/ai-verordening"
    client.post(f"{base}/starten", {"from": "empty"})
    wanted = answers("social_assistance_fraud_risk_model")
    asked = []
    for _step in range(60):
        response = client.get(f"{base}/vraag")
        if response.status_code == 302:
            assert response["Location"] == f"{base}/controleren"
            break
        content = response.content.decode()
        question_id = QUESTION_FIELD.search(content).group(1)  # type: ignore[union-attr]
        asked.append(question_id)
        assert 'type="radio"' in content
        posted = client.post(
            f"{base}/vraag",
            {"question": question_id, "answer": wanted[question_id], "justification": f"Omdat {question_id}"},
        )
        assert posted.status_code == 302
    assert set(asked) == set(wanted)

    # Back: an earlier question shows the given answer checked, and the justification kept.
    earlier = client.get(f"{base}/vraag?vraag={asked[2]}").content.decode()
    assert "checked" in earlier and f"Omdat {asked[2]}" in earlier
    # An answer without a choice is refused with a message, and nothing is lost.
    refused = client.post(f"{base}/vraag", {"question": asked[2], "justification": "bewaard"})
    assert refused.status_code == 400
    assert "bewaard" in refused.content.decode()

    review = client.get(f"{base}/controleren").content.decode()
    assert "bijlage III" in review.lower() or "annex iii" in review.lower()
    saved = client.post(f"{base}/controleren", {"reason": "Eerste indeling"})
    stored = selectors.current_classification(algorithm=algorithm)
    assert stored is not None
    assert saved["Location"] == f"{base}/{stored.version}"
    result = client.get(saved["Location"]).content.decode()
    assert "art. 27" in result
    assert "Omdat profiling" in result
    assert ComplianceTask.objects.filter(algorithm=algorithm).count() == len(stored.result["obligations"])
    page = client.get(f"/beheer/{organisation.slug}/algoritmes/{algorithm.pk}").content.decode()
    assert "Hoog risico" in page


def test_wizard_is_refused_to_readers(
    organisation: Organisation, member_of: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    algorithm = AlgorithmFactory(organisation=organisation)
    auditor = member_of(organisation, Role.AUDITOR)
    base = f"/beheer/{organisation.slug}/algoritmes/{algorithm.pk}/ai-verordening"
    client = client_for(auditor)
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/vraag").status_code == 403
    assert client.post(f"{base}/vraag", {"question": "subject", "answer": "system"}).status_code == 403
