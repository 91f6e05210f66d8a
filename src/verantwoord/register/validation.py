"""Validation by publication standard 1.0: required fields, limits without HTML, allowed values — all at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from verantwoord.register.standard import standard
from verantwoord.register.text import visible_length

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def missing_required_fields(record: Mapping[str, Any]) -> list[str]:
    """The keys of the standard's required fields that a record leaves empty (what `record_problems` reports as
    "Required for publication."), for counting without the other checks."""
    return [
        field.key
        for field in standard().fields
        if field.required and field.type != "system" and _is_empty(record.get(field.key))
    ]


def record_problems(record: Mapping[str, Any], *, for_publication: bool) -> dict[str, list[str]]:
    """Every problem of a record in the standard's shape, keyed by the standard's field key.

    `for_publication` adds the required-field checks; the other checks (limits, allowed values, formats) always
    apply to what is filled in.
    """
    spec = standard()
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    url_validator = URLValidator(schemes=["http", "https"])
    for field in spec.fields:
        if field.type == "system":
            continue
        value: Any = record.get(field.key)
        if _is_empty(value):
            if for_publication and field.required:
                add(field.key, _("Required for publication."))
            continue
        if field.type == "text" and field.max_length and visible_length(str(value)) > field.max_length:
            add(
                field.key,
                _("At most %(limit)s characters (without HTML); now %(length)s.")
                % {"limit": field.max_length, "length": visible_length(str(value))},
            )
        elif field.type == "choice" and field.choices:
            if spec.choice_by_label(field.choices, str(value)) is None:
                allowed = ", ".join(choice.value for choice in spec.choices[field.choices])
                add(field.key, _("Not an allowed value; choose one of: %(allowed)s.") % {"allowed": allowed})
        elif field.type == "month" and not MONTH.match(str(value)):
            add(field.key, _("Use year and month, like 2024-05."))
        elif field.type == "url":
            try:
                url_validator(str(value))
            except ValidationError:
                add(field.key, _("Not a valid web address (it must start with https:// or http://)."))
        elif field.type == "themes":
            unknown = [str(theme) for theme in value if spec.theme_by_label(str(theme)) is None]
            if unknown:
                add(field.key, _("Unknown theme: %(themes)s.") % {"themes": ", ".join(unknown)})
        elif field.type == "links":
            for index, item in enumerate(value, start=1):
                if _is_empty(item.get("title")):
                    add(field.key, _("Item %(number)s has no title.") % {"number": index})
                if item.get("link"):
                    try:
                        url_validator(str(item["link"]))
                    except ValidationError:
                        add(field.key, _("Item %(number)s has an invalid link.") % {"number": index})
    begin, end = str(record.get("begin_date") or ""), str(record.get("end_date") or "")
    if MONTH.match(begin) and MONTH.match(end) and end < begin:
        add("end_date", _("The end date is before the start date."))
    return problems


def record_warnings(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """Advice that does not block publication (the standard's guidance)."""
    spec = standard()
    warnings: dict[str, list[str]] = {}
    for field in spec.fields:
        value = record.get(field.key)
        if field.key == "description_short" and isinstance(value, str) and visible_length(value) > 350:
            warnings.setdefault(field.key, []).append(
                _("The standard advises under 350 characters, in plain language (B1).")
            )
    return warnings
