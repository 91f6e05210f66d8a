"""Exports (PDF through WeasyPrint, DOCX through python-docx) and the `verantwoord assessments` command."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from pypdf import PdfReader

from tests.assessments.factories import decided_dpia
from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.assessments.exports import export_file

pytestmark = pytest.mark.django_db


def test_templates_json_lists_versions_and_question_counts() -> None:
    out = io.StringIO()
    call_command("assessments", "templates", "--json", stdout=out)
    rows = {row["key"]: row for row in json.loads(out.getvalue())}
    assert set(rows) == {"prescan", "dpia", "iama", "ethics", "supplier"}
    assert rows["iama"]["parts"] == 5 and rows["iama"]["questions"] == 33


def test_validate_reports_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("key: x\nversion: '1'\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"kapot\.yaml: missing `title`"):
        call_command("assessments", "validate", str(broken))


def test_validate_says_a_shipped_template_is_valid_in_dutch() -> None:
    shipped = Path(apps.get_app_config("assessments").path) / "data" / "templates" / "iama.yaml"
    out = io.StringIO()
    call_command("assessments", "validate", str(shipped), stdout=out)
    assert re.fullmatch(r"iama\.yaml: geldig — iama \S+, 33 vragen", out.getvalue().strip())


def test_export_pdf_and_docx_hold_answers_risks_decision_and_hash(tmp_path: Path) -> None:
    algorithm = published_algorithm(OrganisationFactory())
    decided = decided_dpia(
        algorithm,
        risks=[
            {
                "risk": "Onterechte selectie",
                "source": "Datafout",
                "likelihood": "medium",
                "severity": "high",
                "measure": "Menselijke toets",
                "residual": "low",
            }
        ],
    )
    pdf_path, docx_path = tmp_path / "dpia.pdf", tmp_path / "dpia.docx"
    said = io.StringIO()
    call_command(
        "assessments", "export", str(decided.pk), "--format", "pdf", "-o", str(pdf_path), stdout=said
    )
    assert said.getvalue().strip() == f"{pdf_path} geschreven ({pdf_path.stat().st_size} bytes)."
    call_command(
        "assessments",
        "export",
        str(decided.pk),
        "--format",
        "docx",
        "-o",
        str(docx_path),
        stdout=io.StringIO(),
    )
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)
    assert "Onterechte selectie" in text and decided.content_hash[:16] in text.replace("\n", "")
    document = Document(str(docx_path))
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Onterechte selectie" in cells and decided.content_hash in cells
    assert "Besloten." in paragraphs and "Akkoord." in paragraphs


def test_export_refuses_an_unknown_format_and_id() -> None:
    algorithm = published_algorithm(OrganisationFactory())
    with pytest.raises(ValueError):
        export_file(decided_dpia(algorithm), file_format="odt", language="nl")
    with pytest.raises(CommandError, match="Er is geen toets met ID 999999"):
        call_command("assessments", "export", "999999", "-o", "unused.pdf")
