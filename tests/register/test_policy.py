"""The register's compliance checks and its live block of section 5, on prepared data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.register.factories import AlgorithmFactory, published_algorithm
from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import ComplianceCheck, registered_checks
from verantwoord.policy.live_blocks import LiveContent, registered_live_blocks
from verantwoord.register import services
from verantwoord.register.choices import (
    AIActRiskClass,
    PublicationCategory,
    PublicationState,
    RegisterStatus,
)
from verantwoord.register.models import Algorithm, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The texts of this area's checks and blocks are in the shared catalogue; assert on the English source."""
    with translation.override("en"):
        yield


def _check(key: str) -> ComplianceCheck:
    return next(check for check in registered_checks() if check.key == key)


def _figures(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    (block,) = [block for block in registered_live_blocks(5) if block.key == "register.figures"]
    return block.build(organisation, moment)


def _rows(content: LiveContent, caption_start: str) -> dict[str, tuple[int, int]]:
    (table,) = [table for table in content.tables if table.caption.startswith(caption_start)]
    return {row[0]: (int(row[1]), int(row[2])) for row in table.rows}


def test_checks_pass_on_a_clean_register(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Gepubliceerd", publication_category=PublicationCategory.IMPACTFUL)
    AlgorithmFactory(organisation=organisation, status=RegisterStatus.IN_USE)  # category "other": voluntary
    today = timezone.localdate()
    for key in ("register.in_use_not_published", "register.published_incomplete"):
        outcome = _check(key).run(organisation, today)
        assert outcome.count == 0 and outcome.items == [] and not outcome.not_applicable, key


def test_in_use_not_published_finds_exactly_the_prepared_algorithms(organisation: Organisation) -> None:
    impactful = PublicationCategory.IMPACTFUL
    AlgorithmFactory(organisation=organisation, name="Niet gepubliceerd", publication_category=impactful)
    AlgorithmFactory(
        organisation=organisation, name="Hoog risico", publication_category=PublicationCategory.HIGH_RISK_AI
    )
    AlgorithmFactory(organisation=organisation, name="Zonder categorie", publication_category="")
    # Not concerned: in development, voluntary category, archived, or public.
    AlgorithmFactory(
        organisation=organisation, status=RegisterStatus.IN_DEVELOPMENT, publication_category=impactful
    )
    AlgorithmFactory(organisation=organisation, publication_category=PublicationCategory.OTHER)
    AlgorithmFactory(organisation=organisation, publication_category=impactful, archived_at=timezone.now())
    published_algorithm(organisation, name="Openbaar", publication_category=impactful)
    withdrawn = published_algorithm(organisation, name="Ingetrokken", publication_category=impactful)
    services.algorithm_transition(actor=None, algorithm=withdrawn, to_state=PublicationState.WITHDRAWN)

    outcome = _check("register.in_use_not_published").run(organisation, timezone.localdate())

    assert outcome.count == 4
    assert [item.label for item in outcome.items] == [
        "Hoog risico",
        "Ingetrokken",
        "Niet gepubliceerd",
        "Zonder categorie",
    ]
    assert outcome.items[1].url.endswith(f"/beheer/{organisation.slug}/algoritmes/{withdrawn.pk}")


def test_published_incomplete_finds_imports_missing_required_fields(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Compleet")
    incomplete = AlgorithmFactory(
        organisation=organisation, name="Geïmporteerd", description_short="", contact_email=""
    )
    services.algorithm_publish_as_imported(actor=None, algorithm=incomplete, reason="import")
    withdrawn = AlgorithmFactory(organisation=organisation, name="Ingetrokken import", contact_email="")
    services.algorithm_publish_as_imported(actor=None, algorithm=withdrawn, reason="import")
    services.algorithm_transition(actor=None, algorithm=withdrawn, to_state=PublicationState.WITHDRAWN)

    outcome = _check("register.published_incomplete").run(organisation, timezone.localdate())

    assert outcome.count == 1
    (item,) = outcome.items
    assert item.label == "Geïmporteerd: missing Short description, Contact details"
    assert item.url.endswith(f"/beheer/{organisation.slug}/algoritmes/{incomplete.pk}/bewerken")


def _expected(organisation: Organisation, field: str) -> dict[str, tuple[int, int]]:
    """Counts straight from the database: the register (not archived) and the public versions."""
    register = Algorithm.objects.filter(organisation=organisation, archived_at__isnull=True)
    public = Publication.objects.filter(organisation=organisation, is_current=True, withdrawn_at__isnull=True)
    values = set(register.values_list(field, flat=True)) | set(public.values_list(field, flat=True))
    return {
        value: (register.filter(**{field: value}).count(), public.filter(**{field: value}).count())
        for value in values
    }


def test_figures_equal_the_database_counts(organisation: Organisation) -> None:
    published_algorithm(organisation, name="A", publication_category=PublicationCategory.IMPACTFUL)
    published_algorithm(organisation, name="B")
    AlgorithmFactory(organisation=organisation, status=RegisterStatus.IN_DEVELOPMENT)
    AlgorithmFactory(organisation=organisation, status=RegisterStatus.OUT_OF_USE)
    AlgorithmFactory(organisation=organisation, ai_act_risk_class=AIActRiskClass.HIGH_RISK)
    AlgorithmFactory(organisation=organisation, archived_at=timezone.now())
    AlgorithmFactory()  # another organisation

    content = _figures(organisation, timezone.now())

    labels = {
        "status": dict(RegisterStatus.choices),
        "publication_category": dict(PublicationCategory.choices),
        "ai_act_risk_class": dict(AIActRiskClass.choices),
    }
    for caption, field, empty in (
        ("Algorithms by status", "status", "Not filled in"),
        ("Algorithms by publication category", "publication_category", "Not filled in"),
        ("Algorithms by AI Act risk class", "ai_act_risk_class", "Not yet classified"),
    ):
        rows = _rows(content, caption)
        expected = {
            (str(labels[field][value]) if value else empty): counts
            for value, counts in _expected(organisation, field).items()
        }
        total = rows.pop("Total")
        assert rows == expected, field
        assert total == (5, 2)


def test_figures_as_of_an_earlier_moment(organisation: Organisation) -> None:
    algorithm = published_algorithm(organisation, name="A")
    AlgorithmFactory(organisation=organisation, status=RegisterStatus.IN_DEVELOPMENT)
    before = timezone.now()
    services.algorithm_update(
        actor=None, algorithm=algorithm, data={"status": RegisterStatus.OUT_OF_USE, "end_date": "2026-01"}
    )
    services.algorithm_transition(actor=None, algorithm=algorithm, to_state=PublicationState.READY_FOR_REVIEW)
    services.algorithm_transition(actor=None, algorithm=algorithm, to_state=PublicationState.APPROVED)
    services.algorithm_transition(actor=None, algorithm=algorithm, to_state=PublicationState.PUBLISHED)
    later = AlgorithmFactory(organisation=organisation, status=RegisterStatus.IN_USE)

    then = _rows(_figures(organisation, before), "Algorithms by status")
    now = _rows(_figures(organisation, timezone.now()), "Algorithms by status")

    assert then == {"In development": (1, 0), "In use": (1, 1), "Total": (2, 1)}
    assert now == {"In development": (1, 0), "In use": (1, 0), "Out of use": (1, 1), "Total": (3, 1)}
    assert later.pk  # created after `before`: not in the earlier figures
    assert _figures(organisation, before - datetime.timedelta(days=1)).tables[0].rows == [["Total", "0", "0"]]


def test_block_does_not_write(organisation: Organisation) -> None:
    published_algorithm(organisation)
    with CaptureQueriesContext(connection) as queries:
        _figures(organisation, timezone.now())
    writes = ("INSERT ", "UPDATE ", "DELETE ")
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(writes)]
    assert queries.captured_queries  # it did read
