"""`verantwoord policy build`: which version it builds, that the files hold the builder's document (sections,
live tables from the database), and its errors with a non-zero exit status."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from verantwoord.cli import main
from verantwoord.core.models import Organisation, User
from verantwoord.policy import services
from verantwoord.policy.builder import build_document
from verantwoord.policy.document import LivePart
from verantwoord.policy.exports.html import section_heading
from verantwoord.policy.models import DecisionBody, PolicyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def versions(organisation: Organisation, beheerder: User) -> tuple[PolicyVersion, PolicyVersion]:
    """Version 1 adopted, version 2 a draft."""
    first = services.policy_version_start(actor=beheerder, organisation=organisation)
    first = services.policy_version_submit(actor=beheerder, version=first)
    first = services.policy_version_adopt(
        actor=beheerder,
        version=first,
        decision_body=DecisionBody.BOARD,
        decision_date=timezone.localdate(),
        decision_reference="B&W 2026/77",
    )
    second = services.policy_version_start(actor=beheerder, organisation=organisation)
    return first, second


def build(tmp_path: Path, *arguments: str, file_format: str = "docx") -> Path:
    output = tmp_path / f"policy.{file_format}"
    call_command(
        "policy",
        "build",
        "--organisation",
        "testdorp",
        "--format",
        file_format,
        "-o",
        str(output),
        *arguments,
    )
    return output


def heading_texts(path: Path, style: str = "Heading 1") -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style is not None and p.style.name == style]


def test_without_version_builds_the_adopted_one_with_the_builders_sections_and_figures(
    tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion], beheerder: User
) -> None:
    adopted, _draft = versions
    path = build(tmp_path, "--language", "en")
    expected = build_document(adopted, "en")
    assert heading_texts(path) == [
        *(section_heading(s) for s in expected.sections),
        "Annex: compliance checklist",
    ]
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "Version: 1" in texts and "Decision reference: B&W 2026/77" in texts
    # Every live table of the built document is in the file, cell for cell: the figures come from the database.
    live_tables = [
        [table.headers, *table.rows]
        for section in expected.sections
        for part in section.parts
        if isinstance(part, LivePart)
        for table in part.content.tables
    ]
    assert live_tables
    file_tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    for table in live_tables:
        assert table in file_tables
    assert any(beheerder.full_name in cell for table in file_tables for row in table for cell in row)
    assert len(file_tables[-1]) == len(expected.checklist) + 1  # the annex: a header row and one per check


def test_version_option_builds_the_draft_in_dutch(
    tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion]
) -> None:
    path = build(tmp_path, "--version", "2", "--language", "nl")
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "Versie: 2" in texts
    assert f"Status: {build_document(versions[1], 'nl').status}" in texts
    assert heading_texts(path)[-1] == "Bijlage: checklist naleving"


def test_pdf_and_html(tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion]) -> None:
    expected = build_document(versions[0], "en")
    reader = PdfReader(io.BytesIO(build(tmp_path, "--language", "en", file_format="pdf").read_bytes()))
    assert len(reader.pages) > 1
    bookmarks = [str(item.title) for item in reader.outline if not isinstance(item, list)]  # type: ignore[union-attr]
    assert bookmarks == [*(section_heading(s) for s in expected.sections), "Annex: compliance checklist"]
    html = build(tmp_path, "--language", "en", file_format="html").read_text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert all(f'id="section-{s.number}"' in html for s in expected.sections)


def test_unknown_organisation_is_a_translated_error_with_exit_status_2(
    tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["policy", "build", "--organisation", "nergens", "--format", "pdf", "-o", str(tmp_path / "x.pdf")]
        )
    assert exit_info.value.code == 2
    assert "Geen organisatie met korte naam nergens." in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_no_such_version(tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion]) -> None:
    with pytest.raises(CommandError, match="has no version 9 of the AI policy") as error:
        build(tmp_path, "--version", "9", "--language", "en")
    assert error.value.returncode == 2


def test_organisation_without_a_policy(tmp_path: Path, organisation: Organisation) -> None:
    with pytest.raises(CommandError, match="has no AI policy yet"):
        build(tmp_path, "--language", "en")


def test_unwritable_paths(tmp_path: Path, versions: tuple[PolicyVersion, PolicyVersion]) -> None:
    base = ["policy", "build", "--organisation", "testdorp", "--format", "html", "--language", "en", "-o"]
    with pytest.raises(CommandError, match="does not exist") as missing_folder:
        call_command(*base, str(tmp_path / "missing" / "policy.html"))
    assert missing_folder.value.returncode == 2
    with pytest.raises(CommandError, match="Cannot write") as a_folder:
        call_command(*base, str(tmp_path))  # a folder, not a file
    assert a_folder.value.returncode == 2
