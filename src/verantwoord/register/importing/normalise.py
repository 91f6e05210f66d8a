"""Cleaning the values of one row into what the register stores, reporting every change.

Rules: normalise only what is unambiguous (`05-2023` → `2023-05`, `In use` → `in_use`, `-` in a date → empty),
and report it; what cannot be read is left out with a warning that quotes it, or — for what a record cannot do
without (a name, a status) — makes the row fail with an error. Free text is kept as written (HTML included:
limits are counted without it), only trimmed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from verantwoord.register.importing.formats import SourceRow
from verantwoord.register.standard import standard

# Values that mean "nothing here" in structured fields (dates, links, choices). Free text keeps them: "n.v.t."
# as the answer to a question is content. (\u2013 and \u2014: en and em dash, as word processors type "-".)
PLACEHOLDERS = frozenset(
    {"-", "\u2013", "\u2014", "n.v.t.", "n.v.t", "nvt", "n.b.", "nb", "n/a", "onbekend", "unknown"}
)
# Status codes of the overzicht format and older exports, with the standard's value they stand for.
STATUS_ALIASES = {
    "in_gebruik": "in_use",
    "ontwikkeling": "in_development",
    "in_ontwikkeling": "in_development",
    "buiten_gebruik": "out_of_use",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
CANONICAL_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
# Day-month-year with - or . as Dutch writes dates; not with /, where US files put the month first.
DUTCH_DATE = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")
NAMED_MONTH = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")
# A grouping cell: "1: title, link. 2: title, link" (the link is optional).
FIRST_ITEM = re.compile(r"^1:\s*")
LINK_AT_END = re.compile(r"^(?P<title>.*?),\s*(?P<link>(?:https?://|www\.)\S*)$", re.DOTALL)
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S*$")

_url_validator = URLValidator(schemes=["http", "https"])
Findings = list[tuple[str | None, str]]


@dataclass
class NormalisedRow:
    """A row ready for the services: model field values and link lists, only for what the row gives."""

    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    links: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    organisation_name: str | None = None  # None: the row has no organisation field at all
    publication_dt: str = ""
    published_at: datetime.datetime | None = None
    stand_ins: frozenset[str] = frozenset()
    warnings: Findings = field(default_factory=list)
    errors: Findings = field(default_factory=list)

    @property
    def algorithm_id(self) -> str | None:
        return str(self.fields.get("lars") or self.fields.get("source_id") or "") or None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _quoted(value: str) -> str:
    return "“" + value + "”"


def trimmed(value: Any, findings: Findings, key: str | None) -> str:
    text = _text(value)
    clean = text.strip()
    if clean != text and clean:
        findings.append((key, _("Spaces or line breaks around the value were removed.")))
    return clean


def is_placeholder(value: str) -> bool:
    return value.casefold() in PLACEHOLDERS


def normalise_month(value: str, findings: Findings, key: str) -> str:
    """`yyyy-mm` from the forms real files contain; empty (reported) when it cannot be read unambiguously."""
    if not value:
        return ""
    if is_placeholder(value):
        findings.append((key, _("%(value)s read as empty.") % {"value": _quoted(value)}))
        return ""
    year, month = 0, 0
    if match := CANONICAL_MONTH.match(value) or YEAR_MONTH.match(value):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := MONTH_YEAR.match(value):
        year, month = int(match.group(2)), int(match.group(1))
    elif match := ISO_DATE.match(value):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := DUTCH_DATE.match(value):
        year, month = int(match.group(3)), int(match.group(2))
    elif (match := NAMED_MONTH.match(value)) and match.group(1).casefold() in MONTHS:
        year, month = int(match.group(2)), MONTHS[match.group(1).casefold()]
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        findings.append(
            (
                key,
                _("%(value)s is not a year and month (like 2024-05); left empty.")
                % {"value": _quoted(value)},
            )
        )
        return ""
    normalised = f"{year:04d}-{month:02d}"
    if normalised != value:
        findings.append(
            (key, _("%(value)s read as %(result)s.") % {"value": _quoted(value), "result": normalised})
        )
    return normalised


def normalise_url(value: str, findings: Findings, key: str) -> str:
    if not value:
        return ""
    if is_placeholder(value):
        findings.append((key, _("%(value)s read as empty.") % {"value": _quoted(value)}))
        return ""
    normalised = "https://" + value if value.casefold().startswith("www.") else value
    try:
        _url_validator(normalised)
    except ValidationError:
        findings.append((key, _("%(value)s is not a web address; left out.") % {"value": _quoted(value)}))
        return ""
    if normalised != value:
        findings.append(
            (key, _("%(value)s read as %(result)s.") % {"value": _quoted(value), "result": normalised})
        )
    return normalised


def normalise_choice(group: str, value: str, findings: Findings, key: str) -> str | None:
    """The code of a Dutch value, English value or code; None when unknown (the caller decides what that means)."""
    if not value:
        return ""
    if is_placeholder(value):
        findings.append((key, _("%(value)s read as empty.") % {"value": _quoted(value)}))
        return ""
    spec = standard()
    exact = next(
        (choice for choice in spec.choices[group] if value in {choice.value, choice.en, choice.code}), None
    )
    if exact is not None:
        return exact.code
    if group == "status" and value in STATUS_ALIASES:
        return STATUS_ALIASES[value]
    loose = spec.choice_by_label(group, value)
    code = (
        loose.code
        if loose
        else STATUS_ALIASES.get(" ".join(value.split()).casefold())
        if group == "status"
        else None
    )
    if code is not None:
        shown = spec.choice_by_code(group, code)
        findings.append(
            (
                key,
                _("%(value)s read as %(result)s.")
                % {"value": _quoted(value), "result": shown.value if shown else code},
            )
        )
    return code


def normalise_themes(value: Any, findings: Findings) -> list[str]:
    """Theme codes from a list or a comma-separated cell of Dutch names, English names or codes."""
    spec = standard()
    labels = value if isinstance(value, list) else re.split(r"[,;|\n]", _text(value))
    codes: list[str] = []
    for raw in labels:
        label = _text(raw).strip()
        if not label or is_placeholder(label):
            continue
        theme = next((t for t in spec.themes if label in {t.value, t.en, t.code}), None)
        if theme is None and (theme := spec.theme_by_label(label)) is not None:
            findings.append(
                (
                    "category",
                    _("%(value)s read as %(result)s.") % {"value": _quoted(label), "result": theme.value},
                )
            )
        if theme is None:
            findings.append(("category", _("Unknown theme %(value)s; left out.") % {"value": _quoted(label)}))
        elif theme.code in codes:
            findings.append(("category", _("Theme %(value)s is listed twice.") % {"value": _quoted(label)}))
        else:
            codes.append(theme.code)
    return codes


def parse_links_cell(cell: str, findings: Findings, key: str) -> list[dict[str, str]]:
    """Items of a grouping cell in the register's download format, `1: title, link. 2: title, link`."""
    text = cell.strip()
    if not text or is_placeholder(text):
        return []
    first = FIRST_ITEM.match(text)
    if first is None:
        findings.append((key, _("Not in the form “1: title, link. 2: title, link”; read as one item.")))
        return [_link_item(text)]
    parts: list[str] = []
    start, number = first.end(), 2
    while (separator := re.compile(rf"\.\s+{number}:\s*").search(text, start)) is not None:
        parts.append(text[start : separator.start()])
        start, number = separator.end(), number + 1
    parts.append(text[start:])
    return [_link_item(part) for part in parts]


def _link_item(text: str) -> dict[str, str]:
    text = text.strip()
    if URL_ONLY.match(text):
        return {"title": "", "link": text}
    if match := LINK_AT_END.match(text):
        return {"title": match.group("title").strip(), "link": match.group("link")}
    return {"title": text, "link": ""}


def normalise_links(value: Any, findings: Findings, key: str) -> list[dict[str, str]]:
    """A grouping field as the services store it: items with a title (the link when there is none) and a valid
    link or none."""
    if isinstance(value, list):
        items = []
        for raw in value:
            if isinstance(raw, dict):
                items.append({"title": _text(raw.get("title")), "link": _text(raw.get("link"))})
            else:
                items.extend(parse_links_cell(_text(raw), findings, key))
    else:
        items = parse_links_cell(_text(value), findings, key)
    result: list[dict[str, str]] = []
    for item in items:
        title, link = item["title"].strip(), item["link"].strip()
        if link.endswith("."):
            link = link[:-1]  # the full stop that ends an item in a cell, not part of the address
        link = normalise_url(link, findings, key) if link else ""
        if not title and item["link"].strip() and not link:
            title = item["link"].strip()  # an unusable address is kept as the item's title, not lost
        title = title or link
        if title:
            result.append({"title": title, "link": link})
    return result


def normalise_publication_dt(value: str, findings: Findings) -> tuple[str, datetime.datetime | None]:
    """The source's publication date, kept as written when it is a date or date-time."""
    if not value:
        return "", None
    try:
        moment = parse_datetime(value.replace(" ", "T", 1)) if "T" in value or " " in value else None
        day = None if moment is not None else parse_date(value)
    except ValueError:  # the right shape with impossible numbers, like 2024-13-45
        moment, day = None, None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        findings.append(
            (
                "publication_dt",
                _("%(value)s is not a date; the import's time is used.") % {"value": _quoted(value)},
            )
        )
        return "", None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return value, moment


def normalise_row(source: SourceRow) -> NormalisedRow:
    """Clean every value of the row by the standard's field types."""
    spec = standard()
    row = NormalisedRow(number=source.number, stand_ins=source.stand_ins)
    findings = row.warnings
    findings.extend(source.notes)
    for standard_field in spec.fields:
        key = standard_field.key
        if key not in source.values:
            continue
        raw = source.values[key]
        if standard_field.type == "themes":
            row.fields["themes"] = normalise_themes(raw, findings)
            continue
        if standard_field.type == "links":
            row.links[key] = normalise_links(raw, findings, key)
            continue
        value = trimmed(raw, findings, key)
        if key == "organization":
            row.organisation_name = " ".join(value.split())
        elif key == "publication_dt":
            row.publication_dt, row.published_at = normalise_publication_dt(value, findings)
        elif key == "lars":
            row.fields["lars"] = "" if is_placeholder(value) else value
        elif standard_field.type == "month":
            row.fields[key] = normalise_month(value, findings, key)
        elif standard_field.type == "url":
            row.fields[key] = normalise_url(value, findings, key)
        elif standard_field.type == "choice" and standard_field.choices:
            _choice_field(row, standard_field.choices, key, value)
        elif key in {"standard_version", "contact_email"} and not value:
            # Not set, so the stored value stays: the version's default, or the contact details the service
            # fills in from the organisation (an empty cell in a download means "missing", not "erase").
            continue
        else:
            row.fields[key] = value
    if not row.fields.get("name"):
        row.errors.append(("name", _("The algorithm has no name.")))
    return row


def _choice_field(row: NormalisedRow, group: str, key: str, value: str) -> None:
    code = normalise_choice(group, value, row.warnings, key)
    if key == "status":
        if code is None:
            allowed = ", ".join(choice.value for choice in standard().choices["status"])
            row.errors.append(
                (
                    "status",
                    _("Unknown status %(value)s; use one of: %(allowed)s.")
                    % {"value": _quoted(value), "allowed": allowed},
                )
            )
        elif not code:
            row.errors.append(("status", _("The status is missing.")))
        else:
            row.fields["status"] = code
    elif code is None:
        row.warnings.append((key, _("Unknown value %(value)s; left out.") % {"value": _quoted(value)}))
    elif key == "lang" and not code:
        return  # the default language of the register (nld) stays
    else:
        row.fields[key] = code
