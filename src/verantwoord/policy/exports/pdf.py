"""The policy document as PDF: WeasyPrint renders the standalone HTML (cover, contents with page numbers, body,
annex). Headings become bookmarks, pages are numbered in the footer, and the file is tagged as PDF/UA-1, so a
screen reader follows its structure and reads it in the document's language."""

from __future__ import annotations

from verantwoord.policy.document import RenderedDocument
from verantwoord.policy.exports.html import render_standalone_html

# WeasyPrint 70's PDF/UA-1 variant turns on structure tags and writes the UA identification in the metadata.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(document: RenderedDocument) -> bytes:
    # Imported here: loading WeasyPrint costs time that the other exports do not need.
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_standalone_html(document, for_pdf=True)
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
