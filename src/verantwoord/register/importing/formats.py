"""Reading a register file into rows keyed by the standard's keys: the national register's CSV download (Dutch or
English column titles), our JSON export, and the summary format of the overzicht file (see overzicht.py).

Readers only read: values stay as they are in the file (normalise.py cleans them), and every data row of the
file becomes exactly one SourceRow, so the import can account for each of them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from verantwoord.register.standard import standard

FORMATS = ("csv", "json", "overzicht")
# The national register's download calls `lars` `algorithm_id`; the standard's key is accepted as well.
COLUMN_ALIASES = {"algorithm_id": "lars"}


class ImportFileError(Exception):
    """The file cannot be read as a register at all (missing, unknown format, no usable columns)."""


@dataclass
class SourceRow:
    """One data row as read: standard key → raw value, only for the keys the row has.

    `stand_ins` are keys whose value the format derives from other facts (the overzicht's short description,
    for instance): the import writes them only where the stored value is empty or was such a stand-in itself.
    """

    number: int  # 1-based, counting data rows (not the header)
    values: dict[str, Any]
    stand_ins: frozenset[str] = frozenset()
    # Findings of the reader about this row, (field, message): reported as warnings.
    notes: list[tuple[str | None, str]] = field(default_factory=list)
    problem: str = ""  # set when the row cannot be read at all; the import skips it with this reason


@dataclass
class SourceFile:
    format: str
    rows: list[SourceRow]
    # File-level findings (field, message), such as columns that are not in the standard.
    warnings: list[tuple[str | None, str]] = field(default_factory=list)


def _label_key(label: str) -> str:
    return " ".join(label.replace("\ufeff", "").split()).casefold()


@cache
def column_keys() -> dict[str, str]:
    """Every accepted column title → the standard's key: the key itself, its Dutch and its English title."""
    mapping: dict[str, str] = {}
    for standard_field in standard().fields:
        for label in (standard_field.en, standard_field.nl, standard_field.key):
            mapping[_label_key(label)] = standard_field.key
    mapping.update(COLUMN_ALIASES)
    return mapping


def read_source(path: Path, format: str | None = None) -> SourceFile:
    """Read `path` in `format` ("csv", "json", "overzicht"), or detect the format when it is None."""
    if format is not None and format not in FORMATS:
        raise ImportFileError(_("Unknown format: %(format)s.") % {"format": format})
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    text, encoding_warning = _decode(raw)
    detected = format or _detect(path, text)
    if detected == "csv":
        source = _read_csv(text)
    else:
        # Imported here: the overzicht module builds on this one.
        from verantwoord.register.importing.overzicht import read_overzicht

        data = _load_json(text)
        if detected == "overzicht" or (format is None and isinstance(data, dict) and "algoritmes" in data):
            source = read_overzicht(data)
        else:
            source = _read_json(data)
    if encoding_warning:
        source.warnings.insert(0, (None, encoding_warning))
    return source


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        # Spreadsheets on Dutch Windows computers still save CSV as Windows-1252.
        return raw.decode("cp1252", errors="replace"), _(
            "The file is not UTF-8; it was read as Windows-1252."
        )


def _detect(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json" or text.lstrip()[:1] in {"[", "{"}:
        return "json"
    return "csv"


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(_("Not valid JSON: %(error)s") % {"error": error}) from error


def _delimiter(first_line: str) -> str:
    """Comma as the register writes it; semicolon (Excel in Dutch) or tab when the header uses those."""
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_csv(text: str) -> SourceFile:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader)
    except StopIteration as error:
        raise ImportFileError(_("The file is empty.")) from error
    except csv.Error as error:
        raise ImportFileError(_("Not a readable CSV file: %(error)s") % {"error": error}) from error
    warnings: list[tuple[str | None, str]] = []
    keys: list[str | None] = []
    known = column_keys()
    for title in header:
        key = known.get(_label_key(title))
        if key is None:
            if title.strip():
                warnings.append(
                    (title, _("Column “%(column)s” is not in the standard; ignored.") % {"column": title})
                )
        elif key in keys:
            warnings.append(
                (key, _("Column “%(column)s” appears twice; the first is used.") % {"column": title})
            )
            key = None
        keys.append(key)
    if "name" not in keys:
        raise ImportFileError(
            _("No column with the algorithm's name (“name” or “Naam”): is this a register file?")
        )
    rows: list[SourceRow] = []
    try:
        for cells in reader:
            if not cells:
                continue  # a blank line is no row; a row of empty cells is, and is reported
            number = len(rows) + 1
            values = {key: cell for key, cell in zip(keys, cells, strict=False) if key is not None}
            for key in keys:
                if key is not None:
                    values.setdefault(key, "")
            row = SourceRow(number=number, values=values)
            if len(cells) > len(keys) and any(cell.strip() for cell in cells[len(keys) :]):
                row.problem = _("The row has more cells than the header has columns.")
            elif not any(cell.strip() for cell in cells):
                row.problem = _("Empty row.")
            rows.append(row)
    except csv.Error as error:
        raise ImportFileError(
            _("Not a readable CSV file after row %(row)s: %(error)s") % {"row": len(rows), "error": error}
        ) from error
    return SourceFile(format="csv", rows=rows, warnings=warnings)


def _read_json(data: Any) -> SourceFile:
    """Our JSON export: a list of records with the standard's keys (the submission API's body)."""
    if isinstance(data, dict):
        data = [data]  # a single record, as the submission API takes it
    if not isinstance(data, list):
        raise ImportFileError(_("Expected a list of records."))
    known = {standard_field.key for standard_field in standard().fields}
    unknown: dict[str, None] = {}
    rows: list[SourceRow] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append(
                SourceRow(number=number, values={}, problem=_("Not a record (an object with fields)."))
            )
            continue
        values: dict[str, Any] = {}
        for name, value in item.items():
            key = COLUMN_ALIASES.get(name, name)
            if key in known:
                values[key] = value
            else:
                unknown[name] = None
        row = SourceRow(number=number, values=values)
        if not any(value not in (None, "", []) for value in values.values()):
            row.problem = _("Empty record.")
        rows.append(row)
    warnings: list[tuple[str | None, str]] = [
        (name, _("Field “%(field)s” is not in the standard; ignored.") % {"field": name}) for name in unknown
    ]
    return SourceFile(format="json", rows=rows, warnings=warnings)
