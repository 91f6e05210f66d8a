"""Builds the AI policy document of a version as plain render data (document.RenderedDocument).

A draft shows the live blocks and the checklist as of now; a version in review, adopted or superseded shows what
was frozen in its snapshot when it went to review, so what the board adopted stays readable exactly as it was."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext

from verantwoord.core.models import Organisation
from verantwoord.policy.checklist import CheckResult, run_checklist
from verantwoord.policy.document import ChecklistRow, LivePart, RenderedDocument, Section, TextPart
from verantwoord.policy.live_blocks import LiveContent, registered_live_blocks
from verantwoord.policy.models import PolicyVersion, TextBlock, VersionState
from verantwoord.policy.sections import LANGUAGES, document_template
from verantwoord.policy.workflow import FROZEN_STATES

# A text block placed at the same order as a live block comes first: it introduces what the data shows.
_TEXT_FIRST, _LIVE_SECOND = 0, 1


def live_entries(
    organisation: Organisation, at: datetime.datetime, language: str
) -> dict[str, dict[str, Any]]:
    """Every registered live block's content as of ``at``, in ``language``, as JSON-safe data."""
    with translation.override(language):
        return {
            block.key: {
                "title": str(block.title),
                "section": block.section,
                "order": block.order,
                "content": block.build(organisation, at).as_json(),
            }
            for block in registered_live_blocks()
        }


def checklist_rows(results: list[CheckResult], language: str) -> list[dict[str, Any]]:
    """The checklist's results as the annex's rows in ``language`` (JSON-safe)."""
    with translation.override(language):
        rows = []
        for result in results:
            if result.outcome.not_applicable:
                status = gettext("Not applicable")
            elif result.passed:
                status = gettext("Passes")
            else:
                status = gettext("Open")
            rows.append(
                {
                    "title": str(result.check.title),
                    "severity": result.check.severity.label,
                    "explanation": str(result.check.explanation),
                    "source": str(result.check.source),
                    "count": result.outcome.count,
                    "status": status,
                }
            )
        return rows


def capture_snapshot(organisation: Organisation, at: datetime.datetime) -> dict[str, Any]:
    """The live blocks and the checklist in every language as of ``at``: what a version freezes."""
    as_of = timezone.localdate(at)
    results = run_checklist(organisation, as_of)  # once: the outcomes do not depend on the language
    return {
        "as_of": as_of.isoformat(),
        "captured_at": at.isoformat(),
        "blocks": {language: live_entries(organisation, at, language) for language in LANGUAGES},
        "checklist": {language: checklist_rows(results, language) for language in LANGUAGES},
    }


def is_frozen(version: PolicyVersion) -> bool:
    return version.state in FROZEN_STATES and bool(version.snapshot)


def build_document(
    version: PolicyVersion, language: str, *, at: datetime.datetime | None = None
) -> RenderedDocument:
    """The document of ``version`` in ``language`` ("nl" or "en"). ``at`` is the moment a draft's live blocks
    show (default: now); a frozen version ignores it and shows its snapshot."""
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}")
    organisation = version.organisation
    if is_frozen(version):
        as_of = datetime.date.fromisoformat(version.snapshot["as_of"])
        blocks: dict[str, dict[str, Any]] = version.snapshot["blocks"][language]
        checklist: list[dict[str, Any]] = version.snapshot["checklist"][language]
    else:
        moment = at or timezone.now()
        as_of = timezone.localdate(moment)
        blocks = live_entries(organisation, moment, language)
        checklist = checklist_rows(run_checklist(organisation, as_of), language)

    template = document_template()
    texts = {block.key: block for block in TextBlock.objects.filter(version=version, language=language)}
    placed: dict[int, list[tuple[tuple[int, int, str], TextPart | LivePart]]] = {
        n.number: [] for n in template.sections
    }
    for key, block in texts.items():
        block_template = template.block(key)
        if block_template is not None and block_template.until_live in blocks:
            continue  # the platform now fills this part with real data
        order = block_template.order if block_template is not None else 99
        fill_in = block_template.fill_in if block_template is not None else False
        placed.setdefault(block.section, []).append(
            ((order, _TEXT_FIRST, key), TextPart(block.markdown, key=key, fill_in=fill_in))
        )
    for key, entry in blocks.items():
        placed.setdefault(int(entry["section"]), []).append(
            (
                (int(entry["order"]), _LIVE_SECOND, key),
                LivePart(key, str(entry["title"]), LiveContent.from_json(entry["content"])),
            )
        )

    with translation.override(language):
        sections = [
            Section(
                number=section.number,
                title=section.title[language],
                parts=[
                    part for _key, part in sorted(placed.get(section.number, []), key=lambda item: item[0])
                ],
            )
            for section in template.sections
        ]
        return RenderedDocument(
            organisation_name=organisation.name,
            title=template.title[language],
            language=language,
            version_number=version.number,
            status=str(VersionState(version.state).label),
            as_of=as_of,
            adopted_on=version.decision_date if version.state in _ADOPTED_STATES else None,
            decision_reference=version.decision_reference,
            sections=sections,
            checklist=[ChecklistRow(**row) for row in checklist],
        )


_ADOPTED_STATES = frozenset({VersionState.ADOPTED, VersionState.SUPERSEDED})


def document_json(document: RenderedDocument) -> dict[str, Any]:
    """The rendered document as JSON-safe data (camelCase keys, for the API)."""
    return {
        "organisationName": document.organisation_name,
        "title": document.title,
        "language": document.language,
        "versionNumber": document.version_number,
        "status": document.status,
        "asOf": document.as_of.isoformat(),
        "adoptedOn": document.adopted_on.isoformat() if document.adopted_on else None,
        "decisionReference": document.decision_reference,
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "parts": [
                    {"kind": "text", "key": part.key, "fillIn": part.fill_in, "markdown": part.markdown}
                    if isinstance(part, TextPart)
                    else {"kind": "live", "key": part.key, "title": part.title, **part.content.as_json()}
                    for part in section.parts
                ],
            }
            for section in document.sections
        ],
        "checklist": [
            {
                "title": row.title,
                "severity": row.severity,
                "explanation": row.explanation,
                "source": row.source,
                "count": row.count,
                "status": row.status,
            }
            for row in document.checklist
        ],
    }
