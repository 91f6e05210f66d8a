"""The policy document's exports: DOCX, PDF and standalone HTML of a RenderedDocument, by one entry point that
the command line and the staff pages share."""

from __future__ import annotations

from django.utils.text import slugify

from verantwoord.policy.document import RenderedDocument

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)


def export_document(document: RenderedDocument, *, file_format: str) -> bytes:
    """The document as a file in ``file_format`` (docx, pdf or html)."""
    if file_format == "docx":
        from verantwoord.policy.exports.docx import render_docx

        return render_docx(document)
    if file_format == "pdf":
        from verantwoord.policy.exports.pdf import render_pdf

        return render_pdf(document)
    if file_format == "html":
        from verantwoord.policy.exports.html import render_standalone_html

        return render_standalone_html(document).encode()
    raise ValueError(f"Unknown format {file_format!r}; use one of {', '.join(FORMATS)}.")


def file_name(document: RenderedDocument, *, file_format: str) -> str:
    """e.g. "ai-beleid-gemeente-voorbeeldstad-v3-nl.pdf"."""
    stem = slugify(f"{document.title} {document.organisation_name}")
    return f"{stem}-v{document.version_number}-{document.language}.{file_format}"
