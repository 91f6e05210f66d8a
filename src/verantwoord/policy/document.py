"""The AI policy document as plain data, ready to render: what the document builder produces from a version and
what the exports (DOCX, PDF, public HTML) consume. Keeping it plain lets each export be tested on a document built
by hand, and keeps a frozen version renderable after the data it was built from has changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from verantwoord.policy.live_blocks import LiveContent


@dataclass(frozen=True)
class TextPart:
    """An editable text block: Markdown, in the document's language. `key` names it in the section templates;
    `fill_in` marks a block that still says what the organisation has to write (exports may set it apart)."""

    markdown: str
    key: str = ""
    fill_in: bool = False


@dataclass(frozen=True)
class LivePart:
    """A live block's content as of the version's date."""

    key: str
    title: str
    content: LiveContent


@dataclass(frozen=True)
class Section:
    """Number 0 is the introduction, 1-8 the numbered sections, 9 the commitments."""

    number: int
    title: str
    parts: list[TextPart | LivePart] = field(default_factory=list)


@dataclass(frozen=True)
class ChecklistRow:
    title: str
    severity: str  # translated label
    explanation: str
    source: str
    count: int
    status: str  # translated: passes / open / not applicable


@dataclass(frozen=True)
class RenderedDocument:
    organisation_name: str
    title: str
    language: str  # "nl" or "en"
    version_number: int
    status: str  # translated label of the version's state
    as_of: date  # the date the live blocks show
    adopted_on: date | None
    decision_reference: str
    sections: list[Section]
    checklist: list[ChecklistRow]  # the annex
