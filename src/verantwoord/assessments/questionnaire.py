"""Questionnaire templates: versioned YAML data in data/templates/, loaded and checked into plain objects.

A template has parts, parts have sections, sections have questions. A question has an answer type, help text and
an example, and may be conditional (`show_if`), required, a stop point (`stop_if`: the assessment cannot be
approved while the answer stands) or an action point (`action_if`: becomes a compliance task). A yes/no question
may carry `follow_up` questions, shown when the answer matches `follow_up_on` (yes by default). The loader refuses a
template with a clear message naming the file and the place of the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from verantwoord.aiact.texts import Text

TEMPLATES_DIR = Path(__file__).resolve().parent / "data" / "templates"

ANSWER_TYPES = (
    "short_text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "date",
    "number",
    "risk_table",
    "references",
    "action_points",
    "file",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
ADVICE_BY = ("none", "privacy_officer", "ethics_committee", "ethics_committee_if_high_risk")
REQUIREMENT_KINDS = ("dpia", "iama", "ethics", "transfer")
FRIA_ITEMS = ("a", "b", "c", "d", "e", "f")
YES_NO = ("yes", "no")
LEVELS = ("low", "medium", "high")
DEFAULT_MAX_FILE_MB = 10
FILE_TYPES = ("pdf", "office", "image", "text")


class TemplateError(ValueError):
    """A template file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class Condition:
    """`question` answered with `equals`, or with one of `any_of`; for a multiple choice, the answer includes it."""

    question: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        answer = answers.get(self.question)
        if isinstance(answer, list):
            return any(str(item) in self.values for item in answer)
        return answer is not None and str(answer) in self.values


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    help: Text | None
    example: Text | None
    required: bool
    choices: tuple[Choice, ...]
    show_if: tuple[Condition, ...]
    stop_if: tuple[str, ...]
    stop_message: Text | None
    action_if: tuple[str, ...]
    action_title: Text | None
    fria: str  # "" or an AI Act art. 27(1) point, a-f
    max_file_mb: int
    file_types: tuple[str, ...]
    references: tuple[str, ...]
    section_id: str = ""

    def visible(self, answers: Mapping[str, Any]) -> bool:
        return all(condition.holds(answers) for condition in self.show_if)

    def choice_label(self, choice_id: str, language: str) -> str:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label.get(language)
        return choice_id


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Part:
    id: str
    title: Text
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class OutcomeRule:
    """A pre-scan result: when the condition holds, `requires` is needed, for `reason`."""

    requires: str
    when: tuple[Condition, ...]
    reason: Text


@dataclass(frozen=True)
class Template:
    key: str
    version: str
    title: Text
    description: Text
    source_instrument: str
    source_version: str
    source_url: str
    advice_by: str
    produces_fria: bool
    parts: tuple[Part, ...]
    outcome: tuple[OutcomeRule, ...] = field(default_factory=tuple)

    def sections(self) -> Iterator[Section]:
        for part in self.parts:
            yield from part.sections

    def questions(self) -> Iterator[Question]:
        for section in self.sections():
            yield from section.questions

    def question(self, question_id: str) -> Question | None:
        return self._index().get(question_id)

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections() if section.id == section_id), None)

    @functools.cache  # noqa: B019 — templates are loaded once and live as long as the process
    def _index(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions()}

    @property
    def question_count(self) -> int:
        return len(self._index())


def _text(raw: Any, where: str, *, optional: bool = False) -> Text | None:
    if raw is None and optional:
        return None
    if not isinstance(raw, Mapping) or not raw.get("nl") or not raw.get("en"):
        raise TemplateError(f"{where}: needs a text in Dutch and English ({{nl: …, en: …}}).")
    return Text(nl=str(raw["nl"]).strip(), en=str(raw["en"]).strip())


def _required_text(raw: Any, where: str) -> Text:
    result = _text(raw, where)
    if result is None:  # _text only returns None for optional texts
        raise TemplateError(f"{where}: needs a text in Dutch and English.")
    return result


def _values(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    if isinstance(raw, bool):
        return ("yes" if raw else "no",)
    return (str(raw),)


def _conditions(raw: Any, where: str) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    conditions = []
    for item in items:
        if not isinstance(item, Mapping) or "question" not in item:
            raise TemplateError(f"{where}: a condition needs `question` and `equals` or `any_of`.")
        values = _values(item.get("equals", item.get("any_of")), where)
        if not values:
            raise TemplateError(f"{where}: a condition needs `equals` or `any_of`.")
        conditions.append(Condition(str(item["question"]), values))
    return tuple(conditions)


def _allowed_answers(question: Question) -> tuple[str, ...] | None:
    if question.type == "yes_no":
        return YES_NO
    if question.type in CHOICE_TYPES:
        return tuple(choice.id for choice in question.choices)
    return None


def _question(raw: Any, where: str, section_id: str, inherited: tuple[Condition, ...]) -> list[Question]:
    if not isinstance(raw, Mapping) or not raw.get("id"):
        raise TemplateError(f"{where}: every question needs an `id`.")
    question_id = str(raw["id"])
    where = f"{where} question {question_id!r}"
    answer_type = str(raw.get("type", ""))
    if answer_type not in ANSWER_TYPES:
        raise TemplateError(f"{where}: unknown type {answer_type!r}; use one of {', '.join(ANSWER_TYPES)}.")
    choices = tuple(
        Choice(str(item["id"]), _required_text(item.get("label"), f"{where} choice {item.get('id')!r}"))
        for item in raw.get("choices") or []
    )
    if answer_type in CHOICE_TYPES and len(choices) < 2:
        raise TemplateError(f"{where}: a choice question needs at least two choices.")
    if answer_type not in CHOICE_TYPES and choices:
        raise TemplateError(f"{where}: only choice questions have choices.")
    stop = raw.get("stop_if")
    action = raw.get("action_if")
    fria = str(raw.get("fria", "") or "")
    if fria and fria not in FRIA_ITEMS:
        raise TemplateError(f"{where}: `fria` must be one of {', '.join(FRIA_ITEMS)} (AI Act art. 27(1)).")
    file_types = _values(raw.get("file_types"), where) or FILE_TYPES
    if set(file_types) - set(FILE_TYPES):
        raise TemplateError(f"{where}: `file_types` may hold {', '.join(FILE_TYPES)}.")
    question = Question(
        id=question_id,
        type=answer_type,
        text=_required_text(raw.get("text"), where),
        help=_text(raw.get("help"), f"{where} help", optional=True),
        example=_text(raw.get("example"), f"{where} example", optional=True),
        required=bool(raw.get("required", False)),
        choices=choices,
        show_if=inherited + _conditions(raw.get("show_if"), where),
        stop_if=_values(stop.get("equals") if isinstance(stop, Mapping) else None, where),
        stop_message=_text(stop.get("message"), f"{where} stop_if", optional=False)
        if isinstance(stop, Mapping)
        else None,
        action_if=_values(action.get("equals") if isinstance(action, Mapping) else None, where),
        action_title=_text(action.get("title"), f"{where} action_if")
        if isinstance(action, Mapping)
        else None,
        fria=fria,
        max_file_mb=int(raw.get("max_file_mb", DEFAULT_MAX_FILE_MB)),
        file_types=file_types,
        references=_values(raw.get("references"), where),
        section_id=section_id,
    )
    allowed = _allowed_answers(question)
    for name, values in (("stop_if", question.stop_if), ("action_if", question.action_if)):
        if raw.get(name) is not None and (allowed is None or not values or set(values) - set(allowed)):
            raise TemplateError(f"{where}: `{name}` needs `equals` with answers this question offers.")
    questions = [question]
    follow_ups = raw.get("follow_up") or []
    if follow_ups:
        if answer_type != "yes_no":
            raise TemplateError(f"{where}: only yes/no questions have follow-up questions.")
        on = _values(raw.get("follow_up_on", "yes"), where)
        condition = (*question.show_if, Condition(question_id, on))
        for item in follow_ups:
            questions.extend(_question(item, where, section_id, condition))
    return questions


def _rule(raw: Any, where: str) -> OutcomeRule:
    if not isinstance(raw, Mapping) or raw.get("requires") not in REQUIREMENT_KINDS:
        raise TemplateError(f"{where}: `requires` must be one of {', '.join(REQUIREMENT_KINDS)}.")
    return OutcomeRule(
        requires=str(raw["requires"]),
        when=_conditions(raw.get("when"), where),
        reason=_required_text(raw.get("reason"), f"{where} reason"),
    )


def parse_template(raw: Any, name: str) -> Template:
    """A Template from the data of one YAML file; raises TemplateError naming `name` and the place."""
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{name}: the file must hold a mapping.")
    for key in ("key", "version", "title", "source", "parts"):
        if key not in raw:
            raise TemplateError(f"{name}: missing `{key}`.")
    source = raw["source"]
    if not isinstance(source, Mapping) or not source.get("instrument") or not source.get("version"):
        raise TemplateError(f"{name}: `source` needs the `instrument` and its `version`.")
    advice_by = str(raw.get("advice_by", "none"))
    if advice_by not in ADVICE_BY:
        raise TemplateError(f"{name}: `advice_by` must be one of {', '.join(ADVICE_BY)}.")
    parts = []
    seen: dict[str, str] = {}
    sections_seen: set[str] = set()
    for part_raw in raw["parts"] or []:
        part_where = f"{name} part {part_raw.get('id')!r}"
        sections = []
        for section_raw in part_raw.get("sections") or []:
            section_id = str(section_raw.get("id", ""))
            section_where = f"{part_where} section {section_id!r}"
            if not section_id or section_id in sections_seen:
                raise TemplateError(f"{section_where}: every section needs a unique `id`.")
            sections_seen.add(section_id)
            questions: list[Question] = []
            for question_raw in section_raw.get("questions") or []:
                for question in _question(question_raw, section_where, section_id, ()):
                    if question.id in seen:
                        raise TemplateError(f"{section_where}: question id {question.id!r} is used twice.")
                    for condition in question.show_if:
                        if condition.question not in seen:
                            raise TemplateError(
                                f"{section_where} question {question.id!r}: `show_if` refers to "
                                f"{condition.question!r}, which is not an earlier question."
                            )
                    seen[question.id] = question.type
                    questions.append(question)
            if not questions:
                raise TemplateError(f"{section_where}: a section needs at least one question.")
            sections.append(
                Section(
                    id=section_id,
                    title=_required_text(section_raw.get("title"), section_where),
                    intro=_text(section_raw.get("intro"), f"{section_where} intro", optional=True),
                    questions=tuple(questions),
                )
            )
        if not sections:
            raise TemplateError(f"{part_where}: a part needs at least one section.")
        parts.append(
            Part(
                id=str(part_raw.get("id")),
                title=_required_text(part_raw.get("title"), part_where),
                sections=tuple(sections),
            )
        )
    if not parts:
        raise TemplateError(f"{name}: a template needs at least one part.")
    outcome = tuple(_rule(item, f"{name} outcome") for item in raw.get("outcome") or [])
    for rule in outcome:
        for condition in rule.when:
            if condition.question not in seen:
                raise TemplateError(f"{name} outcome: unknown question {condition.question!r}.")
    template = Template(
        key=str(raw["key"]),
        version=str(raw["version"]),
        title=_required_text(raw["title"], f"{name} title"),
        description=_required_text(raw.get("description"), f"{name} description"),
        source_instrument=str(source["instrument"]),
        source_version=str(source["version"]),
        source_url=str(source.get("url", "")),
        advice_by=advice_by,
        produces_fria=bool(raw.get("produces_fria", False)),
        parts=tuple(parts),
        outcome=outcome,
    )
    if template.produces_fria:
        marked = {question.fria for question in template.questions() if question.fria}
        if marked != set(FRIA_ITEMS):
            missing = ", ".join(sorted(set(FRIA_ITEMS) - marked))
            raise TemplateError(f"{name}: `produces_fria` needs questions marked for art. 27(1) {missing}.")
    return template


def load_template_file(path: Path) -> Template:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TemplateError(f"{path.name}: not valid YAML ({error}).") from error
    return parse_template(raw, path.name)


@functools.cache
def templates() -> dict[tuple[str, str], Template]:
    """Every template version shipped, by (key, version)."""
    loaded: dict[tuple[str, str], Template] = {}
    for path in sorted(TEMPLATES_DIR.glob("*.yaml")):
        template = load_template_file(path)
        if (template.key, template.version) in loaded:
            raise TemplateError(f"{path.name}: {template.key} version {template.version} exists twice.")
        loaded[(template.key, template.version)] = template
    return loaded


def current_templates() -> dict[str, Template]:
    """The newest version of each template, by key (versions compare as text: use sortable versions)."""
    newest: dict[str, Template] = {}
    for (key, _version), template in sorted(templates().items()):
        newest[key] = template
    return newest


def template_version(key: str, version: str) -> Template:
    try:
        return templates()[(key, version)]
    except KeyError as error:
        raise TemplateError(f"No template {key!r} version {version!r}.") from error


def current_template(key: str) -> Template:
    try:
        return current_templates()[key]
    except KeyError as error:
        raise TemplateError(f"No template {key!r}.") from error
