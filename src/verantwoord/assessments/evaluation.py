"""What a set of answers means for a template: cleaning a submitted value, which questions show, completion per
section, stop points, action points, the pre-scan outcome and the FRIA summary of an IAMA. Pure functions over
the template and a {question id: value} mapping, so the pages, the API, the exports and the tests agree."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from verantwoord.assessments.questionnaire import (
    CHOICE_TYPES,
    FRIA_ITEMS,
    LEVELS,
    YES_NO,
    Question,
    Section,
    Template,
)

RISK_COLUMNS = ("risk", "source", "likelihood", "severity", "measure", "residual")
LEVEL_COLUMNS = ("likelihood", "severity", "residual")
MAX_TEXT = 20_000
MAX_ROWS = 50


def _text_value(raw: Any, limit: int) -> str:
    value = "" if raw is None else str(raw)
    if len(value) > limit:
        raise ValidationError(_("At most %(limit)s characters.") % {"limit": limit})
    return value.strip()


def _rows(raw: Any) -> list[Mapping[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(row, Mapping) for row in raw):
        raise ValidationError(_("Give a list of rows."))
    if len(raw) > MAX_ROWS:
        raise ValidationError(_("At most %(limit)s rows.") % {"limit": MAX_ROWS})
    return raw


def clean_value(question: Question, raw: Any) -> Any:
    """The value to store for `raw` (form or JSON input), or a ValidationError with a clear message. Empty input
    gives None (the question is then unanswered)."""
    kind = question.type
    if kind == "file":
        raise ValidationError(_("Upload files as attachments."))
    if kind in ("short_text", "long_text"):
        value = _text_value(raw, 500 if kind == "short_text" else MAX_TEXT)
        return value or None
    if kind in ("single_choice", "yes_no"):
        value = _text_value(raw, 100)
        allowed = YES_NO if kind == "yes_no" else tuple(choice.id for choice in question.choices)
        if value and value not in allowed:
            raise ValidationError(_("Choose one of the options."))
        return value or None
    if kind == "multiple_choice":
        items = (
            [str(item) for item in (raw or [])]
            if isinstance(raw, list | tuple)
            else ([str(raw)] if raw else [])
        )
        offered = {choice.id for choice in question.choices}
        if set(items) - offered:
            raise ValidationError(_("Choose from the options."))
        return [choice.id for choice in question.choices if choice.id in items] or None
    if kind == "date":
        value = _text_value(raw, 20)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise ValidationError(_("Give a date as YYYY-MM-DD, for example 2026-03-31.")) from error
    if kind == "number":
        value = _text_value(raw, 40).replace(",", ".")
        if not value:
            return None
        try:
            number = decimal.Decimal(value)
        except decimal.InvalidOperation as error:
            raise ValidationError(_("Give a number, for example 12 or 3,5.")) from error
        if not number.is_finite():
            raise ValidationError(_("Give a number, for example 12 or 3,5."))
        return str(number.normalize()) if number != number.to_integral() else str(int(number))
    if kind == "risk_table":
        rows = []
        for row in _rows(raw):
            cleaned = {column: _text_value(row.get(column), 2000) for column in RISK_COLUMNS}
            if not any(cleaned.values()):
                continue
            if not cleaned["risk"]:
                raise ValidationError(_("Every row of the risk table needs a description of the risk."))
            for column in LEVEL_COLUMNS:
                if cleaned[column] and cleaned[column] not in LEVELS:
                    raise ValidationError(
                        _("Likelihood, severity and residual risk are low, medium or high.")
                    )
            rows.append(cleaned)
        return rows or None
    if kind == "references":
        rows = []
        for row in _rows(raw):
            title, link = _text_value(row.get("title"), 500), _text_value(row.get("link"), 1000)
            if not title and not link:
                continue
            if link:
                try:
                    URLValidator(schemes=["http", "https"])(link)
                except ValidationError as error:
                    raise ValidationError(
                        _("Not a valid web address (it must start with https:// or http://).")
                    ) from error
            rows.append({"title": title or link, "link": link})
        return rows or None
    if kind == "action_points":
        actions: list[dict[str, str | None]] = []
        for row in _rows(raw):
            title, due = _text_value(row.get("title"), 300), _text_value(row.get("due_date"), 20)
            if not title and not due:
                continue
            if not title:
                raise ValidationError(_("Every action point needs a description."))
            if due:
                try:
                    due = datetime.date.fromisoformat(due).isoformat()
                except ValueError as error:
                    raise ValidationError(_("Give a date as YYYY-MM-DD, for example 2026-03-31.")) from error
            actions.append({"title": title, "due_date": due or None})
        return actions or None
    raise ValidationError(_("Unknown kind of question."))


def is_answered(question: Question, value: Any, attachment_count: int = 0) -> bool:
    if question.type == "file":
        return attachment_count > 0
    return value not in (None, "", [], {})


def visible_questions(template: Template, answers: Mapping[str, Any]) -> list[Question]:
    return [question for question in template.questions() if question.visible(answers)]


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    visible: int
    answered: int
    missing_required: list[Question] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing_required


def progress(
    template: Template, answers: Mapping[str, Any], attachments: Mapping[str, int]
) -> list[SectionProgress]:
    """Per section: how many visible questions, how many answered, which required ones are missing."""
    result = []
    for section in template.sections():
        shown = [question for question in section.questions if question.visible(answers)]
        answered = [q for q in shown if is_answered(q, answers.get(q.id), attachments.get(q.id, 0))]
        missing = [q for q in shown if q.required and q not in answered]
        result.append(SectionProgress(section, len(shown), len(answered), missing))
    return result


@dataclass(frozen=True)
class StopPoint:
    question: Question
    message: str


def stop_points(template: Template, answers: Mapping[str, Any], language: str) -> list[StopPoint]:
    """Answers that stop the assessment from being approved (e.g. no legal basis)."""
    return [
        StopPoint(question, question.stop_message.get(language))
        for question in visible_questions(template, answers)
        if question.stop_message is not None and str(answers.get(question.id)) in question.stop_if
    ]


@dataclass(frozen=True)
class ActionPoint:
    key: str  # stable within the template: question id, plus the row for listed action points
    title: str
    explanation: str
    due_date: datetime.date | None
    references: tuple[str, ...]


def action_points(template: Template, answers: Mapping[str, Any], language: str) -> list[ActionPoint]:
    """The action points the answers raise: rules of the template and the action-point lists filled in."""
    points = []
    for question in visible_questions(template, answers):
        value = answers.get(question.id)
        if question.action_title is not None and str(value) in question.action_if:
            points.append(
                ActionPoint(
                    question.id,
                    question.action_title.get(language),
                    question.text.get(language),
                    None,
                    question.references,
                )
            )
        if question.type == "action_points" and isinstance(value, list):
            for index, row in enumerate(value):
                due = row.get("due_date")
                points.append(
                    ActionPoint(
                        f"{question.id}:{index}",
                        str(row.get("title", "")),
                        question.text.get(language),
                        datetime.date.fromisoformat(due) if due else None,
                        question.references,
                    )
                )
    return points


def requirements_from_outcome(
    template: Template, answers: Mapping[str, Any], language: str
) -> dict[str, list[str]]:
    """The pre-scan's outcome: {assessment kind: [reasons]} for each rule whose conditions hold."""
    needed: dict[str, list[str]] = {}
    for rule in template.outcome:
        if rule.when and all(condition.holds(answers) for condition in rule.when):
            needed.setdefault(rule.requires, []).append(rule.reason.get(language))
    return needed


def answer_text(question: Question, value: Any, language: str) -> str:
    """A one-paragraph rendering of an answer, for summaries and the notification text."""
    if value in (None, "", []):
        return ""
    if question.type in CHOICE_TYPES or question.type == "yes_no":
        items = value if isinstance(value, list) else [value]
        if question.type == "yes_no":
            return ", ".join(_("Yes") if item == "yes" else _("No") for item in items)
        return ", ".join(question.choice_label(str(item), language) for item in items)
    if question.type == "risk_table":
        return "; ".join(
            f"{row['risk']} ({_('likelihood')}: {row.get('likelihood') or '—'}, {_('severity')}: "
            f"{row.get('severity') or '—'}; {_('measure')}: {row.get('measure') or '—'})"
            for row in value
        )
    if question.type == "references":
        return "; ".join(f"{row['title']} {row['link']}".strip() for row in value)
    if question.type == "action_points":
        return "; ".join(row["title"] for row in value)
    return str(value)


FRIA_LABELS = {
    "a": "art. 27(1)(a)",
    "b": "art. 27(1)(b)",
    "c": "art. 27(1)(c)",
    "d": "art. 27(1)(d)",
    "e": "art. 27(1)(e)",
    "f": "art. 27(1)(f)",
}


def fria_items(template: Template, answers: Mapping[str, Any], language: str) -> list[dict[str, Any]]:
    """The fundamental-rights impact assessment taken from a completed IAMA: per point of AI Act art. 27(1),
    the marked questions with their answers."""
    items = []
    for point in FRIA_ITEMS:
        entries = [
            {
                "question": question.text.get(language),
                "answer": answer_text(question, answers.get(question.id), language),
            }
            for question in template.questions()
            if question.fria == point
        ]
        items.append({"point": point, "reference": FRIA_LABELS[point], "entries": entries})
    return items


def fria_notification_text(
    *, items: Sequence[Mapping[str, Any]], organisation: str, algorithm: str, decided: str
) -> str:
    """The text for notifying the market surveillance authority of the FRIA's results (AI Act art. 27(3))."""
    lines = [
        _("Notification of the results of a fundamental-rights impact assessment (AI Act art. 27(3))"),
        "",
        _("Deployer: %(organisation)s") % {"organisation": organisation},
        _("High-risk AI system: %(algorithm)s") % {"algorithm": algorithm},
        _("Assessment completed: %(date)s") % {"date": decided},
        "",
    ]
    for item in items:
        lines.append(str(item["reference"]))
        for entry in item["entries"]:
            lines.append(f"- {entry['question']}: {entry['answer'] or _('(not answered)')}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
