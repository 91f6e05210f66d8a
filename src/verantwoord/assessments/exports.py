"""An assessment as a document: the printable page, PDF (WeasyPrint, from the same HTML) and DOCX (python-docx),
with questions, answers, risk tables, advice, decision, version and hashes."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verantwoord.assessments import selectors, services
from verantwoord.assessments.evaluation import answer_text, fria_items, is_answered, stop_points
from verantwoord.assessments.models import Assessment
from verantwoord.assessments.requirements import kind_label

PDF_CSS = """
@page { size: A4; margin: 2cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.2em; } h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 3pt; text-align: left; vertical-align: top; font-size: 9pt; }
.vw-hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
"""


def document_context(assessment: Assessment, *, language: str) -> dict[str, Any]:
    """Everything an export shows, in reading order."""
    template = selectors.template_of(assessment)
    answers = selectors.answers_of(assessment=assessment)
    attachments: dict[str, list[Any]] = {}
    for attachment in selectors.attachments_of(assessment=assessment):
        attachments.setdefault(attachment.question_id, []).append(attachment)
    parts = []
    for part in template.parts:
        sections = []
        for section in part.sections:
            questions = []
            for question in section.questions:
                if not question.visible(answers):
                    continue
                value = answers.get(question.id)
                questions.append(
                    {
                        "id": question.id,
                        "type": question.type,
                        "text": question.text.get(language),
                        "value": value,
                        "display": answer_text(question, value, language),
                        "answered": is_answered(question, value, len(attachments.get(question.id, []))),
                        "attachments": attachments.get(question.id, []),
                        "references": question.references,
                    }
                )
            sections.append({"title": section.title.get(language), "questions": questions})
        parts.append({"title": part.title.get(language), "sections": sections})
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "title": template.title.get(language),
        "kind": kind_label(assessment.template_key),
        "template": template,
        "parts": parts,
        "advice": list(selectors.advice_of(assessment=assessment)),
        "stops": stop_points(template, answers, language),
        "fria": fria_items(template, answers, language) if template.produces_fria else None,
        # The hash of what is shown now; for a decided assessment it must equal the recorded one.
        "current_hash": services.content_hash(assessment),
        "versions": selectors.versions_of(assessment=assessment),
        "generated_at": timezone.now(),
    }


def _pdf(context: dict[str, Any]) -> bytes:
    # Imported here: loading WeasyPrint costs time that the other pages do not need.
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    html = render_to_string("assessments/document.html", context)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
    return pdf


def _docx(context: dict[str, Any]) -> bytes:
    from docx import Document

    assessment: Assessment = context["assessment"]
    document = Document()
    document.core_properties.title = f"{context['title']} — {assessment.algorithm.name}"
    document.add_heading(f"{context['title']}: {assessment.algorithm.name}", level=0)
    meta = document.add_table(rows=0, cols=2)
    meta.style = "Table Grid"
    for label, value in (
        (_("Organisation"), assessment.organisation.name),
        (_("Version"), str(assessment.version)),
        (_("Template"), f"{assessment.template_key} {assessment.template_version}"),
        (
            _("Source instrument"),
            f"{context['template'].source_instrument} ({context['template'].source_version})",
        ),
        (_("State"), str(assessment.get_state_display())),
        (_("Content hash (SHA-256)"), assessment.content_hash or context["current_hash"]),
    ):
        cells = meta.add_row().cells
        cells[0].text, cells[1].text = label, value
    for stop in context["stops"]:
        document.add_paragraph(f"{_('Stop point')}: {stop.message}")
    for part in context["parts"]:
        document.add_heading(part["title"], level=1)
        for section in part["sections"]:
            document.add_heading(section["title"], level=2)
            for question in section["questions"]:
                document.add_paragraph(question["text"], style="Heading 3")
                if question["type"] == "risk_table" and question["value"]:
                    table = document.add_table(rows=1, cols=6)
                    table.style = "Table Grid"
                    headers = [
                        _("Risk"),
                        _("Source"),
                        _("Likelihood"),
                        _("Severity"),
                        _("Measure"),
                        _("Residual risk"),
                    ]
                    for cell, header in zip(table.rows[0].cells, headers, strict=True):
                        cell.text = header
                    for row in question["value"]:
                        cells = table.add_row().cells
                        for cell, column in zip(
                            cells,
                            ("risk", "source", "likelihood", "severity", "measure", "residual"),
                            strict=True,
                        ):
                            cell.text = str(row.get(column, ""))
                elif question["type"] == "file":
                    for attachment in question["attachments"]:
                        document.add_paragraph(
                            f"{attachment.name} (SHA-256 {attachment.sha256})", style="List Bullet"
                        )
                    if not question["attachments"]:
                        document.add_paragraph(_("(not answered)"))
                else:
                    document.add_paragraph(question["display"] or _("(not answered)"))
    if context["fria"]:
        document.add_heading(_("Fundamental-rights impact assessment (AI Act art. 27)"), level=1)
        for item in context["fria"]:
            document.add_heading(item["reference"], level=2)
            for entry in item["entries"]:
                document.add_paragraph(f"{entry['question']}: {entry['answer'] or _('(not answered)')}")
    document.add_heading(_("Advice"), level=1)
    for advice in context["advice"]:
        document.add_paragraph(
            f"{advice.get_advisor_kind_display()} — {advice.get_outcome_display()} "
            f"({advice.given_by.get_full_name() if advice.given_by else ''}, {advice.given_at:%Y-%m-%d})"
        )
        document.add_paragraph(advice.text)
        for condition in advice.conditions:
            document.add_paragraph(condition["text"], style="List Bullet")
    if not context["advice"]:
        document.add_paragraph(_("No advice has been given."))
    document.add_heading(_("Decision"), level=1)
    if assessment.decision:
        document.add_paragraph(
            f"{assessment.get_decision_display()} — {assessment.decided_by.get_full_name() if assessment.decided_by else ''}, "
            f"{assessment.decided_at:%Y-%m-%d}"
            if assessment.decided_at
            else assessment.get_decision_display()
        )
        document.add_paragraph(assessment.decision_note)
        for condition in assessment.conditions:
            document.add_paragraph(
                f"{condition['text']}"
                + (f" ({_('due')} {condition['due_date']})" if condition.get("due_date") else ""),
                style="List Bullet",
            )
        if assessment.review_date:
            document.add_paragraph(_("Re-assess on %(date)s.") % {"date": assessment.review_date.isoformat()})
    else:
        document.add_paragraph(_("Not yet decided."))
    document.add_heading(_("Versions"), level=1)
    for version in context["versions"]:
        document.add_paragraph(
            f"{_('Version')} {version.version}: {version.get_state_display()} {version.content_hash or ''}",
            style="List Bullet",
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def export_file(assessment: Assessment, *, file_format: str, language: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the assessment as PDF or DOCX."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown format {file_format!r}; use pdf or docx.")
    with translation.override(language):
        context = document_context(assessment, language=language)
        data = _pdf(context) if file_format == "pdf" else _docx(context)
    name = f"{assessment.template_key}-{assessment.algorithm_id}-v{assessment.version}.{file_format}"
    return data, CONTENT_TYPES[file_format], name
