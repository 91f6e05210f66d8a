"""Number formats of the monitoring pages: rates as percentages, differences in percentage points."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return number_format(value * 100, 1) + "%"


@register.filter
def points(value: float | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + number_format(value * 100, 1) + " pp"


@register.filter
def pvalue(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + number_format(0.001, 3)
    return number_format(value, 3)
