"""Texts of the AI Act data in Dutch and English: the data files carry both, the reader picks one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Text:
    nl: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language` ("nl", "en", "en-gb", …); Dutch unless English is asked for."""
        return self.en if language.startswith("en") else self.nl

    def format(self, **values: Text) -> Text:
        """Fill `{name}` placeholders with other texts, language by language."""
        return Text(
            nl=self.nl.format(**{name: value.nl for name, value in values.items()}),
            en=self.en.format(**{name: value.en for name, value in values.items()}),
        )

    def as_dict(self) -> dict[str, str]:
        return {"nl": self.nl, "en": self.en}


def text(raw: Any) -> Text:
    """A Text from a `{nl: …, en: …}` mapping of a data file; collapses the whitespace of folded YAML."""
    return Text(nl=" ".join(str(raw["nl"]).split()), en=" ".join(str(raw["en"]).split()))
