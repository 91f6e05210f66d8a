"""Staff pages of assessments under /beheer/<slug>/toetsen: overview, policy, an algorithm's assessments and
gate override, and per assessment: overview with completion per section, a page per section (autosave per
question with htmx; a plain form POST without JavaScript), comments, attachments, advice, decision, new version,
printable view, exports and the public summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from verantwoord.assessments import exports, requirements, selectors, services
from verantwoord.assessments.evaluation import (
    answer_text,
    fria_items,
    fria_notification_text,
    progress,
    requirements_from_outcome,
    stop_points,
)
from verantwoord.assessments.forms import (
    ROW_COLUMNS,
    AdviceForm,
    CommentForm,
    DecisionForm,
    OverrideForm,
    PolicyForm,
    ReturnForm,
    StartForm,
    SummaryForm,
    expected_revision,
    raw_value,
)
from verantwoord.assessments.models import Answer, Assessment, State
from verantwoord.assessments.questionnaire import LEVELS, Question, Section, current_templates
from verantwoord.assessments.workflow import EDITABLE_STATES, advisor_for, next_steps
from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.models import Membership, User
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.submission import submit
from verantwoord.register import selectors as register_selectors
from verantwoord.register.models import Algorithm

EMPTY_ROWS = 2


def _language() -> str:
    return get_language() or "nl"


def _members(organisation: Any) -> list[User]:
    ids = Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


def question_context(
    question: Question,
    answer: Answer | None,
    *,
    language: str,
    comments: list[Any],
    attachments: list[Any],
    value: Any = None,
    use_value: bool = False,
) -> dict[str, Any]:
    """What a page needs to show one question and its current answer (or the value just typed)."""
    current = value if use_value else (answer.value if answer else None)
    context: dict[str, Any] = {
        "question": question,
        "text": question.text.get(language),
        "help": question.help.get(language) if question.help else "",
        "example": question.example.get(language) if question.example else "",
        "value": current,
        "revision": answer.revision if answer else 0,
        "choices": [{"id": choice.id, "label": choice.label.get(language)} for choice in question.choices],
        "comments": comments,
        "attachments": attachments,
        "display": answer_text(question, current, language),
        "levels": LEVELS,
    }
    if question.type in ROW_COLUMNS:
        rows = list(current or []) if isinstance(current, list) else []
        blank = dict.fromkeys(ROW_COLUMNS[question.type], "")
        context["rows"] = [blank | dict(row) for row in rows] + [dict(blank) for _index in range(EMPTY_ROWS)]
    if question.type == "multiple_choice":
        context["selected"] = list(current or [])
    return context


class AssessmentsView(OrganisationView):
    permission = Permission.VIEW_ASSESSMENTS

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return render(
            self.request, template, self.base_context(language=_language(), **context), status=status
        )

    def get_algorithm(self, algorithm_id: int) -> Algorithm:
        algorithm = register_selectors.algorithm_for_staff(
            organisation=self.organisation, algorithm_id=algorithm_id
        )
        if algorithm is None:
            raise Http404
        return algorithm

    def get_assessment(self, assessment_id: int) -> Assessment:
        assessment = selectors.assessment_for_staff(
            organisation=self.organisation, assessment_id=assessment_id
        )
        if assessment is None:
            raise Http404
        return assessment

    def detail_url(self, assessment: Assessment) -> str:
        return reverse(
            "assessments:detail", kwargs={"slug": self.organisation.slug, "assessment_id": assessment.pk}
        )

    def section_url(self, assessment: Assessment, section_id: str) -> str:
        return reverse(
            "assessments:section",
            kwargs={"slug": self.organisation.slug, "assessment_id": assessment.pk, "section_id": section_id},
        )


class OverviewView(AssessmentsView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        language = _language()
        return self.page(
            "assessments/overview.html",
            assessments=[
                {"assessment": item, "title": selectors.template_title(item.template_key, language)}
                for item in selectors.assessments_of_organisation(organisation=self.organisation)
            ],
            templates=[
                {
                    "template": template,
                    "title": template.title.get(language),
                    "description": template.description.get(language),
                }
                for template in current_templates().values()
            ],
            algorithms=Algorithm.objects.filter(
                organisation=self.organisation, archived_at__isnull=True
            ).order_by("name"),
            policy=selectors.policy_of(organisation=self.organisation),
        )


class PolicyView(AssessmentsView):
    permission = Permission.CHANGE_ORGANISATION
    write_permission = Permission.CHANGE_ORGANISATION

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        policy = selectors.policy_of(organisation=self.organisation)
        initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
        return self.page("assessments/policy.html", form=PolicyForm(initial=initial))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = PolicyForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.policy_update(
                actor=acting_user(request), organisation=self.organisation, data=data
            ),
            done=_("The assessment policy has been saved."),
            then=reverse("assessments:overview", kwargs={"slug": slug}),
            otherwise=lambda: self.page("assessments/policy.html", form=form),
        )


class AlgorithmView(AssessmentsView):
    """An algorithm's assessments and what it needs; POST starts an assessment."""

    write_permission = Permission.EDIT_ASSESSMENTS

    def _choices(self) -> list[tuple[str, str]]:
        language = _language()
        return [(key, template.title.get(language)) for key, template in current_templates().items()]

    def _render(self, algorithm: Algorithm, form: StartForm, status: int = 200) -> HttpResponse:
        return self.page(
            "assessments/algorithm.html",
            status=status,
            algorithm=algorithm,
            form=form,
            requirements=[
                {"status": status_, "label": requirements.kind_label(status_.kind)}
                for status_ in requirements.requirement_statuses(algorithm)
            ],
            assessments=[
                {"assessment": item, "title": selectors.template_title(item.template_key, _language())}
                for item in selectors.assessments_of_algorithm(algorithm=algorithm)
            ],
            overrides=selectors.overrides_of(algorithm=algorithm),
            prescan_advised=requirements.advised_prescan(algorithm),
        )

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        return self._render(self.get_algorithm(algorithm_id), StartForm(choices=self._choices()))

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        form = StartForm(request.POST, choices=self._choices())
        return submit(
            request,
            form,
            lambda data: services.assessment_start(
                actor=acting_user(request), algorithm=algorithm, template_key=data["template"]
            ),
            done=_("The assessment has been started."),
            then=self.detail_url,
            otherwise=lambda: self._render(algorithm, form),
        )


class OverrideView(AssessmentsView):
    permission = Permission.OVERRIDE_ASSESSMENT_GATE
    write_permission = Permission.OVERRIDE_ASSESSMENT_GATE

    def _choices(self) -> list[tuple[str, str]]:
        return [(kind, requirements.kind_label(kind)) for kind in requirements.GATED_KINDS]

    def _render(self, algorithm: Algorithm, form: OverrideForm, status: int = 200) -> HttpResponse:
        return self.page(
            "assessments/override.html",
            status=status,
            algorithm=algorithm,
            form=form,
            overrides=selectors.overrides_of(algorithm=algorithm),
        )

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        return self._render(self.get_algorithm(algorithm_id), OverrideForm(choices=self._choices()))

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        back = reverse("assessments:algorithm", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
        if "revoke" in request.POST:
            override = (
                selectors.active_overrides(algorithm=algorithm)
                .filter(pk=request.POST.get("revoke") or 0)
                .first()
            )
            if override is not None:
                services.override_revoke(actor=acting_user(request), override=override)
                messages.success(request, _("The exception has been revoked."))
            return HttpResponseRedirect(back)
        form = OverrideForm(request.POST, choices=self._choices())
        return submit(
            request,
            form,
            lambda data: services.override_record(
                actor=acting_user(request),
                algorithm=algorithm,
                requirement=data["requirement"],
                justification=data["justification"],
            ),
            done=_("The exception has been recorded."),
            then=back,
            otherwise=lambda: self._render(algorithm, form),
        )


class DetailView(AssessmentsView):
    """One assessment: state, completion per section, stop points, next steps, advice, decision, versions."""

    def context(self, assessment: Assessment) -> dict[str, Any]:
        language = _language()
        template = selectors.template_of(assessment)
        answers = selectors.answers_of(assessment=assessment)
        sections = progress(template, answers, selectors.attachment_counts(assessment=assessment))
        advisor = advisor_for(assessment)
        members = {user.pk: user for user in _members(self.organisation)}
        context: dict[str, Any] = {
            "assessment": assessment,
            "questionnaire": template,
            "title": template.title.get(language),
            "sections": [
                {
                    "progress": item,
                    "title": item.section.title.get(language),
                    "url": self.section_url(assessment, item.section.id),
                    "missing": [question.text.get(language) for question in item.missing_required],
                }
                for item in sections
            ],
            "complete": all(item.complete for item in sections),
            "stops": stop_points(template, answers, language),
            "steps": next_steps(assessment),
            "editable": assessment.state in EDITABLE_STATES,
            "advisor": advisor.label if advisor else None,
            "advice": selectors.advice_of(assessment=assessment),
            "versions": selectors.versions_of(assessment=assessment),
            "tasks": services.tasks_of(assessment=assessment),
            "decision_conditions": [
                condition
                | {
                    "owner_name": members[condition["owner"]].get_full_name()
                    if condition.get("owner") in members
                    else ""
                }
                for condition in assessment.conditions
            ],
            "has_newer": Assessment.objects.filter(previous=assessment).exists(),
        }
        if template.outcome:
            context["outcome"] = {
                requirements.kind_label(kind): reasons
                for kind, reasons in requirements_from_outcome(template, answers, language).items()
            }
        if template.produces_fria:
            items = fria_items(template, answers, language)
            context["fria"] = items
            context["fria_notification"] = fria_notification_text(
                items=items,
                organisation=self.organisation.name,
                algorithm=assessment.algorithm.name,
                decided=assessment.decided_at.date().isoformat()
                if assessment.decided_at
                else _("not yet decided"),
            )
        return context

    def get(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        return self.page("assessments/detail.html", **self.context(assessment))


class SectionView(AssessmentsView):
    """One section's questions as a form. POST saves every question on it (and uploads) — the page works without
    JavaScript; with it, each question also saves on its own as you type."""

    write_permission = Permission.EDIT_ASSESSMENTS

    def _section(self, assessment: Assessment, section_id: str) -> Section:
        section = selectors.template_of(assessment).section(section_id)
        if section is None:
            raise Http404
        return section

    def _render(
        self,
        assessment: Assessment,
        section: Section,
        *,
        typed: dict[str, Any] | None = None,
        errors: dict[str, list[str]] | None = None,
        conflicts: dict[str, Answer] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        language = _language()
        template = selectors.template_of(assessment)
        rows = selectors.answer_rows(assessment=assessment)
        answers = {key: row.value for key, row in rows.items()} | (typed or {})
        comments: dict[str, list[Any]] = {}
        for comment in selectors.comments_of(assessment=assessment):
            comments.setdefault(comment.question_id, []).append(comment)
        attachments: dict[str, list[Any]] = {}
        for attachment in selectors.attachments_of(assessment=assessment):
            attachments.setdefault(attachment.question_id, []).append(attachment)
        sections = list(template.sections())
        index = next(i for i, item in enumerate(sections) if item.id == section.id)
        questions = []
        for question in section.questions:
            item = question_context(
                question,
                rows.get(question.id),
                language=language,
                comments=comments.get(question.id, []),
                attachments=attachments.get(question.id, []),
                value=(typed or {}).get(question.id),
                use_value=question.id in (typed or {}),
            )
            item["visible"] = question.visible(answers)
            item["errors"] = (errors or {}).get(question.id, [])
            conflict = (conflicts or {}).get(question.id)
            if conflict is not None:
                item["conflict"] = {
                    "by": conflict.updated_by.get_full_name() if conflict.updated_by else "",
                    "display": answer_text(question, conflict.value, language),
                }
                item["revision"] = conflict.revision
            item["answer_url"] = reverse(
                "assessments:answer",
                kwargs={
                    "slug": self.organisation.slug,
                    "assessment_id": assessment.pk,
                    "question_id": question.id,
                },
            )
            questions.append(item)
        all_errors = [(item, message) for item in questions for message in item["errors"]] + [
            (item, _("Someone else changed this answer.")) for item in questions if "conflict" in item
        ]
        return self.page(
            "assessments/section.html",
            status=status,
            assessment=assessment,
            title=template.title.get(language),
            section=section,
            section_title=section.title.get(language),
            intro=section.intro.get(language) if section.intro else "",
            questions=questions,
            all_errors=all_errors,
            editable=assessment.state in EDITABLE_STATES,
            previous_url=self.section_url(assessment, sections[index - 1].id) if index > 0 else None,
            next_url=self.section_url(assessment, sections[index + 1].id)
            if index + 1 < len(sections)
            else None,
            detail_url=self.detail_url(assessment),
            comment_form=CommentForm(),
        )

    def get(self, request: HttpRequest, slug: str, assessment_id: int, section_id: str) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        return self._render(assessment, self._section(assessment, section_id))

    def post(self, request: HttpRequest, slug: str, assessment_id: int, section_id: str) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        section = self._section(assessment, section_id)
        actor = acting_user(request)
        if assessment.state not in EDITABLE_STATES:
            messages.error(request, _("This assessment can no longer be changed."))
            return HttpResponseRedirect(self.detail_url(assessment))
        typed: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        conflicts: dict[str, Answer] = {}
        remove = request.POST.get("remove_attachment")
        if remove:
            attachment = selectors.attachments_of(assessment=assessment).filter(pk=remove).first()
            if attachment is not None:
                services.attachment_remove(actor=actor, attachment=attachment)
                messages.success(request, _("The attachment has been removed."))
        for question in section.questions:
            if question.type == "file":
                for upload in request.FILES.getlist(f"file-{question.id}"):
                    try:
                        services.attachment_add(
                            actor=actor, assessment=assessment, question_id=question.id, upload=upload
                        )
                    except ValidationError as error:
                        errors[question.id] = error.message_dict.get(question.id, error.messages)
                continue
            raw = raw_value(question, request.POST)
            if raw is None:
                continue
            try:
                services.answer_save(
                    actor=actor,
                    assessment=assessment,
                    question_id=question.id,
                    value=raw,
                    expected_revision=expected_revision(question, request.POST),
                    replaces_own=True,
                )
            except services.EditConflictError as conflict:
                conflicts[question.id] = conflict.answer
                typed[question.id] = raw
            except ValidationError as error:
                errors[question.id] = error.message_dict.get(question.id, error.messages)
                typed[question.id] = raw
        if errors or conflicts:
            # What was typed stays on the page; nothing is lost.
            return self._render(assessment, section, typed=typed, errors=errors, conflicts=conflicts)
        messages.success(request, _("Your answers have been saved."))
        target = request.POST.get("next") == "1"
        sections = [item.id for item in selectors.template_of(assessment).sections()]
        position = sections.index(section.id)
        if target and position + 1 < len(sections):
            return HttpResponseRedirect(self.section_url(assessment, sections[position + 1]))
        return HttpResponseRedirect(self.section_url(assessment, section.id))


class AnswerView(AssessmentsView):
    """Autosave of one question (htmx); without htmx it saves and goes back to the section."""

    write_permission = Permission.EDIT_ASSESSMENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, assessment_id: int, question_id: str) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        template = selectors.template_of(assessment)
        question = template.question(question_id)
        if question is None or question.type == "file":
            raise Http404
        htmx = request.headers.get("HX-Request") == "true"
        context: dict[str, Any] = {"question": question}
        status_message = ""
        try:
            answer = services.answer_save(
                actor=acting_user(request),
                assessment=assessment,
                question_id=question.id,
                value=raw_value(question, request.POST) or "",
                expected_revision=expected_revision(question, request.POST),
            )
        except services.EditConflictError as conflict:
            context.update(
                conflict=True,
                revision=conflict.answer.revision,
                by=conflict.answer.updated_by.get_full_name() if conflict.answer.updated_by else "",
                display=answer_text(question, conflict.answer.value, _language()),
            )
            status_message = _("Not saved: someone else changed this answer.")
        except ValidationError as error:
            context.update(error=" ".join(error.message_dict.get(question.id, error.messages)))
            status_message = context["error"]
        else:
            context.update(saved=True, revision=answer.revision)
            status_message = _("Your answers have been saved.")
        if htmx:
            return render(request, "assessments/includes/answer_status.html", context)
        if context.get("saved"):
            messages.success(request, status_message)
        else:
            messages.error(request, status_message)
        return HttpResponseRedirect(
            self.section_url(assessment, question.section_id) + f"#question-{question.id}"
        )


class CommentView(AssessmentsView):
    permission = Permission.COMMENT_ON_ASSESSMENTS
    write_permission = Permission.COMMENT_ON_ASSESSMENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        form = CommentForm(request.POST)
        question = selectors.template_of(assessment).question(request.POST.get("question", ""))
        if form.is_valid() and question is not None:
            try:
                services.comment_add(
                    actor=acting_user(request),
                    assessment=assessment,
                    question_id=question.id,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your comment has been added."))
        else:
            messages.error(request, _("Write a comment."))
        if question is None:
            return HttpResponseRedirect(self.detail_url(assessment))
        return HttpResponseRedirect(
            self.section_url(assessment, question.section_id) + f"#question-{question.id}"
        )


class AttachmentView(AssessmentsView):
    """Download an attachment: private files, served only here, after the permission check."""

    def get(self, request: HttpRequest, slug: str, assessment_id: int, attachment_id: int) -> FileResponse:
        assessment = self.get_assessment(assessment_id)
        attachment = selectors.attachments_of(assessment=assessment).filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SubmitView(AssessmentsView):
    permission = Permission.EDIT_ASSESSMENTS
    write_permission = Permission.EDIT_ASSESSMENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        try:
            services.assessment_submit(actor=acting_user(request), assessment=assessment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The assessment has been submitted for review."))
        return HttpResponseRedirect(self.detail_url(assessment))


class NewVersionView(AssessmentsView):
    permission = Permission.EDIT_ASSESSMENTS
    write_permission = Permission.EDIT_ASSESSMENTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        try:
            new = services.assessment_new_version(actor=acting_user(request), assessment=assessment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.detail_url(assessment))
        messages.success(
            request,
            _("A new version has been made. The decided version stays valid until this one is decided."),
        )
        return HttpResponseRedirect(self.detail_url(new))


class ReviewStepView(AssessmentsView):
    """Base of the advice and decision pages: the step's form, and a form to return the assessment."""

    template_name = "assessments/review_step.html"
    step_title: StrOrPromise = ""
    submit_label: StrOrPromise = ""
    form_class: type[AdviceForm] | type[DecisionForm] = AdviceForm
    awaited_states: tuple[State, ...] = ()

    def render_step(
        self, assessment: Assessment, form: Form, return_form: ReturnForm, status: int = 200
    ) -> HttpResponse:
        detail = DetailView()
        detail.request, detail.organisation = self.request, self.organisation
        return self.page(
            self.template_name,
            status=status,
            form=form,
            return_form=return_form,
            step_title=self.step_title,
            submit_label=self.submit_label,
            awaiting=assessment.state in self.awaited_states and self.step_offered(assessment),
            members=_members(self.organisation),
            condition_rows=range(5),
            **detail.context(assessment),
        )

    def step_offered(self, assessment: Assessment) -> bool:
        raise NotImplementedError

    def get(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        return self.render_step(assessment, self.form_class(), ReturnForm())

    def do_step(self, assessment: Assessment, form: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        if "return" in request.POST:
            return_form = ReturnForm(request.POST)
            return submit(
                request,
                return_form,
                lambda data: services.assessment_return(
                    actor=acting_user(request), assessment=assessment, reason=data["reason"]
                ),
                done=_("The assessment has been returned for changes."),
                then=self.detail_url(assessment),
                otherwise=lambda: self.render_step(assessment, self.form_class(), return_form),
            )
        form = self.form_class(request.POST)
        return submit(
            request,
            form,
            lambda _data: self.do_step(assessment, form),
            done="",
            then=self.detail_url(assessment),
            otherwise=lambda: self.render_step(assessment, form, ReturnForm()),
        )


class AdviseView(ReviewStepView):
    permission = Permission.ADVISE_ASSESSMENT
    write_permission = Permission.ADVISE_ASSESSMENT
    step_title = gettext_lazy("Advice")
    submit_label = gettext_lazy("Record the advice")
    form_class = AdviceForm
    awaited_states = (State.SUBMITTED,)

    def step_offered(self, assessment: Assessment) -> bool:
        return State.ADVISED in next_steps(assessment)

    def do_step(self, assessment: Assessment, form: Any) -> None:
        services.assessment_advise(
            actor=acting_user(self.request),
            assessment=assessment,
            outcome=form.cleaned_data["outcome"],
            text=form.cleaned_data["text"],
            conditions=form.conditions(),
        )
        messages.success(self.request, _("Your advice has been recorded."))


class DecideView(ReviewStepView):
    permission = Permission.DECIDE_ASSESSMENT
    write_permission = Permission.DECIDE_ASSESSMENT
    step_title = gettext_lazy("Decision")
    submit_label = gettext_lazy("Record the decision")
    form_class = DecisionForm
    awaited_states = (State.SUBMITTED, State.ADVISED)

    def step_offered(self, assessment: Assessment) -> bool:
        return State.DECIDED in next_steps(assessment)

    def do_step(self, assessment: Assessment, form: Any) -> None:
        services.assessment_decide(
            actor=acting_user(self.request),
            assessment=assessment,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            conditions=form.conditions(),
            review_date=form.cleaned_data.get("review_date"),
        )
        messages.success(self.request, _("The decision has been recorded."))


class PrintView(AssessmentsView):
    def get(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        return render(
            request, "assessments/print.html", exports.document_context(assessment, language=_language())
        )


class ExportView(AssessmentsView):
    def get(self, request: HttpRequest, slug: str, assessment_id: int, file_format: str) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        data, content_type, filename = exports.export_file(
            assessment, file_format=file_format, language=_language()
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SummaryView(AssessmentsView):
    """Write and publish (or withdraw) the public summary of a decided DPIA or IAMA."""

    permission = Permission.PUBLISH_ALGORITHM
    write_permission = Permission.PUBLISH_ALGORITHM

    def _render(self, assessment: Assessment, form: SummaryForm, status: int = 200) -> HttpResponse:
        return self.page(
            "assessments/summary.html",
            status=status,
            assessment=assessment,
            form=form,
            title=selectors.template_title(assessment.template_key, _language()),
            publishable=assessment.template_key in selectors.PUBLIC_SUMMARY_TEMPLATES
            and assessment.state == State.DECIDED,
        )

    def get(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        return self._render(assessment, SummaryForm(initial={"summary": assessment.public_summary}))

    def post(self, request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
        assessment = self.get_assessment(assessment_id)
        if "withdraw" in request.POST:
            services.summary_withdraw(actor=acting_user(request), assessment=assessment)
            messages.success(request, _("The summary is no longer public."))
            return HttpResponseRedirect(self.detail_url(assessment))
        form = SummaryForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.summary_publish(
                actor=acting_user(request), assessment=assessment, summary=data["summary"]
            ),
            done=_(
                "The summary is public. It is added to the register record with the next publication of the algorithm."
            ),
            then=self.detail_url(assessment),
            otherwise=lambda: self._render(assessment, form),
        )


ASSESSMENT = ("slug", "assessment_id")
ALGORITHM = ("slug", "algorithm_id")
STAFF_ENDPOINTS: list[Endpoint] = [
    Endpoint("Assessments", "page", "GET", "assessments:overview", Permission.VIEW_ASSESSMENTS),
    Endpoint("Assessment policy (form)", "page", "GET", "assessments:policy", Permission.CHANGE_ORGANISATION),
    Endpoint("Assessment policy", "page", "POST", "assessments:policy", Permission.CHANGE_ORGANISATION),
    Endpoint(
        "Assessments of an algorithm",
        "page",
        "GET",
        "assessments:algorithm",
        Permission.VIEW_ASSESSMENTS,
        ALGORITHM,
    ),
    Endpoint(
        "Start an assessment", "page", "POST", "assessments:algorithm", Permission.EDIT_ASSESSMENTS, ALGORITHM
    ),
    Endpoint(
        "Assessment gate exception (form)",
        "page",
        "GET",
        "assessments:override",
        Permission.OVERRIDE_ASSESSMENT_GATE,
        ALGORITHM,
    ),
    Endpoint(
        "Record an assessment gate exception",
        "page",
        "POST",
        "assessments:override",
        Permission.OVERRIDE_ASSESSMENT_GATE,
        ALGORITHM,
    ),
    Endpoint("Assessment", "page", "GET", "assessments:detail", Permission.VIEW_ASSESSMENTS, ASSESSMENT),
    Endpoint(
        "Assessment section",
        "page",
        "GET",
        "assessments:section",
        Permission.VIEW_ASSESSMENTS,
        (*ASSESSMENT, "section_id"),
    ),
    Endpoint(
        "Save a section's answers",
        "page",
        "POST",
        "assessments:section",
        Permission.EDIT_ASSESSMENTS,
        (*ASSESSMENT, "section_id"),
    ),
    Endpoint(
        "Save one answer (autosave)",
        "page",
        "POST",
        "assessments:answer",
        Permission.EDIT_ASSESSMENTS,
        (*ASSESSMENT, "question_id"),
    ),
    Endpoint(
        "Comment on a question",
        "page",
        "POST",
        "assessments:comment",
        Permission.COMMENT_ON_ASSESSMENTS,
        ASSESSMENT,
    ),
    Endpoint(
        "Download an attachment",
        "page",
        "GET",
        "assessments:attachment",
        Permission.VIEW_ASSESSMENTS,
        (*ASSESSMENT, "attachment_id"),
    ),
    Endpoint(
        "Submit an assessment", "page", "POST", "assessments:submit", Permission.EDIT_ASSESSMENTS, ASSESSMENT
    ),
    Endpoint("Advice (form)", "page", "GET", "assessments:advise", Permission.ADVISE_ASSESSMENT, ASSESSMENT),
    Endpoint(
        "Give advice or return",
        "page",
        "POST",
        "assessments:advise",
        Permission.ADVISE_ASSESSMENT,
        ASSESSMENT,
    ),
    Endpoint(
        "Decision (form)", "page", "GET", "assessments:decide", Permission.DECIDE_ASSESSMENT, ASSESSMENT
    ),
    Endpoint(
        "Decide or return", "page", "POST", "assessments:decide", Permission.DECIDE_ASSESSMENT, ASSESSMENT
    ),
    Endpoint(
        "New version of an assessment",
        "page",
        "POST",
        "assessments:new-version",
        Permission.EDIT_ASSESSMENTS,
        ASSESSMENT,
    ),
    Endpoint(
        "Printable assessment", "page", "GET", "assessments:print", Permission.VIEW_ASSESSMENTS, ASSESSMENT
    ),
    Endpoint(
        "Assessment as PDF", "page", "GET", "assessments:export-pdf", Permission.VIEW_ASSESSMENTS, ASSESSMENT
    ),
    Endpoint(
        "Assessment as DOCX",
        "page",
        "GET",
        "assessments:export-docx",
        Permission.VIEW_ASSESSMENTS,
        ASSESSMENT,
    ),
    Endpoint(
        "Public summary (form)",
        "page",
        "GET",
        "assessments:summary",
        Permission.PUBLISH_ALGORITHM,
        ASSESSMENT,
    ),
    Endpoint(
        "Publish a public summary",
        "page",
        "POST",
        "assessments:summary",
        Permission.PUBLISH_ALGORITHM,
        ASSESSMENT,
    ),
    Endpoint(
        "Public summary of an assessment",
        "page",
        "GET",
        "assessments:public-summary",
        Access.PUBLIC,
        ("slug", "algorithm_id", "summary_id"),
    ),
]
