"""Import of register files: every row accounted for, messy values normalised and reported, idempotent, and a
round trip through the exports that gives back the same files."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from tests.core.factories import OrganisationFactory
from tests.register.factories import complete_algorithm_data
from verantwoord.core.models import AuditRecord, Organisation, OrganisationKind
from verantwoord.register import search, selectors, services
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.demo import DEFAULT_NATIONAL_REGISTER_FILE
from verantwoord.register.exporting import export_csv, export_json
from verantwoord.register.importing import ImportFileError, ImportReport, register_import
from verantwoord.register.importing.normalise import normalise_links, normalise_month, normalise_themes
from verantwoord.register.importing.overzicht import IMPACT_NOTES
from verantwoord.register.models import Algorithm, Publication
from verantwoord.register.standard_format import links_of

pytestmark = pytest.mark.django_db

OVERZICHT = Path(DEFAULT_NATIONAL_REGISTER_FILE)
DUTCH_HEADER = [
    "Naam",
    "Organisatienaam",
    "Korte omschrijving",
    "Thema",
    "Status",
    "Begindatum",
    "Einddatum",
    "Contactgegevens",
    "Publicatiecategorie",
    "Doel en impact",
    "Verwijzingen wettelijke basis",
    "Link naar publiekspagina",
    "Bron-ID",
]
LONG_NAME = " ".join(["Risicoscan bijstandsaanvragen"] * 5)
MESSY_ROWS = [
    [
        "Slimme verkeerslichten",
        "Gemeente Testdorp",
        "Groentijden passen zich aan de drukte aan.",
        "Verkeer, Sprookjes",
        "In gebruik",
        "05-2023",
        "-",
        "algoritmes@testdorp.example",
        "Overige algoritmes",
        "<p>Minder <strong>wachten</strong> voor fietsers.</p>",
        "1: Wegenverkeerswet 1994, https://wetten.overheid.nl/BWBR0006622. 2: Gemeentewet",
        "www.testdorp.example/verkeer",
        "VRI-1",
    ],
    [
        LONG_NAME,
        "Gemeente Testdorp",
        "Een scan van aanvragen.",
        "sociale zekerheid",
        "in use",
        "2023-5",
        "",
        "algoritmes@testdorp.example",
        "Impactvolle algoritmes",
        "",
        "",
        "",
        "BIJ-2",
    ],
    [
        "Onbekende app",
        "Gemeente Nergenshuizen",
        "Iets.",
        "Werk",
        "In gebruik",
        "",
        "",
        "info@nergens.example",
        "Overige algoritmes",
        "",
        "",
        "",
        "NRG-3",
    ],
    [
        "",
        "Gemeente Testdorp",
        "Zonder naam.",
        "",
        "In gebruik",
        "",
        "",
        "a@testdorp.example",
        "",
        "",
        "",
        "",
        "X-4",
    ],
    [
        "Afvalroutes",
        "Gemeente Testdorp",
        "Routes voor de vuilniswagen. \n",
        "Natuur en milieu",
        "Buiten gebruik",
        "mei 2022",
        "2024-12-31",
        "afval@testdorp.example",
        "",
        "",
        "",
        "",
        "AFV-5",
    ],
    [
        "Plan voor later",
        "Gemeente Testdorp",
        "Nog niet.",
        "",
        "Gepland",
        "",
        "",
        "a@testdorp.example",
        "",
        "",
        "",
        "",
        "PLN-6",
    ],
]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
    return path


def counts(report: ImportReport) -> dict[str, int]:
    return {key: value for key, value in report.as_dict().items() if isinstance(value, int)}


def findings(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(item["row"], item["field"], item["message"], item["algorithm_id"]) for item in items]


def publish(organisation: Organisation, links: Any = None, **data: Any) -> Algorithm:
    algorithm = services.algorithm_create(
        actor=None, organisation=organisation, data=complete_algorithm_data(**data), links=links
    )
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    return algorithm


def empty_the_register() -> None:
    """Remove every algorithm, publication, organisation and audit record: an empty installation again."""
    Publication.objects.all().delete()
    Algorithm.objects.all().delete()
    AuditRecord.objects.all().delete()
    Organisation.objects.all().delete()
    search.rebuild_index()


# --- The real national register -----------------------------------------------------------------------------


@pytest.mark.skipif(not OVERZICHT.exists(), reason=f"the real data file is not at {OVERZICHT}")
def test_every_row_of_the_real_register_imports_and_a_second_import_changes_nothing() -> None:
    records = json.loads(OVERZICHT.read_text(encoding="utf-8"))["algoritmes"]
    first = register_import(path=OVERZICHT, create_organisations=True, publish=True)
    assert counts(first) == {"total": 1530, "imported": 1530, "updated": 0, "unchanged": 0, "skipped": 0}
    assert first.errors == []
    assert Algorithm.objects.count() == 1530
    assert Organisation.objects.count() == len({record["organisatie"] for record in records})
    assert selectors.public_publications().count() == 1530
    # The file has no publication category: reported once per row.
    assert sum(1 for w in first.warnings if w["field"] == "publication_category") == 1530

    arnhem = next(record for record in records if record["id"] == "41181368")
    algorithm = Algorithm.objects.select_related("organisation").get(lars="41181368")
    assert algorithm.name == arnhem["title"]
    assert algorithm.organisation.name == "Gemeente Arnhem"
    assert algorithm.organisation.kind == OrganisationKind.MUNICIPALITY
    assert algorithm.status == "in_use"
    assert algorithm.goal == algorithm.description_short == arnhem["doel"]
    assert algorithm.lawful_basis == arnhem["juridische_basis"]
    assert algorithm.url == arnhem["url"]
    assert algorithm.impacttoetsen == ""  # "Onbekend": nothing known, nothing invented
    assert algorithm.begin_date == ""  # the registration date is not the start date
    publication = Publication.objects.get(algorithm=algorithm)
    assert publication.content["publication_dt"] == arnhem["geregistreerd"]
    assert timezone.localtime(publication.published_at).date() == datetime.date.fromisoformat(
        arnhem["geregistreerd"]
    )
    assessed = next(record for record in records if record["impactassessment"] == "Ja")
    assert Algorithm.objects.get(lars=assessed["id"]).impacttoetsen == IMPACT_NOTES["ja"]

    audit_records, publications = AuditRecord.objects.count(), Publication.objects.count()
    second = register_import(path=OVERZICHT, create_organisations=True, publish=True)
    assert counts(second) == {"total": 1530, "imported": 0, "updated": 0, "unchanged": 1530, "skipped": 0}
    assert (AuditRecord.objects.count(), Publication.objects.count()) == (audit_records, publications)
    assert second.warnings == first.warnings


def test_overzicht_stand_ins_never_replace_text_written_here(
    tmp_path: Path, organisation: Organisation
) -> None:
    path = tmp_path / "overzicht.json"
    record = {
        "id": "10000001",
        "title": "Slimme verkeerslichten",
        "organisatie": "Gemeente Testdorp",
        "doel": "Minder wachten.",
        "status": "in_gebruik",
        "juridische_basis": "",
        "impactassessment": "Ja",
        "geregistreerd": "2024-05-22",
        "toegevoegd": "2026-05-13",
        "url": "https://algoritmes.overheid.nl/nl/algoritme/10000001",
    }
    path.write_text(json.dumps({"algoritmes": [record]}), encoding="utf-8")
    register_import(path=path)
    algorithm = Algorithm.objects.get(lars="10000001")
    assert (algorithm.description_short, algorithm.impacttoetsen) == ("Minder wachten.", IMPACT_NOTES["ja"])
    services.algorithm_update(
        actor=None,
        algorithm=algorithm,
        data={"description_short": "Eigen korte tekst.", "impacttoetsen": "DPIA gedaan in 2023."},
    )
    path.write_text(json.dumps({"algoritmes": [record | {"doel": "Nieuw doel.", "impactassessment": "Nee"}]}))
    report = register_import(path=path)
    assert counts(report)["updated"] == 1
    algorithm.refresh_from_db()
    assert (algorithm.goal, algorithm.description_short, algorithm.impacttoetsen) == (
        "Nieuw doel.",
        "Eigen korte tekst.",
        "DPIA gedaan in 2023.",
    )


# --- A messy CSV, row by row ----------------------------------------------------------------------------------


def test_a_messy_csv_is_reported_row_by_row(tmp_path: Path, organisation: Organisation) -> None:
    path = write_csv(tmp_path / "algoritmeregister.csv", DUTCH_HEADER, MESSY_ROWS)
    with translation.override("en"):
        report = register_import(path=path)
    assert counts(report) == {"total": 6, "imported": 3, "updated": 0, "unchanged": 0, "skipped": 3}
    assert findings(report.errors) == [
        (
            3,
            "organization",
            "Unknown organisation: Gemeente Nergenshuizen. Create it first, or let the import create "
            "organisations.",
            "NRG-3",
        ),
        (4, "name", "The algorithm has no name.", "X-4"),
        (
            6,
            "status",
            "Unknown status “Gepland”; use one of: In ontwikkeling, In gebruik, Buiten gebruik.",
            "PLN-6",
        ),
    ]
    assert findings(report.warnings) == [
        (1, "category", "Unknown theme “Sprookjes”; left out.", "VRI-1"),
        (1, "begin_date", "“05-2023” read as 2023-05.", "VRI-1"),
        (1, "end_date", "“-” read as empty.", "VRI-1"),
        (
            1,
            "website",
            "“www.testdorp.example/verkeer” read as https://www.testdorp.example/verkeer.",
            "VRI-1",
        ),
        (2, "category", "“sociale zekerheid” read as Sociale zekerheid.", "BIJ-2"),
        (2, "status", "“in use” read as In gebruik.", "BIJ-2"),
        (2, "begin_date", "“2023-5” read as 2023-05.", "BIJ-2"),
        (2, "name", "At most 100 characters (without HTML); now 149.", "BIJ-2"),
        (5, "description_short", "Spaces or line breaks around the value were removed.", "AFV-5"),
        (5, "begin_date", "“mei 2022” read as 2022-05.", "AFV-5"),
        (5, "end_date", "“2024-12-31” read as 2024-12.", "AFV-5"),
        (5, "publication_category", "Required for publication.", "AFV-5"),
    ]

    traffic = Algorithm.objects.get(source_id="VRI-1")
    assert traffic.goal == "<p>Minder <strong>wachten</strong> voor fietsers.</p>"  # HTML kept as written
    assert (traffic.begin_date, traffic.end_date, traffic.themes) == ("2023-05", "", ["traffic"])
    assert traffic.website == "https://www.testdorp.example/verkeer"
    assert links_of(traffic)[LinkGroup.LAWFUL_BASIS] == [
        {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"},
        {"title": "Gemeentewet", "link": ""},
    ]
    assert traffic.publication_state == PublicationState.DRAFT  # not published without publish=True
    long_named = Algorithm.objects.get(source_id="BIJ-2")
    assert long_named.name == LONG_NAME  # over-long text is kept, with the warning above
    assert (long_named.status, long_named.publication_category) == ("in_use", "impactful")
    assert Algorithm.objects.get(source_id="AFV-5").description_short == "Routes voor de vuilniswagen."
    assert not Organisation.objects.filter(name="Gemeente Nergenshuizen").exists()

    audit_records = AuditRecord.objects.count()
    again = register_import(path=path)
    assert counts(again) == {"total": 6, "imported": 0, "updated": 0, "unchanged": 3, "skipped": 3}
    assert AuditRecord.objects.count() == audit_records


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path: Path, organisation: Organisation) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS)
    audit_records, organisations = AuditRecord.objects.count(), Organisation.objects.count()
    dry = register_import(path=path, create_organisations=True, publish=True, dry_run=True)
    assert counts(dry) == {"total": 6, "imported": 4, "updated": 0, "unchanged": 0, "skipped": 2}
    assert Algorithm.objects.count() == 0
    assert Publication.objects.count() == 0
    assert (AuditRecord.objects.count(), Organisation.objects.count()) == (audit_records, organisations)
    real = register_import(path=path, create_organisations=True, publish=True)
    assert real.as_dict() == dry.as_dict()
    assert Algorithm.objects.count() == 4


def test_changes_are_updates_and_publish_a_new_version_only_when_the_content_changes(
    tmp_path: Path, organisation: Organisation
) -> None:
    rows = [row for row in MESSY_ROWS if row[1] == "Gemeente Testdorp" and row[0] and row[4] != "Gepland"]
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, rows)
    assert counts(register_import(path=path, publish=True))["imported"] == 3
    assert selectors.public_publications().count() == 3
    assert counts(register_import(path=path, publish=True))["unchanged"] == 3
    assert Publication.objects.count() == 3

    rows[0] = [*rows[0][:2], "Een nieuwe korte omschrijving.", *rows[0][3:]]
    write_csv(path, DUTCH_HEADER, rows)
    report = register_import(path=path, publish=True)
    assert counts(report) == {"total": 3, "imported": 0, "updated": 1, "unchanged": 2, "skipped": 0}
    traffic = Algorithm.objects.get(source_id="VRI-1")
    assert [p.version for p in selectors.publications_of(algorithm=traffic)] == [2, 1]
    assert selectors.public_publications().get(algorithm=traffic).content["description_short"] == (
        "Een nieuwe korte omschrijving."
    )
    assert AuditRecord.objects.filter(action="algorithm.update", object_id=str(traffic.pk)).count() == 1

    # A withdrawal here is a local decision: a later import updates the record but does not publish it again.
    services.algorithm_transition(actor=None, algorithm=traffic, to_state=PublicationState.WITHDRAWN)
    rows[0] = [*rows[0][:2], "Nog een andere omschrijving.", *rows[0][3:]]
    write_csv(path, DUTCH_HEADER, rows)
    with translation.override("en"):
        report = register_import(path=path, publish=True)
    assert counts(report)["updated"] == 1
    assert (1, None, "Withdrawn or archived here, so not published again.", "VRI-1") in findings(
        report.warnings
    )
    assert not selectors.public_publications().filter(algorithm=traffic).exists()


def test_an_import_without_publish_then_with_publish_publishes(
    tmp_path: Path, organisation: Organisation
) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS[:2])
    register_import(path=path)
    assert Publication.objects.count() == 0
    report = register_import(path=path, publish=True)
    assert counts(report) == {"total": 2, "imported": 0, "updated": 2, "unchanged": 0, "skipped": 0}
    assert selectors.public_publications().count() == 2
    assert AuditRecord.objects.filter(action="algorithm.published_as_imported").count() == 2


# --- Organisations ----------------------------------------------------------------------------------------------


def test_organisations_are_created_with_a_unique_slug_and_a_kind(tmp_path: Path) -> None:
    OrganisationFactory(name="Utrecht Regio", slug="utrecht")
    rows = [
        ["Parkeren", "Gemeente Utrecht", "Kort.", "In use", "P-1"],
        ["Geluid", "Omgevingsdienst Utrecht", "Kort.", "In use", "G-1"],
        ["Fietsen", "Gemeente Utrecht", "Kort.", "In use", "F-1"],
    ]
    header = ["name", "organization", "description_short", "status", "source_id"]
    path = write_csv(tmp_path / "organisaties.csv", header, rows)
    report = register_import(path=path, create_organisations=True)
    assert counts(report)["imported"] == 3
    municipality = Organisation.objects.get(name="Gemeente Utrecht")
    assert (municipality.slug, municipality.kind, municipality.require_two_factor) == (
        "utrecht-2",
        OrganisationKind.MUNICIPALITY,
        True,
    )
    service = Organisation.objects.get(name="Omgevingsdienst Utrecht")
    assert (service.slug, service.kind) == ("omgevingsdienst-utrecht", OrganisationKind.OTHER)
    creations = AuditRecord.objects.filter(action="organisation.create")
    assert [(record.actor_label, record.reason) for record in creations] == [
        ("system", "Import organisaties.csv")
    ] * 2
    assert municipality.algorithms.count() == 2


def test_with_an_organisation_other_organisations_rows_are_skipped(
    tmp_path: Path, organisation: Organisation
) -> None:
    header = ["name", "organization", "description_short", "status"]
    rows = [
        ["Eigen", "gemeente  testdorp", "Kort.", "In use"],
        ["Vreemd", "Gemeente Elders", "Kort.", "In use"],
    ]
    path = write_csv(tmp_path / "twee.csv", header, rows)
    with translation.override("en"):
        report = register_import(path=path, organisation=organisation)
    assert counts(report) == {"total": 2, "imported": 1, "updated": 0, "unchanged": 0, "skipped": 1}
    assert findings(report.errors) == [
        (
            2,
            "organization",
            "This row is for Gemeente Elders; only rows of Gemeente Testdorp are imported.",
            None,
        )
    ]

    without_column = write_csv(
        tmp_path / "zonder.csv", ["Naam", "Status"], [["Eerste", "In gebruik"], ["Tweede", "Nee"]]
    )
    with translation.override("en"):
        report = register_import(path=without_column, organisation=organisation)
    assert counts(report) == {"total": 2, "imported": 1, "updated": 0, "unchanged": 0, "skipped": 1}
    assert Algorithm.objects.get(name="Eerste").organisation == organisation


def test_an_algorithm_id_of_another_organisation_is_not_taken_over(
    tmp_path: Path, organisation: Organisation
) -> None:
    elsewhere = OrganisationFactory(name="Gemeente Elders", slug="elders")
    services.algorithm_create(
        actor=None, organisation=elsewhere, data=complete_algorithm_data(lars="11112222")
    )
    path = write_csv(
        tmp_path / "a.csv",
        ["name", "organization", "status", "algorithm_id"],
        [["Overname", "Gemeente Testdorp", "In use", "11112222"]],
    )
    with translation.override("en"):
        report = register_import(path=path)
    assert findings(report.errors) == [
        (1, "lars", "Algorithm ID 11112222 belongs to Gemeente Elders here.", "11112222")
    ]


# --- JSON, files and values ---------------------------------------------------------------------------------


def test_json_import(tmp_path: Path, organisation: Organisation) -> None:
    housing: dict[str, Any] = {
        "name": "Woningtoewijzing",
        "organization": "Gemeente Testdorp",
        "description_short": "Wie krijgt welke woning.",
        "category": ["Wonen", "Social Security"],
        "status": "In use",
        "contact_email": "wonen@testdorp.example",
        "publication_category": "Impactvolle algoritmes",
        "lawful_basis_grouping": [
            {"title": "Huisvestingswet 2014", "link": "https://wetten.overheid.nl/BWBR0035303"}
        ],
        "lars": "87654321",
        "publication_dt": "2024-03-01T10:00:00+00:00",
        "rating": 5,
    }
    records = [housing, "geen record"]
    path = tmp_path / "register.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    with translation.override("en"):
        report = register_import(path=path, publish=True)
    assert counts(report) == {"total": 2, "imported": 1, "updated": 0, "unchanged": 0, "skipped": 1}
    assert findings(report.errors) == [(2, None, "Not a record (an object with fields).", None)]
    assert findings(report.warnings)[0] == (
        None,
        "rating",
        "Field “rating” is not in the standard; ignored.",
        None,
    )
    algorithm = Algorithm.objects.get(lars="87654321")
    assert (algorithm.themes, algorithm.publication_category) == (["living", "social_security"], "impactful")
    publication = selectors.public_publications().get(algorithm=algorithm)
    assert publication.content["publication_dt"] == "2024-03-01T10:00:00+00:00"
    assert publication.published_at == datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC)
    assert publication.content["lawful_basis_grouping"] == housing["lawful_basis_grouping"]


def test_progress_is_reported_for_every_row(tmp_path: Path, organisation: Organisation) -> None:
    path = write_csv(tmp_path / "register.csv", DUTCH_HEADER, MESSY_ROWS)
    calls: list[tuple[int, int]] = []
    register_import(path=path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(number, 6) for number in range(1, 7)]


def test_a_file_that_is_no_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "boodschappen.csv"
    path.write_text("product,aantal\nmelk,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError):
        register_import(path=path)
    with pytest.raises(ImportFileError):
        register_import(path=tmp_path / "bestaat-niet.csv")
    with pytest.raises(ImportFileError):
        register_import(path=path, format="xlsx")


def test_a_semicolon_csv_in_windows_1252_is_read(tmp_path: Path, organisation: Organisation) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "Naam;Organisatienaam;Status\r\nCafé-check;Gemeente Testdorp;In gebruik\r\n".encode("cp1252")
    )
    report = register_import(path=path)
    assert counts(report)["imported"] == 1
    assert Algorithm.objects.get().name == "Café-check"
    assert report.warnings[0]["row"] is None


@pytest.mark.parametrize(
    ("raw", "expected", "warned"),
    [
        ("2023-05", "2023-05", False),
        ("05-2023", "2023-05", True),
        ("5-2023", "2023-05", True),
        ("2023-5", "2023-05", True),
        ("2023/05", "2023-05", True),
        ("2023-05-17", "2023-05", True),
        ("17-05-2023", "2023-05", True),
        ("17.05.2023", "2023-05", True),
        ("05/06/2023", "", True),  # month or day first? Not guessed.
        ("mei 2023", "2023-05", True),
        ("Oct. 2023", "2023-10", True),
        ("-", "", True),
        ("n.v.t.", "", True),
        ("", "", False),
        ("2023", "", True),
        ("13-2023", "", True),
    ],
)
def test_months(raw: str, expected: str, warned: bool) -> None:
    found: list[tuple[str | None, str]] = []
    assert normalise_month(raw, found, "begin_date") == expected
    assert bool(found) == warned


def test_grouping_cells_are_read_back_into_lists() -> None:
    found: list[tuple[str | None, str]] = []
    cell = "1: Wet, artikel 5, https://a.example/wet. 2: Besluit. 3: https://b.example. 4: Regeling, www.c.example."
    assert normalise_links(cell, found, "lawful_basis_grouping") == [
        {"title": "Wet, artikel 5", "link": "https://a.example/wet"},
        {"title": "Besluit", "link": ""},
        {"title": "https://b.example", "link": "https://b.example"},
        {"title": "Regeling", "link": "https://www.c.example"},
    ]
    assert [field for field, _ in found] == ["lawful_basis_grouping"]  # www. read as https://www.
    found.clear()
    assert normalise_links("Gemeentewet", found, "lawful_basis_grouping") == [
        {"title": "Gemeentewet", "link": ""}
    ]
    assert len(found) == 1
    found.clear()
    assert normalise_links("1: Wet, geen-url", found, "lawful_basis_grouping") == [
        {"title": "Wet, geen-url", "link": ""}
    ]


def test_themes_in_dutch_english_or_codes() -> None:
    found: list[tuple[str | None, str]] = []
    assert normalise_themes("Verkeer, Living; traffic|werk", found) == ["traffic", "living", "work"]
    assert len(found) == 2  # "traffic" again, and "werk" read as Werk
    found.clear()
    assert normalise_themes(["Zorg en gezondheid"], found) == ["health"]
    assert found == []


# --- The round trip -------------------------------------------------------------------------------------------


def test_export_import_export_gives_identical_files(tmp_path: Path, organisation: Organisation) -> None:
    service = OrganisationFactory(name="Omgevingsdienst Rivierenland", slug="odr", contact_email="")
    publish(
        organisation,
        name="Parkeerscan",
        source_id="PARK-1",
        themes=["traffic", "public_order"],
        begin_date="2022-01",
        end_date="2026-12",
        goal='Regel één, met "aanhalingstekens";\nregel twee, met een komma.',
        methods_and_models="<p>Een <em>beeldherkenningsmodel</em> leest kentekens.</p>",
        website="https://testdorp.example/parkeren",
        process_index_url="https://testdorp.example/avg",
        publiccode="https://github.com/testdorp/parkeerscan",
        provider="Scan B.V.",
        tags="parkeren, scanauto",
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Gemeentewet, artikel 225", "link": "https://wetten.overheid.nl/BWBR0005416"},
                {"title": "Parkeerverordening", "link": ""},
            ],
            LinkGroup.IMPACT_ASSESSMENTS: [
                {"title": "DPIA scanauto", "link": "https://testdorp.example/dpia"}
            ],
            LinkGroup.SOURCE_DATA: [
                {"title": "Kentekenregister", "link": "https://rdw.example/kenteken"},
                {"title": "Parkeerrechten", "link": ""},
            ],
        },
    )
    benefits = publish(
        organisation,
        name="Bijstandscheck",
        lars="12345678",
        status="out_of_use",
        end_date="2024-06",
        publication_category="impactful",
        themes=[],
        contact_email="Team Werk en Inkomen\nwerk@testdorp.example",
    )
    services.algorithm_update(actor=None, algorithm=benefits, data={"goal": "Een tweede, nieuwere versie."})
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        services.algorithm_transition(actor=None, algorithm=benefits, to_state=state)
    publish(service, name="Geluidsmeting", publication_category="high_risk_ai", themes=["nature"])
    csv_file, json_file = tmp_path / "register.csv", tmp_path / "register.json"
    csv_file.write_text(export_csv(selectors.public_publications()), encoding="utf-8", newline="")
    json_file.write_text(export_json(selectors.public_publications()), encoding="utf-8")

    for source in (csv_file, json_file):
        empty_the_register()
        report = register_import(path=source, create_organisations=True, publish=True)
        assert counts(report) == {"total": 3, "imported": 3, "updated": 0, "unchanged": 0, "skipped": 0}
        assert export_csv(selectors.public_publications()).encode() == csv_file.read_bytes()
        assert export_json(selectors.public_publications()).encode() == json_file.read_bytes()
        again = register_import(path=source, create_organisations=True, publish=True)
        assert counts(again)["unchanged"] == 3
