"""Exports of the public register: JSON records in the standard's shape and the national register's CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.register.factories import complete_algorithm_data
from verantwoord.core.models import Organisation
from verantwoord.register import selectors, services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.exporting import export_csv, export_json, export_records, links_cell
from verantwoord.register.models import Algorithm
from verantwoord.register.standard import standard

pytestmark = pytest.mark.django_db

LINKS = {
    LinkGroup.LAWFUL_BASIS: [
        {"title": "Wegenverkeerswet 1994, artikel 15", "link": "https://wetten.overheid.nl/BWBR0006622"},
        {"title": "Verkeersbesluit", "link": ""},
    ],
    LinkGroup.IMPACT_ASSESSMENTS: [{"title": "DPIA", "link": "https://testdorp.example/dpia.pdf"}],
    LinkGroup.SOURCE_DATA: [],
}


def publish(organisation: Organisation, links: Any = None, **data: Any) -> Algorithm:
    algorithm = services.algorithm_create(
        actor=None, organisation=organisation, data=complete_algorithm_data(**data), links=links
    )
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    return algorithm


def test_records_have_the_standards_keys_in_its_order(organisation: Organisation) -> None:
    publish(organisation, links=LINKS, themes=["traffic", "living"], lars="12345678", internal_notes="GEHEIM")
    [record] = export_records(selectors.public_publications())
    assert list(record) == standard().keys
    assert record["category"] == ["Verkeer", "Wonen"]
    assert record["status"] == "In gebruik"
    assert record["publication_category"] == "Overige algoritmes"
    assert record["organization"] == "Gemeente Testdorp"
    assert record["lawful_basis_grouping"] == [
        {"title": "Wegenverkeerswet 1994, artikel 15", "link": "https://wetten.overheid.nl/BWBR0006622"},
        {"title": "Verkeersbesluit", "link": ""},
    ]
    assert record["source_data_grouping"] == []
    assert record["lars"] == "12345678"
    assert record["end_date"] == ""
    assert record["publication_dt"].startswith("20")
    assert "GEHEIM" not in json.dumps(record)


def test_only_the_published_version_is_exported(organisation: Organisation) -> None:
    algorithm = publish(organisation, goal="Gepubliceerd doel")
    services.algorithm_update(actor=None, algorithm=algorithm, data={"goal": "Concept in bewerking"})
    withdrawn = publish(organisation, name="Ingetrokken")
    services.algorithm_transition(actor=None, algorithm=withdrawn, to_state=PublicationState.WITHDRAWN)
    records = export_records(selectors.public_publications())
    assert [(record["name"], record["goal"]) for record in records] == [
        ("Slimme verkeerslichten", "Gepubliceerd doel")
    ]


def test_json_is_a_utf8_array_with_a_trailing_newline(organisation: Organisation) -> None:
    publish(organisation, name="Overheidsfinanciën-check", themes=["public_finance"])
    text = export_json(selectors.public_publications())
    assert text.endswith("}\n]\n")
    assert "Overheidsfinanciën" in text  # not escaped as \u00eb
    assert text.startswith('[\n  {\n    "name": ')
    assert json.loads(text) == export_records(selectors.public_publications())


def test_csv_is_the_national_registers_download_format(organisation: Organisation) -> None:
    publish(
        organisation,
        links=LINKS,
        themes=["traffic", "living"],
        goal='Regel één, met "aanhalingstekens"\nen een tweede regel.',
        source_id="VRI-1",
    )
    text = export_csv(selectors.public_publications())
    assert text.startswith("\ufeff")
    lines = text[1:].split("\r\n")
    header = [key if key != "lars" else "algorithm_id" for key in standard().keys]
    assert lines[0] == ",".join(f'"{key}"' for key in header)
    assert lines[-1] == ""  # the last row ends with CRLF too
    [row] = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert row["category"] == "Verkeer, Wonen"
    assert row["lawful_basis_grouping"] == (
        "1: Wegenverkeerswet 1994, artikel 15, https://wetten.overheid.nl/BWBR0006622. 2: Verkeersbesluit"
    )
    assert row["impacttoetsen_grouping"] == "1: DPIA, https://testdorp.example/dpia.pdf"
    assert row["source_data_grouping"] == ""
    assert row["goal"] == 'Regel één, met "aanhalingstekens"\nen een tweede regel.'
    assert row["algorithm_id"] == ""
    assert row["status"] == "In gebruik"
    # Every value quoted, the empty ones too; quotes inside a value doubled; the line break inside the value kept.
    assert '"VRI-1","nld","1.0","",' in text
    assert '"Regel één, met ""aanhalingstekens""\nen een tweede regel."' in text
    assert '"end_date"' in lines[0] and ',"",' in lines[1]


def test_links_cell_leaves_out_the_missing_link() -> None:
    assert links_cell([]) == ""
    assert links_cell([{"title": "Wet", "link": ""}]) == "1: Wet"
    assert (
        links_cell([{"title": "A, b", "link": "https://a.example"}, {"title": "C", "link": ""}])
        == "1: A, b, https://a.example. 2: C"
    )


def test_an_empty_register_exports_a_header_and_an_empty_array() -> None:
    assert export_json(selectors.public_publications()) == "[]\n"
    assert export_csv(selectors.public_publications()).count("\r\n") == 1
