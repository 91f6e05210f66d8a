"""The policy document as HTML: the body (sections, live blocks, checklist annex) that the public page includes,
and a standalone file with cover and contents, which is also the source of the PDF.

Accessible by construction: one `<h2>` per section under the page's `<h1>`, live tables with a caption and header
cells with a scope, the document's language on the root element."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from verantwoord.policy.document import LivePart, RenderedDocument, Section
from verantwoord.policy.exports.markdown import markdown_html
from verantwoord.policy.live_blocks import Table

BODY_TEMPLATE = "policy/export/document_body.html"
STANDALONE_TEMPLATE = "policy/export/document.html"


def section_heading(section: Section) -> str:
    """ "3 Review and escalation process": the numbered sections carry their number; the introduction (0) and the
    commitments (9) do not. A title that already starts with its number is left as it is."""
    if not 1 <= section.number <= 8 or section.title.startswith((f"{section.number} ", f"{section.number}.")):
        return section.title
    return f"{section.number} {section.title}"


def section_anchor(section: Section) -> str:
    return f"section-{section.number}"


ANNEX_ANCHOR = "annex-checklist"


def format_date(value: date | None) -> str:
    """A date in the active language's long form ("4 december 2026")."""
    return formats.date_format(value, "DATE_FORMAT") if value else ""


@dataclass(frozen=True)
class BodyPart:
    kind: str  # "text" or "live"
    html: SafeString | None = None
    fill_in: bool = False  # a text block that still says what the organisation has to write
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class BodySection:
    number: int
    anchor: str
    heading: str
    parts: list[BodyPart]


def _body_sections(document: RenderedDocument) -> list[BodySection]:
    sections = []
    for section in sorted(document.sections, key=lambda s: s.number):
        parts = [
            BodyPart("live", title=part.title, paragraphs=part.content.paragraphs, tables=part.content.tables)
            if isinstance(part, LivePart)
            else BodyPart("text", html=markdown_html(part.markdown, heading_offset=2), fill_in=part.fill_in)
            for part in section.parts
        ]
        sections.append(BodySection(section.number, section_anchor(section), section_heading(section), parts))
    return sections


def document_context(document: RenderedDocument) -> dict[str, Any]:
    """The context of the templates, in the document's language (call it under that language)."""
    return {
        "policy_document": document,
        "sections": _body_sections(document),
        "annex_anchor": ANNEX_ANCHOR,
        "annex_heading": _("Annex: compliance checklist"),
        "as_of": format_date(document.as_of),
        "adopted_on": format_date(document.adopted_on),
    }


def render_document_body(document: RenderedDocument) -> SafeString:
    """The document's body as safe HTML: sections from `<h2>` down and the checklist annex, for a page whose own
    `<h1>` is the document's title."""
    with translation.override(document.language):
        html = render_to_string(BODY_TEMPLATE, document_context(document))
    return SafeString(html)


def render_standalone_html(document: RenderedDocument, *, for_pdf: bool = False) -> str:
    """A complete HTML file: cover, contents, body, annex; no remote resources."""
    with translation.override(document.language):
        context = document_context(document)
        context["for_pdf"] = for_pdf
        context["page_label"] = _("Page")
        return render_to_string(STANDALONE_TEMPLATE, context)
