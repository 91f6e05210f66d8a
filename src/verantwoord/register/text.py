"""Text measures of the standard: limits count characters without HTML."""

from __future__ import annotations

import html

from django.utils.html import strip_tags


def visible_text(value: str) -> str:
    """The text a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def visible_length(value: str) -> int:
    return len(visible_text(value))
