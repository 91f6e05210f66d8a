"""Template filters for the AI Act pages: stored bilingual texts and labels of codes."""

from __future__ import annotations

from typing import Any

from django import template

from verantwoord.register.choices import AIActRiskClass, PublicationCategory

register = template.Library()


@register.filter
def text(value: Any, language: str) -> str:
    """A stored {nl, en} text in the page's language."""
    if isinstance(value, dict):
        return str(value.get("en" if str(language).startswith("en") else "nl", ""))
    return "" if value is None else str(value)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def risk_class_label(code: str) -> str:
    return str(AIActRiskClass(code).label) if code in AIActRiskClass.values else str(code or "—")


@register.filter
def publication_category_label(code: str) -> str:
    return str(PublicationCategory(code).label) if code in PublicationCategory.values else str(code or "—")
