"""Staff pages of compliance tasks: the organisation's open tasks, the tasks of an algorithm, one task."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.compliance import selectors, services
from verantwoord.compliance.forms import EvidenceForm, TaskForm
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.register import selectors as register_selectors


class TaskOverviewView(OrganisationView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "compliance/overview.html",
            self.base_context(
                tasks=selectors.open_tasks(organisation=self.organisation), today=timezone.localdate()
            ),
        )


class AlgorithmTasksView(OrganisationView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = register_selectors.algorithm_for_staff(
            organisation=self.organisation, algorithm_id=algorithm_id
        )
        if algorithm is None:
            raise Http404
        return render(
            request,
            "compliance/algorithm_tasks.html",
            self.base_context(
                algorithm=algorithm,
                tasks=selectors.tasks_of_algorithm(algorithm=algorithm),
                today=timezone.localdate(),
            ),
        )


class TaskDetailView(OrganisationView):
    permission = Permission.VIEW_INTERNAL
    write_permission = Permission.EDIT_ALGORITHM

    def _task(self, task_id: int) -> ComplianceTask:
        task = selectors.task_of_organisation(organisation=self.organisation, task_id=task_id)
        if task is None:
            raise Http404
        return task

    def get(self, request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
        task = self._task(task_id)
        form = TaskForm(
            organisation=self.organisation,
            initial={
                "status": task.status,
                "owner": task.owner,
                "due_date": task.due_date,
                "closed_reason": task.closed_reason,
            },
        )
        return self._render(task, form, EvidenceForm())

    def post(self, request: HttpRequest, slug: str, task_id: int) -> HttpResponse:
        task = self._task(task_id)
        here = reverse("compliance:task", kwargs={"slug": slug, "task_id": task.pk})
        if "add_evidence" in request.POST:
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                try:
                    services.evidence_add(
                        actor=acting_user(request),
                        task=task,
                        title=evidence_form.cleaned_data["title"],
                        url=evidence_form.cleaned_data["url"] or "",
                        upload=evidence_form.cleaned_data["file"],
                    )
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        evidence_form.add_error(field if field in evidence_form.fields else None, problems)
                else:
                    messages.success(request, _("The evidence has been added."))
                    return HttpResponseRedirect(here)
            return self._render(
                task,
                TaskForm(organisation=self.organisation, initial={"status": task.status}),
                evidence_form,
                status=400,
            )
        form = TaskForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            data = {
                name: form.cleaned_data[name] for name in ("status", "owner", "due_date", "closed_reason")
            }
            try:
                services.task_update(
                    actor=acting_user(request), task=task, data=data, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The task has been saved."))
                return HttpResponseRedirect(here)
        return self._render(task, form, EvidenceForm(), status=400)

    def _render(
        self, task: ComplianceTask, form: TaskForm, evidence_form: EvidenceForm, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "compliance/task.html",
            self.base_context(
                task=task,
                form=form,
                evidence_form=evidence_form,
                evidence=selectors.evidence_of_task(task=task),
                today=timezone.localdate(),
            ),
            status=status,
        )


class EvidenceDownloadView(OrganisationView):
    """Evidence files are private: served only here, after the permission check, as a download."""

    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, task_id: int, evidence_id: int) -> FileResponse:
        task = selectors.task_of_organisation(organisation=self.organisation, task_id=task_id)
        evidence = selectors.evidence_of_task(task=task).filter(pk=evidence_id).first() if task else None
        if evidence is None or not evidence.file:
            raise Http404
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=(evidence.file.name or "evidence").rsplit("/", 1)[-1],
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


COMPLIANCE_ENDPOINTS: list[Endpoint] = [
    Endpoint("Open tasks", "page", "GET", "compliance:overview", Permission.VIEW_INTERNAL),
    Endpoint(
        "Tasks of an algorithm",
        "page",
        "GET",
        "compliance:algorithm-tasks",
        Permission.VIEW_INTERNAL,
        ("slug", "algorithm_id"),
    ),
    Endpoint("Task", "page", "GET", "compliance:task", Permission.VIEW_INTERNAL, ("slug", "task_id")),
    Endpoint(
        "Change a task or add evidence",
        "page",
        "POST",
        "compliance:task",
        Permission.EDIT_ALGORITHM,
        ("slug", "task_id"),
    ),
]
