"""The policy document's exports, on a document built by hand: DOCX read back with python-docx, PDF with pypdf,
HTML parsed. Each checks structure (all sections in order), the live figures and the annex."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from html.parser import HTMLParser

import pytest
from docx import Document
from pypdf import PdfReader

from verantwoord.policy.document import ChecklistRow, LivePart, RenderedDocument, Section, TextPart
from verantwoord.policy.exports.docx import TOC_INSTRUCTION, render_docx
from verantwoord.policy.exports.html import render_document_body, render_standalone_html
from verantwoord.policy.exports.markdown import markdown_blocks, markdown_html
from verantwoord.policy.exports.pdf import render_pdf
from verantwoord.policy.live_blocks import LiveContent, Table

TITLES = [
    "Introduction",
    "Vision and objectives",
    "Governance and organisation",
    "Review and escalation process",
    "AVG and AI Act compliance",
    "Algorithm register and transparency",
    "Citizen participation and explainability",
    "Supplier policy and procurement conditions",
    "Monitoring and evaluation",
    "Our commitments",
]
# Figures no template text contains, so finding them proves the live table was rendered.
FIGURES = ["4711", "2903", "1618"]
LONG_TEXT = "\n\n".join(
    f"Paragraph {n} explains how the municipality weighs public values when it uses algorithms. " * 4
    for n in range(6)
)


def sample_document(language: str = "en", *, checklist: bool = True) -> RenderedDocument:
    sections = []
    for number, title in enumerate(TITLES):
        parts: list[TextPart | LivePart] = [
            TextPart(
                f"Text of section {number}.\n\n# Sub-heading {number}\n\n- first point\n- **second** point"
            )
        ]
        if number == 1:
            parts.append(TextPart(LONG_TEXT))
        if number == 5:
            parts.append(
                LivePart(
                    key="register.figures",
                    title="Register figures",
                    content=LiveContent(
                        paragraphs=["The register holds 3 algorithms."],
                        tables=[
                            Table(
                                caption="Algorithms by status",
                                headers=["Status", "Number"],
                                rows=[["In use", FIGURES[0]], ["Retired", FIGURES[1]]],
                            )
                        ],
                    ),
                )
            )
        if number == 7:
            parts.append(TextPart("Describe the clauses every supplier signs.", fill_in=True))
        sections.append(Section(number=number, title=title, parts=parts))
    rows = (
        [
            ChecklistRow(
                title="Policy adopted in the last 12 months",
                severity="High",
                explanation="The board adopts the policy and reviews it every year.",
                source="AI Act art. 4; own policy",
                count=int(FIGURES[2]),
                status="open",
            )
        ]
        if checklist
        else []
    )
    return RenderedDocument(
        organisation_name="Gemeente Voorbeeldstad",
        title="AI policy",
        language=language,
        version_number=3,
        status="Adopted",
        as_of=date(2026, 11, 2),
        adopted_on=date(2026, 11, 10),
        decision_reference="B&W 2026/123",
        sections=sections,
        checklist=rows,
    )


def expected_headings() -> list[str]:
    return [title if number in (0, 9) else f"{number} {title}" for number, title in enumerate(TITLES)]


# --- Markdown ---------------------------------------------------------------------------------------------


def test_markdown_html_escapes_raw_html_and_unsafe_links() -> None:
    html = markdown_html(
        '<script>alert("x")</script>\n\n[click](javascript:alert(1)) [ok](https://example.org)'
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org">ok</a>' in html


def test_markdown_headings_are_shifted_below_the_section() -> None:
    assert markdown_html("# Top\n\n### Deep", heading_offset=2) == "<h3>Top</h3>\n<h5>Deep</h5>\n"
    assert markdown_html("#### Four", heading_offset=2).startswith("<h6>")


def test_markdown_blocks_keep_lists_emphasis_and_tables() -> None:
    blocks = markdown_blocks(
        "# Title\n\n- one\n  - nested\n1. first\n\n**bold** *it*\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 2),
        ("bullet", 0),
        ("bullet", 1),
        ("number", 0),
        ("paragraph", 0),
        ("table", 0),
    ]
    assert [(r.text, r.bold, r.italic) for r in blocks[4].runs] == [
        ("bold", True, False),
        (" ", False, False),
        ("it", False, True),
    ]
    assert [[r.text for r in cell] for cell in blocks[5].header] == [["a"], ["b"]]
    assert [[[r.text for r in cell] for cell in row] for row in blocks[5].rows] == [[["1"], ["2"]]]


# --- HTML ---------------------------------------------------------------------------------------------------


class Outline(HTMLParser):
    """Headings, table captions and header cells of a page, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.captions: list[str] = []
        self.header_scopes: list[str | None] = []
        self.html_lang: str | None = None
        self._open: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        if tag == "th":
            self.header_scopes.append(dict(attrs).get("scope"))
        if tag in ("h1", "h2", "h3", "h4", "caption"):
            self._open, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            text = " ".join(self._text.split())
            if tag == "caption":
                self.captions.append(text)
            else:
                self.headings.append((tag, text))
            self._open = None


def test_html_body_has_sections_in_order_live_tables_and_annex() -> None:
    outline = Outline()
    outline.feed(render_document_body(sample_document()))
    h2 = [text for tag, text in outline.headings if tag == "h2"]
    assert h2 == [*expected_headings(), "Annex: compliance checklist"]
    assert ("h3", "Register figures") in outline.headings
    assert ("h3", "Sub-heading 1") in outline.headings  # a text block's ## under its section
    assert "Algorithms by status" in outline.captions
    assert all(scope in ("col", "row") for scope in outline.header_scopes)
    assert outline.header_scopes.count("col") == 2 + 6  # the live table and the checklist
    assert not any(tag == "h1" for tag, _text in outline.headings)  # the page around it has the h1


def test_html_body_shows_figures_fill_in_blocks_and_checklist() -> None:
    html = render_document_body(sample_document())
    for figure in FIGURES:
        assert figure in html
    assert "vw-policy-fill-in" in html
    assert "To be filled in by the organisation" in html
    assert "AI Act art. 4; own policy" in html


def test_html_body_without_checklist_says_so() -> None:
    html = render_document_body(sample_document(checklist=False))
    assert "No compliance checks were run for this version." in html


def test_standalone_html_in_dutch_has_lang_cover_and_contents() -> None:
    html = render_standalone_html(sample_document("nl"))
    outline = Outline()
    outline.feed(html)
    assert outline.html_lang == "nl"
    assert outline.headings[0] == ("h1", "AI policy")
    assert "Inhoud" in html  # "Contents", translated
    assert "10 november 2026" in html  # adopted on, in Dutch
    assert "B&amp;W 2026/123" in html
    for number in range(10):
        assert f'href="#section-{number}"' in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere


# --- DOCX ---------------------------------------------------------------------------------------------------


def test_docx_headings_toc_field_tables_and_properties() -> None:
    data = render_docx(sample_document())
    document = Document(io.BytesIO(data))
    level1 = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert level1 == [*expected_headings(), "Annex: compliance checklist"]
    level2 = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert "Register figures" in level2 and "Sub-heading 1" in level2
    assert document.core_properties.title == "AI policy"
    assert document.core_properties.language == "en-GB"

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert TOC_INSTRUCTION.replace('"', "&quot;") in xml or TOC_INSTRUCTION in xml
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()
    assert re.search(r'<w:updateFields w:val="(true|1)"/>', settings)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert '<w:lang w:val="en-GB"' in styles  # proofing language of every style
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer

    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert [["Status", "Number"], ["In use", FIGURES[0]], ["Retired", FIGURES[1]]] in tables
    annex = tables[-1]
    assert annex[0] == ["Check", "Severity", "Status", "Items concerned", "Explanation", "Source"]
    assert annex[1][0] == "Policy adopted in the last 12 months" and annex[1][3] == FIGURES[2]
    assert 'w:tblHeader w:val="true"' in xml


def test_docx_cover_and_lists_in_dutch() -> None:
    document = Document(io.BytesIO(render_docx(sample_document("nl"))))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Gemeente Voorbeeldstad"
    assert "AI policy" in texts
    assert any(t.startswith("Versie") and t.endswith("3") for t in texts)
    assert "Besluitkenmerk: B&W 2026/123" in texts or any("B&W 2026/123" in t for t in texts)
    bullets = [p for p in document.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert [b.text for b in bullets[:2]] == ["first point", "second point"]
    assert bullets[1].runs[0].bold
    assert document.core_properties.language == "nl-NL"


def test_docx_numbered_lists_each_start_at_their_own_number() -> None:
    document = sample_document("nl")
    document.sections[2].parts.append(TextPart("1. een\n2. twee\n3. drie"))
    document.sections[3].parts.append(TextPart("1. vier\n2. vijf\n\ntussentekst\n\n4. zes\n5. zeven"))
    data = render_docx(document)
    numbered = [
        p
        for p in Document(io.BytesIO(data)).paragraphs
        if p.style is not None and p.style.name == "List Number"
    ]
    assert [p.text for p in numbered] == ["een", "twee", "drie", "vier", "vijf", "zes", "zeven"]
    lists = [p._p.pPr.numPr.numId.val for p in numbered]  # type: ignore[union-attr]
    # One numbering per list, shared by its items: Word counts each list on its own.
    assert lists[0] == lists[1] == lists[2] and lists[3] == lists[4] and lists[5] == lists[6]
    assert len({lists[0], lists[3], lists[5]}) == 3
    numbering = zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml").decode()
    for num_id, start in ((lists[0], 1), (lists[3], 1), (lists[5], 4)):
        found = re.search(rf'<w:num w:numId="{num_id}">.*?</w:num>', numbering, re.DOTALL)
        assert found is not None and f'<w:startOverride w:val="{start}"/>' in found.group(0)


# --- PDF ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_reader() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(sample_document())))


def _outline_titles(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(str(item.title))  # type: ignore[attr-defined]
    return titles


def test_pdf_bookmarks_are_the_sections(pdf_reader: PdfReader) -> None:
    top_level = [str(item.title) for item in pdf_reader.outline if not isinstance(item, list)]  # type: ignore[union-attr]
    assert top_level == [*expected_headings(), "Annex: compliance checklist"]
    assert "Register figures" in _outline_titles(pdf_reader.outline)


def test_pdf_pages_numbers_figures_and_tags(pdf_reader: PdfReader) -> None:
    pages = len(pdf_reader.pages)
    assert pages > 2
    text = "\n".join(page.extract_text() for page in pdf_reader.pages)
    for figure in FIGURES:
        assert figure in text
    assert "Page 2 / " in pdf_reader.pages[1].extract_text()
    assert f"Page {pages} / {pages}" in pdf_reader.pages[-1].extract_text()
    assert "Page 1" not in pdf_reader.pages[0].extract_text()  # the cover has no footer
    root = pdf_reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]


def test_pdf_contents_lists_page_numbers(pdf_reader: PdfReader) -> None:
    contents = pdf_reader.pages[1].extract_text()
    assert "Contents" in contents
    # Every entry ends with the page its section starts on.
    for heading in expected_headings():
        assert re.search(re.escape(heading) + r"[ .]*\d+", contents), heading
