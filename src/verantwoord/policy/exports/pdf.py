"""The policy document as PDF: WeasyPrint renders the standalone HTML (cover, contents with page numbers, body,
annex). Headings become bookmarks, pages are numbered in the footer, and the file is tagged as PDF/UA-1, so a
screen reader follows its structure and reads it in the document's language."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from verantwoord.policy.document import RenderedDocument
from verantwoord.policy.exports.html import render_standalone_html

# WeasyPrint 70's PDF/UA-1 variant turns on structure tags and writes the UA identification in the metadata.
PDF_VARIANT = "pdf/ua-1"


# WeasyPrint reports each layout step and fontTools each subset table at INFO, and warns on every run that it
# falls back to fontTools for subsetting: hundreds of lines on the console
# of `verantwoord policy build` that say nothing to its user.
_CHATTY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


@contextmanager
def _quiet() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.ERROR))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def render_pdf(document: RenderedDocument) -> bytes:
    # Imported here: loading WeasyPrint costs time that the other exports do not need.
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_standalone_html(document, for_pdf=True)
    with _quiet():
        pdf: bytes = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
