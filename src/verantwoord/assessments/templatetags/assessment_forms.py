"""Template filters of the questionnaire form: columns of table questions, their labels, conditions as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext as _

from verantwoord.assessments.forms import ROW_COLUMNS
from verantwoord.assessments.questionnaire import Question

register = template.Library()


@register.filter
def row_columns(question_type: str) -> tuple[str, ...]:
    return ROW_COLUMNS.get(question_type, ())


@register.filter
def column_label(column: str) -> str:
    return {
        "risk": _("Risk"),
        "source": _("Source"),
        "likelihood": _("Likelihood"),
        "severity": _("Severity"),
        "measure": _("Measure"),
        "residual": _("Residual risk"),
        "title": _("Title"),
        "link": _("Link"),
        "due_date": _("Due date"),
    }.get(column, column)


@register.filter
def level_label(level: str) -> str:
    return {"low": _("low"), "medium": _("medium"), "high": _("high")}.get(level, level)


@register.filter
def get_column(row: Mapping[str, Any], column: str) -> Any:
    return row.get(column, "") or ""


@register.filter
def show_if_json(question: Question) -> str:
    """The question's conditions, for the script that shows and hides questions as answers change."""
    return json.dumps([{"question": c.question, "values": list(c.values)} for c in question.show_if])
