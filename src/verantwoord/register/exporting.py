"""Exports of the public register in publication standard 1.0: JSON records and the national register's CSV.

Pure functions over `Publication` rows as `selectors.public_publications` gives them: an export holds only the
frozen public content of each publication (its `content`, which includes `lars` and `publication_dt`), never a
field of the working copy.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from verantwoord.register.models import Publication
from verantwoord.register.standard import StandardField, standard

# The national register's download names the `lars` column `algorithm_id`.
CSV_COLUMN_NAMES = {"lars": "algorithm_id"}


def export_records(publications: Iterable[Publication]) -> list[dict[str, Any]]:
    """One record per algorithm, the standard's keys in its order: the submission API's body.

    Themes (`category`) and the grouping fields are lists (of names; of {title, link}); other missing values are
    empty strings.
    """
    fields = standard().fields
    return [{field.key: _value(field, publication) for field in fields} for publication in publications]


def _value(field: StandardField, publication: Publication) -> Any:
    value = publication.content.get(field.key)
    if field.type == "themes":
        return [str(theme) for theme in value or []]
    if field.type == "links":
        return [
            {"title": str(item.get("title") or ""), "link": str(item.get("link") or "")}
            for item in value or []
            if isinstance(item, Mapping)
        ]
    if field.key == "publication_dt" and not value:
        return publication.published_at.isoformat()
    return "" if value is None else value


def export_json(publications: Iterable[Publication]) -> str:
    """The records as a UTF-8 JSON array (keys in the standard's order), ending in a newline."""
    return json.dumps(export_records(publications), ensure_ascii=False, indent=2) + "\n"


def links_cell(items: Sequence[Mapping[str, str]]) -> str:
    """A grouping field in one cell, as the national register writes it: `1: title, link. 2: title`."""
    return ". ".join(
        f"{number}: {item['title']}, {item['link']}" if item.get("link") else f"{number}: {item['title']}"
        for number, item in enumerate(items, start=1)
    )


def _cell(field: StandardField, value: Any) -> str:
    if field.type == "themes":
        return ", ".join(value)
    if field.type == "links":
        return links_cell(value)
    return str(value)


def export_csv(publications: Iterable[Publication]) -> str:
    """The national register's download format: a UTF-8 byte-order mark, the standard's keys as header (`lars`
    as `algorithm_id`), every value quoted, themes comma-separated, grouping fields as `1: title, link. 2: …`,
    empty cells for missing values, CRLF line endings."""
    fields = standard().fields
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([CSV_COLUMN_NAMES.get(field.key, field.key) for field in fields])
    for record in export_records(publications):
        writer.writerow([_cell(field, record[field.key]) for field in fields])
    return "\ufeff" + buffer.getvalue()
