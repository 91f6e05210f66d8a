"""Dates of application of the AI Act, loaded from data/application_dates.yaml.

The file holds versions of the dates (the original text, an amendment, …) and names the `active` one. Whoever
resolves a date reports the version and its legal source, so a record shows which dates it was made with.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from verantwoord.aiact.texts import Text, text
from verantwoord.aiact.tree import DATA_DIR

DATES_FILE = DATA_DIR / "application_dates.yaml"


class DatesError(Exception):
    """The dates file is malformed, or a version or key is asked for that it does not have."""


@dataclass(frozen=True)
class ApplicationDate:
    key: str
    date: datetime.date
    label: Text
    references: tuple[str, ...]


@dataclass(frozen=True)
class DatesVersion:
    id: str
    status: str  # in_force, reported, proposed
    legal_source: str
    title: Text
    notes: Text
    dates: Mapping[str, ApplicationDate]

    def date(self, key: str) -> ApplicationDate:
        try:
            return self.dates[key]
        except KeyError:
            raise DatesError(f"Dates version '{self.id}' has no date '{key}'.") from None


@dataclass(frozen=True)
class ApplicationDates:
    version: str
    active: str
    versions: Mapping[str, DatesVersion]  # in file order

    def get(self, version_id: str | None = None) -> DatesVersion:
        """The version asked for, or the active one."""
        wanted = version_id or self.active
        try:
            return self.versions[wanted]
        except KeyError:
            known = ", ".join(self.versions)
            raise DatesError(f"Unknown dates version '{wanted}'; known versions: {known}.") from None


def parse_application_dates(raw: Any) -> ApplicationDates:
    labels = {str(key): text(value) for key, value in raw["keys"].items()}
    versions: dict[str, DatesVersion] = {}
    for item in raw["versions"]:
        version_id = str(item["id"])
        dates = {
            str(key): ApplicationDate(
                key=str(key),
                date=_date(value["date"], f"{version_id}/{key}"),
                label=labels[str(key)] if str(key) in labels else Text(str(key), str(key)),
                references=tuple(value.get("references", ())),
            )
            for key, value in item["dates"].items()
        }
        missing = sorted(set(labels) ^ set(dates))
        if missing:
            raise DatesError(f"Dates version '{version_id}' does not match the keys: {', '.join(missing)}.")
        if version_id in versions:
            raise DatesError(f"Dates version '{version_id}' is listed twice.")
        versions[version_id] = DatesVersion(
            id=version_id,
            status=str(item["status"]),
            legal_source=" ".join(str(item["legal_source"]).split()),
            title=text(item["title"]),
            notes=text(item["notes"]),
            dates=dates,
        )
    application_dates = ApplicationDates(
        version=str(raw["version"]), active=str(raw["active"]), versions=versions
    )
    application_dates.get()  # the active version exists
    return application_dates


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DatesError(f"{where}: '{value}' is not a date (YYYY-MM-DD).") from None


def load_application_dates(path: Path = DATES_FILE) -> ApplicationDates:
    return parse_application_dates(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def application_dates() -> ApplicationDates:
    """The dates of application this installation uses (data/application_dates.yaml)."""
    return load_application_dates()
