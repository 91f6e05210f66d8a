"""The policy document as DOCX, for a municipality to edit and circulate in Word: a cover page, a table of
contents field that Word fills in on opening, sections in the built-in Heading styles (so Word's navigation pane
and TOC work), live figures as Word tables with a repeating header row, the checklist annex as a table, and page
numbers in the footer."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from verantwoord.policy.document import LivePart, RenderedDocument
from verantwoord.policy.exports.html import format_date, section_heading
from verantwoord.policy.exports.markdown import Block, Run, markdown_blocks

TOC_INSTRUCTION = r'TOC \o "1-3" \h \z \u'
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
_LIST_STYLES = {"bullet": ("List Bullet", "List Bullet 2", "List Bullet 3"), "number": ("List Number",) * 3}


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin, instruction, separate, shown result, end) that Word computes."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # asks Word to compute it again
        run._r.append(element)

    char("begin")
    instruction_run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instruction_run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _update_fields_on_open(document: DocxDocument) -> None:
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def _set_language(document: DocxDocument, language: str) -> None:
    """Spelling and hyphenation in the document's language, for every style that does not say otherwise."""
    tag = LANGUAGE_TAGS.get(language, language)
    document.core_properties.language = tag
    r_pr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if r_pr is None:
        return
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)


def _add_runs(paragraph: Paragraph, runs: list[Run]) -> None:
    for run in runs:
        # Word shows a link's address beside its text: the file is also printed, where a link cannot be followed.
        text = run.text if not run.href or run.href == run.text else f"{run.text} ({run.href})"
        added = paragraph.add_run(text)
        added.bold = run.bold or None
        added.italic = run.italic or None
        if run.code:
            added.font.name = "DejaVu Sans Mono"


def _repeat_header(table: DocxTable) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _table(document: DocxDocument, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=max(len(headers), 1))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=False):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    _repeat_header(table)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = value


def _new_numbering(document: DocxDocument, style_name: str, start: int) -> int:
    """A numbering of its own, starting at ``start``, for one numbered list: Word would otherwise count on
    across every list in the "List Number" style."""
    style_num_pr = document.styles[style_name].element.pPr.numPr
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(style_num_pr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    number: int = num.numId
    return number


def _markdown(document: DocxDocument, markdown: str) -> None:
    numberings: dict[int, int] = {}  # list depth → the numbering of the numbered list open at that depth
    for block in markdown_blocks(markdown, heading_offset=1):
        _block(document, block, numberings)


def _block(document: DocxDocument, block: Block, numberings: dict[int, int]) -> None:
    if block.kind == "heading":
        paragraph = document.add_heading("", level=min(block.level, 9))
        _add_runs(paragraph, block.runs)
    elif block.kind in _LIST_STYLES:
        style = _LIST_STYLES[block.kind][min(block.level, 2)]
        paragraph = document.add_paragraph(style=style)
        if block.kind == "number":
            if block.list_start is not None or block.level not in numberings:
                numberings[block.level] = _new_numbering(document, style, block.list_start or 1)
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = numberings[block.level]
        _add_runs(paragraph, block.runs)
    elif block.kind == "quote":
        _add_runs(document.add_paragraph(style="Quote"), block.runs)
    elif block.kind == "code":
        paragraph = document.add_paragraph(style="No Spacing")
        _add_runs(paragraph, block.runs)
    elif block.kind == "table":
        _table(
            document,
            "",
            ["".join(run.text for run in cell) for cell in block.header],
            [["".join(run.text for run in cell) for cell in row] for row in block.rows],
        )
    else:
        _add_runs(document.add_paragraph(), block.runs)


def _cover(document: DocxDocument, rendered: RenderedDocument) -> None:
    organisation = document.add_paragraph()
    organisation.paragraph_format.space_before = Pt(120)
    run = organisation.add_run(rendered.organisation_name)
    run.bold = True
    run.font.size = Pt(16)
    document.add_paragraph(rendered.title, style="Title")
    facts = [
        (_("Version"), str(rendered.version_number)),
        (_("Status"), rendered.status),
        (_("Date"), format_date(rendered.as_of)),
    ]
    if rendered.adopted_on:
        facts.append((_("Adopted on"), format_date(rendered.adopted_on)))
    if rendered.decision_reference:
        facts.append((_("Decision reference"), rendered.decision_reference))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _footer(document: DocxDocument, rendered: RenderedDocument) -> None:
    section = document.sections[0]
    # The cover has no footer: a different first page, left empty.
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(f"{rendered.title} — {_('version')} {rendered.version_number}    {_('Page')} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES", "1")


def render_docx(rendered: RenderedDocument) -> bytes:
    with translation.override(rendered.language):
        document = Document()
        properties = document.core_properties
        properties.title = rendered.title
        properties.author = rendered.organisation_name
        properties.subject = f"{_('Version')} {rendered.version_number} ({rendered.status})"
        properties.keywords = "AI, AI Act, AVG, algoritmeregister"
        _set_language(document, rendered.language)
        _update_fields_on_open(document)
        _footer(document, rendered)
        _cover(document, rendered)

        document.add_paragraph(_("Contents"), style="TOC Heading")
        _field(
            document.add_paragraph(),
            TOC_INSTRUCTION,
            _("The table of contents is filled in when Word opens the file (or press F9)."),
        )
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

        as_of = format_date(rendered.as_of)
        for section in sorted(rendered.sections, key=lambda s: s.number):
            document.add_heading(section_heading(section), level=1)
            for part in section.parts:
                if isinstance(part, LivePart):
                    document.add_heading(part.title, level=2)
                    note = document.add_paragraph()
                    note.add_run(
                        _("From the platform's data as of %(date)s.") % {"date": as_of}
                    ).italic = True
                    for text in part.content.paragraphs:
                        document.add_paragraph(text)
                    for table in part.content.tables:
                        _table(document, table.caption, table.headers, table.rows)
                else:
                    if part.fill_in:
                        label = document.add_paragraph(style="Intense Quote")
                        label.add_run(_("To be filled in by the organisation")).bold = True
                    _markdown(document, part.markdown)

        # The annex on its own page, in landscape: six columns of checklist text do not fit upright.
        annex = document.add_section(WD_SECTION.NEW_PAGE)
        annex.orientation = WD_ORIENT.LANDSCAPE
        annex.page_width, annex.page_height = annex.page_height, annex.page_width
        annex.different_first_page_header_footer = False
        document.add_heading(_("Annex: compliance checklist"), level=1)
        if rendered.checklist:
            _table(
                document,
                _("Results of the compliance checks as of %(date)s") % {"date": as_of},
                [_("Check"), _("Severity"), _("Status"), _("Items concerned"), _("Explanation"), _("Source")],
                [
                    [row.title, row.severity, row.status, str(row.count), row.explanation, row.source]
                    for row in rendered.checklist
                ],
            )
        else:
            document.add_paragraph(_("No compliance checks were run for this version."))

        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
