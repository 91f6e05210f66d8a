"""`verantwoord aiact questions|classify`: the EU AI Act decision tree and the classification of a file of answers.

    verantwoord aiact questions [--json] [--language nl|en]
    verantwoord aiact classify ANSWERS.yaml [--json] [--language nl|en] [--dates-version VERSION]

ANSWERS.yaml maps question ids to answer ids, either at the top level or under an `answers` key (so a scenario
file with a description and expectations can be classified as it is). YAML 1.1 reads a bare yes/no as a boolean;
those are read back as the answer ids "yes" and "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.aiact.dates import DatesError, application_dates
from verantwoord.aiact.engine import Classification, ClassificationError, classify
from verantwoord.aiact.obligations import Obligation, obligations_for
from verantwoord.aiact.presentation import classification_data, tree_data
from verantwoord.aiact.texts import LANGUAGES
from verantwoord.aiact.tree import decision_tree
from verantwoord.core.management.output import write_json


def read_answers(path: Path) -> dict[str, str]:
    """The answers of a YAML file: question id -> answer id."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
    except yaml.YAMLError as error:
        raise CommandError(f"{path} is not valid YAML: {error}") from error
    if isinstance(raw, Mapping) and isinstance(raw.get("answers"), Mapping):
        raw = raw["answers"]
    if not isinstance(raw, Mapping):
        raise CommandError(f"{path} must hold a mapping of question ids to answer ids.")
    answers: dict[str, str] = {}
    for question_id, answer_id in raw.items():
        if isinstance(answer_id, bool):  # YAML 1.1: a bare yes/no is a boolean
            answer_id = "yes" if answer_id else "no"
        if not isinstance(answer_id, str):
            raise CommandError(
                f"Question '{question_id}': the answer must be an answer id, not {answer_id!r}."
            )
        answers[str(question_id)] = answer_id
    return answers


class Command(BaseCommand):
    help = "The EU AI Act decision tree: list its questions, or classify a YAML file of answers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        questions = sub.add_parser("questions", help="Print the decision tree.")
        questions.add_argument("--json", action="store_true")
        questions.add_argument("--language", choices=LANGUAGES, default="nl")
        classify_parser = sub.add_parser("classify", help="Classify a YAML file of answers.")
        classify_parser.add_argument("answers_file", help="YAML mapping of question ids to answer ids.")
        classify_parser.add_argument("--json", action="store_true")
        classify_parser.add_argument("--language", choices=LANGUAGES, default="nl")
        classify_parser.add_argument(
            "--dates-version", default=None, help="Dates of application to use (default: the active version)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "questions":
            self.questions(as_json=options["json"], language=options["language"])
        else:
            self.classify_file(
                Path(options["answers_file"]),
                as_json=options["json"],
                language=options["language"],
                dates_version=options["dates_version"],
            )

    def questions(self, *, as_json: bool, language: str) -> None:
        tree = decision_tree()
        if as_json:
            write_json(self, tree_data(tree))
            return
        self.stdout.write(
            f"Decision tree {tree.version} — {tree.legal_source} (reviewed {tree.last_reviewed})"
        )
        for question in tree.questions.values():
            self.stdout.write("")
            self.stdout.write(f"{question.id}  [{', '.join(question.references)}]")
            self.stdout.write(f"  {question.text.get(language)}")
            if question.is_conditional:
                conditions = [
                    f"{key} in ({', '.join(sorted(values))})" for key, values in question.when.items()
                ]
                conditions += [f"{key} in {list(values)}" for key, values in question.when_facts.items()]
                otherwise = question.otherwise_answer or question.otherwise_next or question.otherwise_outcome
                self.stdout.write(f"  only when {' and '.join(conditions)}; otherwise {otherwise}")
            for answer in question.answers:
                self.stdout.write(
                    f"  - {answer.id}: {answer.label.get(language)} -> {answer.next or answer.outcome}"
                )
        self.stdout.write("")
        self.stdout.write("Outcomes:")
        for outcome in tree.outcomes.values():
            self.stdout.write(
                f"  {outcome.id}: {outcome.title.get(language)}  [{', '.join(outcome.references)}]"
            )

    def classify_file(self, path: Path, *, as_json: bool, language: str, dates_version: str | None) -> None:
        answers = read_answers(path)
        try:
            classification = classify(answers)
        except ClassificationError as error:
            detail = f" ({error.detail.get(language)})" if error.detail and language == "nl" else ""
            raise CommandError(f"{error}{detail}") from error
        try:
            dates = application_dates().get(dates_version)
            obligations = obligations_for(classification, dates_version=dates.id)
        except DatesError as error:
            raise CommandError(str(error)) from error
        if as_json:
            write_json(
                self,
                classification_data(classification, obligations, dates_version=dates.id, language=language),
            )
            return
        self.write_classification(classification, obligations, dates_version=dates.id, language=language)

    def write_classification(
        self,
        classification: Classification,
        obligations: list[Obligation],
        *,
        dates_version: str,
        language: str,
    ) -> None:
        dates = application_dates().get(dates_version)
        write = self.stdout.write
        write(self.style.SUCCESS(classification.title.get(language)))
        write(classification.explanation.get(language))
        write("")
        write(f"Applies: {'yes' if classification.applies else 'no'} ({classification.reason})")
        if classification.risk_class:
            basis = classification.prohibited_practice or ", ".join(classification.high_risk_bases)
            write(f"Risk class: {classification.risk_class}" + (f" ({basis})" if basis else ""))
        if classification.derogation:
            write(f"Derogation: art. 6(3)({classification.derogation})")
        if classification.roles:
            write(f"Roles: {', '.join(classification.roles)}")
        if classification.transparency_duties:
            write(
                f"Transparency duties: {', '.join('art. ' + duty for duty in classification.transparency_duties)}"
            )
        write(
            f"Register: risk class {classification.register_risk_class}, "
            f"publication category {classification.publication_category}"
        )
        write(f"Dutch profile: {', '.join(classification.dutch_profile().labels())}")
        write("")
        write("Path:")
        for number, step in enumerate(classification.path, start=1):
            write(f"  {number}. {step.explain(language)}")
        if classification.unused_answers:
            write("")
            write(f"Answers not on the path (not used): {', '.join(classification.unused_answers)}")
        write("")
        write(f"Obligations (dates: {dates.id}, {dates.legal_source}):")
        if not obligations:
            write("  none")
        for obligation in obligations:
            write(
                f"  {obligation.applies_from.isoformat()}  {obligation.addressee:<11} "
                f"{obligation.title.get(language)}  [{', '.join(obligation.references)}]"
            )
        write("")
        write(f"Decision tree {classification.tree_version}.")
