"""The section templates of the AI policy document, read from data/sections.yaml (law and policy as data)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "sections.yaml"
LANGUAGES = ("nl", "en")
SECTION_NUMBERS = tuple(range(10))


@dataclass(frozen=True)
class BlockTemplate:
    key: str
    section: int
    order: int
    label: dict[str, str]
    text: dict[str, str]
    # Says what the organisation still has to write (an area of the platform that does not exist yet).
    fill_in: bool = False
    # Left out of the document once a live block with this key exists.
    until_live: str = ""

    def text_for(self, language: str, organisation_name: str) -> str:
        return self.text[language].replace("{organisation}", organisation_name).rstrip() + "\n"


@dataclass(frozen=True)
class SectionTemplate:
    number: int
    title: dict[str, str]
    blocks: tuple[BlockTemplate, ...]


@dataclass(frozen=True)
class DocumentTemplate:
    version: str
    title: dict[str, str]
    sections: tuple[SectionTemplate, ...]

    def section(self, number: int) -> SectionTemplate:
        return next(section for section in self.sections if section.number == number)

    def block(self, key: str) -> BlockTemplate | None:
        return next((b for s in self.sections for b in s.blocks if b.key == key), None)

    def blocks(self) -> list[BlockTemplate]:
        return [block for section in self.sections for block in section.blocks]


_STARTS_BLOCK = re.compile(r"(#|- |\d+\. |>)")


def unwrap(markdown: str) -> str:
    """The template's Markdown with each paragraph, list item and quote on one line. The YAML wraps lines to keep
    the file readable; staff edit the text in a browser field that wraps by itself, and a diff between versions
    should show a changed paragraph, not every line the wrapping moved."""
    lines: list[str] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        previous = lines[-1] if lines else ""
        if not line:
            lines.append("")
        elif line.startswith(">") and previous.startswith(">"):
            lines[-1] = f"{previous} {line.lstrip('>').strip()}"
        elif previous and not previous.startswith("#") and not _STARTS_BLOCK.match(line):
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return "\n".join(lines).strip()


def _texts(data: Any, where: str) -> dict[str, str]:
    if not isinstance(data, dict) or any(not isinstance(data.get(lang), str) for lang in LANGUAGES):
        raise ValueError(f"{where}: needs a text in each of {', '.join(LANGUAGES)}")
    return {lang: str(data[lang]) for lang in LANGUAGES}


def parse_template(data: dict[str, Any]) -> DocumentTemplate:
    """Check and read the templates; the error names the place of the problem."""
    sections: list[SectionTemplate] = []
    keys: set[str] = set()
    for index, raw_section in enumerate(data.get("sections") or []):
        number = int(raw_section["number"])
        where = f"sections[{index}] (section {number})"
        blocks: list[BlockTemplate] = []
        for block_index, raw in enumerate(raw_section.get("blocks") or []):
            key = str(raw.get("key", ""))
            block_where = f"{where}.blocks[{block_index}] ({key})"
            if not key or key in keys:
                raise ValueError(f"{block_where}: a block needs a unique key")
            keys.add(key)
            blocks.append(
                BlockTemplate(
                    key=key,
                    section=number,
                    order=int(raw.get("order", 10)),
                    label=_texts(raw.get("label"), f"{block_where}.label"),
                    text={
                        language: unwrap(text)
                        for language, text in _texts(raw.get("text"), f"{block_where}.text").items()
                    },
                    fill_in=bool(raw.get("fill_in", False)),
                    until_live=str(raw.get("until_live") or ""),
                )
            )
        sections.append(
            SectionTemplate(
                number=number,
                title=_texts(raw_section.get("title"), f"{where}.title"),
                blocks=tuple(sorted(blocks, key=lambda b: (b.order, b.key))),
            )
        )
    numbers = tuple(section.number for section in sections)
    if numbers != SECTION_NUMBERS:
        raise ValueError(f"sections: expected numbers 0-9 in order, found {list(numbers)}")
    return DocumentTemplate(
        version=str(data["version"]), title=_texts(data.get("title"), "title"), sections=tuple(sections)
    )


@functools.cache
def document_template() -> DocumentTemplate:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse_template(yaml.safe_load(handle))
