"""Staff pages of the AI Act classification: overview, the wizard (one question per page), review, results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verantwoord.aiact import selectors, services
from verantwoord.aiact.engine import ClassificationError, classify, next_question
from verantwoord.aiact.forms import AnswerForm
from verantwoord.aiact.obligations import obligations_for
from verantwoord.aiact.serialise import stored_result
from verantwoord.aiact.tree import decision_tree
from verantwoord.compliance import selectors as compliance_selectors
from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.register import selectors as register_selectors
from verantwoord.register.models import Algorithm

ARGUMENTS = ("slug", "algorithm_id")


def _language() -> str:
    return get_language() or "nl"


class AlgorithmAIActView(OrganisationView):
    """Base for the AI Act pages of one algorithm."""

    def algorithm(self, algorithm_id: int) -> Algorithm:
        algorithm = register_selectors.algorithm_for_staff(
            organisation=self.organisation, algorithm_id=algorithm_id
        )
        if algorithm is None:
            raise Http404
        return algorithm

    def url(self, name: str, algorithm: Algorithm, **extra: Any) -> str:
        return reverse(
            f"aiact:{name}", kwargs={"slug": self.organisation.slug, "algorithm_id": algorithm.pk, **extra}
        )


class OverviewView(AlgorithmAIActView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        return render(
            request,
            "aiact/overview.html",
            self.base_context(
                algorithm=algorithm,
                current=selectors.current_classification(algorithm=algorithm),
                history=selectors.classifications_of(algorithm=algorithm),
                draft=selectors.draft_of(algorithm=algorithm),
                language=_language(),
            ),
        )


class StartView(AlgorithmAIActView):
    """POST: start the wizard empty, or from the current classification's answers (re-classification)."""

    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        current = selectors.current_classification(algorithm=algorithm)
        if request.POST.get("from") == "current" and current is not None:
            services.classification_draft_reset(
                algorithm=algorithm, from_answers=current.answers, justifications=current.justifications
            )
        elif request.POST.get("from") != "draft":
            services.classification_draft_reset(algorithm=algorithm)
        return HttpResponseRedirect(self.url("question", algorithm))


class QuestionView(AlgorithmAIActView):
    """One question per page. GET ?vraag=ID shows an earlier question on the path (to go back and change it)."""

    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        draft = selectors.draft_of(algorithm=algorithm)
        answers = dict(draft.answers) if draft else {}
        justifications = dict(draft.justifications) if draft else {}
        wanted = request.GET.get("vraag", "")
        on_path = list(services.answers_on_path(answers))
        question = (
            decision_tree().question(wanted)
            if wanted and wanted in on_path
            else next_question(services.answers_on_path(answers))
        )
        if question is None:
            return HttpResponseRedirect(self.url("review", algorithm))
        form = AnswerForm(
            initial={
                "question": question.id,
                "answer": answers.get(question.id),
                "justification": justifications.get(question.id, ""),
            },
            answers=question.answers,
            language=_language(),
        )
        return self._render(algorithm, question, form, answers, on_path)

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        tree = decision_tree()
        try:
            question = tree.question(request.POST.get("question", ""))
        except KeyError as error:
            raise Http404 from error
        form = AnswerForm(request.POST, answers=question.answers, language=_language())
        if form.is_valid():
            try:
                services.classification_draft_answer(
                    actor=acting_user(request),
                    algorithm=algorithm,
                    question_id=question.id,
                    answer_id=form.cleaned_data["answer"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                draft = selectors.draft_of(algorithm=algorithm)
                finished = next_question(services.answers_on_path(draft.answers if draft else {})) is None
                if finished and request.headers.get("HX-Request"):
                    # The review page is a page of its own, not a swap inside the wizard: let htmx load it whole.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = self.url("review", algorithm)
                    return response
                return HttpResponseRedirect(self.url("review" if finished else "question", algorithm))
        draft = selectors.draft_of(algorithm=algorithm)
        answers = dict(draft.answers) if draft else {}
        return self._render(
            algorithm, question, form, answers, list(services.answers_on_path(answers)), status=400
        )

    def _render(
        self,
        algorithm: Algorithm,
        question: Any,
        form: AnswerForm,
        answers: dict[str, str],
        on_path: list[str],
        status: int = 200,
    ) -> HttpResponse:
        tree = decision_tree()
        language = _language()
        position = on_path.index(question.id) if question.id in on_path else len(on_path)
        previous = on_path[position - 1] if position > 0 else None
        answered = [
            {
                "id": question_id,
                "question": tree.question(question_id).text.get(language),
                "answer": next(
                    (
                        a.label.get(language)
                        for a in tree.question(question_id).answers
                        if a.id == answers[question_id]
                    ),
                    "",
                ),
            }
            for question_id in on_path
        ]
        return render(
            self.request,
            "aiact/question.html",
            self.base_context(
                algorithm=algorithm,
                question=question,
                question_text=question.text.get(language),
                question_help=question.help.get(language),
                answer_help={
                    answer.id: answer.help.get(language) for answer in question.answers if answer.help
                },
                form=form,
                number=position + 1,
                previous=previous,
                answered=answered,
            ),
            status=status,
        )


class ReviewView(AlgorithmAIActView):
    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        draft = selectors.draft_of(algorithm=algorithm)
        answers = services.answers_on_path(draft.answers if draft else {})
        try:
            classification = classify(answers)
        except ClassificationError:
            return HttpResponseRedirect(self.url("question", algorithm))
        result = stored_result(classification, obligations_for(classification))
        return render(
            request,
            "aiact/review.html",
            self.base_context(
                algorithm=algorithm,
                result=result,
                justifications=draft.justifications if draft else {},
                language=_language(),
            ),
        )

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        draft = selectors.draft_of(algorithm=algorithm)
        if draft is None:
            return HttpResponseRedirect(self.url("overview", algorithm))
        try:
            stored, sync = services.classification_store(
                actor=acting_user(request),
                algorithm=algorithm,
                answers=services.answers_on_path(draft.answers),
                justifications=draft.justifications,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(self.url("question", algorithm))
        messages.success(
            request,
            _("Classification saved. Tasks: %(created)s new, %(updated)s updated, %(closed)s closed.")
            % {"created": len(sync.created), "updated": len(sync.updated), "closed": len(sync.closed)},
        )
        return HttpResponseRedirect(self.url("result", algorithm, version=stored.version))


class ResultView(AlgorithmAIActView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, algorithm_id: int, version: int) -> HttpResponse:
        algorithm = self.algorithm(algorithm_id)
        stored = selectors.classification_version(algorithm=algorithm, version=version)
        if stored is None:
            raise Http404
        return render(
            request,
            "aiact/result.html",
            self.base_context(
                algorithm=algorithm,
                stored=stored,
                result=stored.result,
                tasks=compliance_selectors.tasks_of_algorithm(algorithm=algorithm).filter(
                    source=services.TASK_SOURCE
                ),
                justifications=stored.justifications,
                language=_language(),
            ),
        )


AIACT_ENDPOINTS: list[Endpoint] = [
    Endpoint("AI Act classification", "page", "GET", "aiact:overview", Permission.VIEW_INTERNAL, ARGUMENTS),
    Endpoint("Start a classification", "page", "POST", "aiact:start", Permission.EDIT_ALGORITHM, ARGUMENTS),
    Endpoint(
        "Classification question", "page", "GET", "aiact:question", Permission.EDIT_ALGORITHM, ARGUMENTS
    ),
    Endpoint("Answer a question", "page", "POST", "aiact:question", Permission.EDIT_ALGORITHM, ARGUMENTS),
    Endpoint(
        "Review the classification", "page", "GET", "aiact:review", Permission.EDIT_ALGORITHM, ARGUMENTS
    ),
    Endpoint("Save the classification", "page", "POST", "aiact:review", Permission.EDIT_ALGORITHM, ARGUMENTS),
    Endpoint(
        "Classification result",
        "page",
        "GET",
        "aiact:result",
        Permission.VIEW_INTERNAL,
        (*ARGUMENTS, "version"),
    ),
]
