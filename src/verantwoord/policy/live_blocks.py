"""The registry of live blocks: parts of the AI policy document filled from the platform's data (the people in
each role, register figures, the assessments required, retention and monitoring, ...). Each area registers its
blocks in AppConfig.ready. A block's content is plain data (paragraphs and tables), so the policy app can freeze it
into a document version as JSON and render it to HTML, DOCX and PDF alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise

from verantwoord.core.models import Organisation


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class LiveContent:
    """Rendered in this order: paragraphs, then tables. Strings are in the active language."""

    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "paragraphs": list(self.paragraphs),
            "tables": [{"caption": t.caption, "headers": t.headers, "rows": t.rows} for t in self.tables],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LiveContent:
        return cls(
            paragraphs=list(data.get("paragraphs", [])),
            tables=[
                Table(t["caption"], list(t["headers"]), [list(r) for r in t["rows"]])
                for t in data.get("tables", [])
            ],
        )


@dataclass(frozen=True)
class LiveBlock:
    key: str  # stable, e.g. "register.figures"
    # The document section it belongs to: 0 introduction, 1-8 the numbered sections, 9 the commitments.
    section: int
    title: str | Promise
    # The content as of a moment (the document version's date); must not write.
    build: Callable[[Organisation, datetime], LiveContent]
    order: int = 50


_blocks: dict[str, LiveBlock] = {}


def register_live_block(block: LiveBlock) -> None:
    if block.key in _blocks and _blocks[block.key] is not block:
        raise ValueError(f"Live block {block.key!r} is registered twice")
    _blocks[block.key] = block


def registered_live_blocks(section: int | None = None) -> list[LiveBlock]:
    blocks = [b for b in _blocks.values() if section is None or b.section == section]
    return sorted(blocks, key=lambda b: (b.section, b.order, b.key))
