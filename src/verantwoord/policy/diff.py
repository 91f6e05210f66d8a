"""What changed between two versions of the policy document, per section and per block: the texts line by line
and the live blocks' data (paragraphs and table rows). Both versions are compared as rendered, so a frozen version
is compared by its snapshot and a draft by today's data."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from verantwoord.policy.builder import build_document
from verantwoord.policy.document import LivePart, RenderedDocument, TextPart
from verantwoord.policy.models import PolicyVersion
from verantwoord.policy.sections import document_template

LineKind = Literal["equal", "added", "removed"]
PartStatus = Literal["unchanged", "changed", "added", "removed"]


@dataclass(frozen=True)
class LineChange:
    kind: LineKind
    text: str


@dataclass(frozen=True)
class PartDiff:
    key: str
    kind: Literal["text", "live"]
    title: str
    status: PartStatus
    lines: list[LineChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


@dataclass(frozen=True)
class SectionDiff:
    number: int
    title: str
    parts: list[PartDiff]

    @property
    def changed(self) -> bool:
        return any(part.changed for part in self.parts)


def part_lines(part: TextPart | LivePart) -> list[str]:
    """A part as lines of text, the unit of comparison: Markdown lines, or a live block's paragraphs and its
    tables' captions and rows (cells joined by ' | ')."""
    if isinstance(part, TextPart):
        return part.markdown.rstrip("\n").splitlines()
    lines = list(part.content.paragraphs)
    for table in part.content.tables:
        lines.append(f"[{table.caption}]")
        lines.append(" | ".join(table.headers))
        lines.extend(" | ".join(row) for row in table.rows)
    return lines


def _line_changes(old: list[str], new: list[str]) -> list[LineChange]:
    changes: list[LineChange] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(LineChange("equal", line) for line in old[old_start:old_end])
            continue
        changes.extend(LineChange("removed", line) for line in old[old_start:old_end])
        changes.extend(LineChange("added", line) for line in new[new_start:new_end])
    return changes


def _key(part: TextPart | LivePart) -> str:
    return f"text:{part.key}" if isinstance(part, TextPart) else f"live:{part.key}"


def _title(part: TextPart | LivePart, language: str) -> str:
    if isinstance(part, LivePart):
        return part.title
    template = document_template().block(part.key)
    return template.label[language] if template is not None else part.key


def diff_documents(old: RenderedDocument, new: RenderedDocument) -> list[SectionDiff]:
    """Per section of ``new`` (all sections 0-9 exist in both), each part compared with the part of the same key in
    ``old``; parts only in ``old`` are listed as removed after the others."""
    old_sections = {section.number: section for section in old.sections}
    result: list[SectionDiff] = []
    for section in new.sections:
        old_parts = (
            {_key(part): part for part in old_sections[section.number].parts}
            if section.number in old_sections
            else {}
        )
        diffs: list[PartDiff] = []
        seen: set[str] = set()
        for part in section.parts:
            key = _key(part)
            seen.add(key)
            kind: Literal["text", "live"] = "text" if isinstance(part, TextPart) else "live"
            new_lines = part_lines(part)
            previous = old_parts.get(key)
            if previous is None:
                diffs.append(
                    PartDiff(
                        part.key,
                        kind,
                        _title(part, new.language),
                        "added",
                        [LineChange("added", line) for line in new_lines],
                    )
                )
                continue
            changes = _line_changes(part_lines(previous), new_lines)
            status: PartStatus = "changed" if any(c.kind != "equal" for c in changes) else "unchanged"
            diffs.append(PartDiff(part.key, kind, _title(part, new.language), status, changes))
        for key, part in old_parts.items():
            if key not in seen:
                diffs.append(
                    PartDiff(
                        part.key,
                        "text" if isinstance(part, TextPart) else "live",
                        _title(part, new.language),
                        "removed",
                        [LineChange("removed", line) for line in part_lines(part)],
                    )
                )
        result.append(SectionDiff(section.number, section.title, diffs))
    return result


def diff_versions(old: PolicyVersion, new: PolicyVersion, language: str) -> list[SectionDiff]:
    return diff_documents(build_document(old, language), build_document(new, language))
