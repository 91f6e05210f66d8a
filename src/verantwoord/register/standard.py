"""Publication standard 1.0 of the national algorithm register, loaded from data/standard_1_0.yaml.

Everything that knows the standard's keys, labels, limits and allowed values reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

STANDARD_FILE = Path(__file__).resolve().parent / "data" / "standard_1_0.yaml"


@dataclass(frozen=True)
class Choice:
    value: str  # the Dutch value the register uses, e.g. "In gebruik"
    en: str
    code: str  # our internal code, e.g. "in_use"


@dataclass(frozen=True)
class StandardField:
    key: str
    nl: str
    en: str
    type: str  # text, themes, choice, month, url, links, system
    required: bool
    max_length: int | None = None
    choices: str | None = None
    guidance_nl: str = ""
    guidance_en: str = ""

    def title(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nl


@dataclass(frozen=True)
class Standard:
    version: str
    source: str
    fields: tuple[StandardField, ...]
    choices: dict[str, tuple[Choice, ...]]
    themes: tuple[Choice, ...]

    def field(self, key: str) -> StandardField:
        for standard_field in self.fields:
            if standard_field.key == key:
                return standard_field
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [standard_field.key for standard_field in self.fields]

    def choice_by_code(self, group: str, code: str) -> Choice | None:
        return next((choice for choice in self.choices[group] if choice.code == code), None)

    def choice_by_label(self, group: str, label: str) -> Choice | None:
        """Find a choice by its Dutch value, English value or code, ignoring case and spacing."""
        wanted = " ".join(label.split()).casefold()
        return next(
            (
                choice
                for choice in self.choices[group]
                if wanted in {choice.value.casefold(), choice.en.casefold(), choice.code}
            ),
            None,
        )

    def theme_by_label(self, label: str) -> Choice | None:
        wanted = " ".join(label.split()).casefold()
        return next(
            (
                theme
                for theme in self.themes
                if wanted in {theme.value.casefold(), theme.en.casefold(), theme.code}
            ),
            None,
        )


def _choice(raw: dict[str, Any]) -> Choice:
    return Choice(value=str(raw["value"]), en=str(raw["en"]), code=str(raw["code"]))


@cache
def standard() -> Standard:
    raw = yaml.safe_load(STANDARD_FILE.read_text(encoding="utf-8"))
    fields = tuple(
        StandardField(
            key=item["key"],
            nl=item["nl"],
            en=item["en"],
            type=item["type"],
            required=bool(item.get("required", False)),
            max_length=item.get("max_length"),
            choices=item.get("choices"),
            guidance_nl=item.get("guidance", {}).get("nl", ""),
            guidance_en=item.get("guidance", {}).get("en", ""),
        )
        for item in raw["fields"]
    )
    return Standard(
        version=str(raw["version"]),
        source=str(raw["source"]),
        fields=fields,
        choices={group: tuple(_choice(item) for item in items) for group, items in raw["choices"].items()},
        themes=tuple(_choice(item) for item in raw["themes"]),
    )
