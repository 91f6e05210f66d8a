"""Internal pages of the register (staff): list, create, edit, detail with what is missing, workflow, versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.forms import add_service_errors
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.register import selectors, services
from verantwoord.register.choices import PublicationState, RegisterStatus
from verantwoord.register.forms import (
    STANDARD_KEY_OF_FIELD,
    AlgorithmForm,
    ArchiveForm,
    TransitionForm,
    link_formsets,
    links_from_formsets,
    theme_choices,
)
from verantwoord.register.models import Algorithm
from verantwoord.register.panels import algorithm_panels
from verantwoord.register.standard import standard

PAGE_SIZE = 50
FIELD_OF_STANDARD_KEY = {value: key for key, value in STANDARD_KEY_OF_FIELD.items()}


class AlgorithmListView(OrganisationView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        filters: dict[str, Any] = {
            "query": request.GET.get("q", "").strip(),
            "state": request.GET.get("state", ""),
            "status": request.GET.get("status", ""),
            "theme": request.GET.get("theme", ""),
            "include_archived": request.GET.get("archived") == "1",
            "sort": request.GET.get("sort", "name"),
        }
        algorithms = selectors.algorithms_of(organisation=self.organisation, **filters)
        page = Paginator(algorithms, PAGE_SIZE).get_page(request.GET.get("page"))
        query_without_page = request.GET.copy()
        query_without_page.pop("page", None)
        return render(
            request,
            "register/staff/list.html",
            self.base_context(
                page=page,
                filters=filters,
                states=PublicationState.choices,
                statuses=RegisterStatus.choices,
                themes=theme_choices(),
                sorts=[
                    ("name", _("Name (A-Z)")),
                    ("-name", _("Name (Z-A)")),
                    ("-updated", _("Recently changed")),
                    ("state", _("Publication state")),
                ],
                page_query=query_without_page.urlencode(),
            ),
        )


class AlgorithmCreateView(OrganisationView):
    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = AlgorithmForm(
            organisation=self.organisation, initial={"contact_email": self.organisation.contact_email}
        )
        return self._render(form, link_formsets())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = AlgorithmForm(request.POST, organisation=self.organisation)
        formsets = link_formsets(request.POST)
        if form.is_valid() and all(formset.is_valid() for _group, formset in formsets):
            try:
                algorithm = services.algorithm_create(
                    actor=acting_user(request),
                    organisation=self.organisation,
                    data=form.service_data(),
                    links=links_from_formsets(formsets),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error, FIELD_OF_STANDARD_KEY)
            else:
                messages.success(request, _("The algorithm has been saved as a draft."))
                return HttpResponseRedirect(
                    reverse("register-staff:detail", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
                )
        return self._render(form, formsets, status=400)

    def _render(self, form: AlgorithmForm, formsets: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "register/staff/form.html",
            self.base_context(form=form, formsets=formsets, algorithm=None),
            status=status,
        )


class AlgorithmObjectView(OrganisationView):
    """Base for pages of one algorithm (URL kwarg `algorithm_id`)."""

    def get_algorithm(self, algorithm_id: int) -> Algorithm:
        algorithm = selectors.algorithm_for_staff(organisation=self.organisation, algorithm_id=algorithm_id)
        if algorithm is None:
            raise Http404
        return algorithm


class AlgorithmDetailView(AlgorithmObjectView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        spec = standard()
        problems = selectors.publication_problems(algorithm=algorithm)
        language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "nl"
        problem_rows = [
            {"field": spec.field(key).title(language), "messages": messages_}
            for key, messages_ in problems.items()
        ]
        warning_rows = [
            {"field": spec.field(key).title(language), "messages": messages_}
            for key, messages_ in selectors.publication_warnings(algorithm=algorithm).items()
        ]
        publications = list(selectors.publications_of(algorithm=algorithm))
        return render(
            request,
            "register/staff/detail.html",
            self.base_context(
                algorithm=algorithm,
                problems=problem_rows,
                blockers=selectors.in_use_blockers(algorithm=algorithm),
                warnings=warning_rows,
                transitions=selectors.allowed_transitions(user=acting_user(request), algorithm=algorithm),
                publications=publications,
                theme_labels=[label for code, label in theme_choices() if code in algorithm.themes],
                links=algorithm.links.all(),
                archive_form=ArchiveForm(),
                panels=algorithm_panels(request, algorithm),
            ),
        )


class AlgorithmEditView(AlgorithmObjectView):
    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        form = AlgorithmForm(instance=algorithm, organisation=self.organisation)
        return self._render(algorithm, form, link_formsets(algorithm=algorithm))

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        # Bind to a copy: the form writes into its instance while validating, the service must see the original.
        form = AlgorithmForm(
            request.POST, instance=self.get_algorithm(algorithm_id), organisation=self.organisation
        )
        formsets = link_formsets(request.POST, algorithm=algorithm)
        if form.is_valid() and all(formset.is_valid() for _group, formset in formsets):
            try:
                services.algorithm_update(
                    actor=acting_user(request),
                    algorithm=algorithm,
                    data=form.service_data(),
                    links=links_from_formsets(formsets),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error, FIELD_OF_STANDARD_KEY)
            else:
                messages.success(request, _("The changes have been saved."))
                return HttpResponseRedirect(
                    reverse("register-staff:detail", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
                )
        return self._render(algorithm, form, formsets, status=400)

    def _render(
        self, algorithm: Algorithm, form: AlgorithmForm, formsets: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "register/staff/form.html",
            self.base_context(form=form, formsets=formsets, algorithm=algorithm),
            status=status,
        )


class AlgorithmTransitionView(AlgorithmObjectView):
    """POST only: one step of the publication workflow; the service checks the step's own permission."""

    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        form = TransitionForm(request.POST)
        detail = reverse("register-staff:detail", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
        if not form.is_valid():
            messages.error(request, _("Unknown step."))
            return HttpResponseRedirect(detail)
        try:
            services.algorithm_transition(
                actor=acting_user(request),
                algorithm=algorithm,
                to_state=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The algorithm is now: %(state)s.")
                % {"state": PublicationState(form.cleaned_data["to"]).label},
            )
        return HttpResponseRedirect(detail)


class AlgorithmArchiveView(AlgorithmObjectView):
    permission = Permission.EDIT_ALGORITHM
    write_permission = Permission.EDIT_ALGORITHM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        form = ArchiveForm(request.POST)
        form.is_valid()
        archived = bool(form.cleaned_data.get("archived"))
        try:
            services.algorithm_archive(
                actor=acting_user(request),
                algorithm=algorithm,
                archived=archived,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Archived.") if archived else _("Restored from the archive."))
        return HttpResponseRedirect(
            reverse("register-staff:detail", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
        )


class AlgorithmVersionDiffView(AlgorithmObjectView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        publications = {p.version: p for p in selectors.publications_of(algorithm=algorithm)}
        if not publications:
            raise Http404
        newest = max(publications)
        try:
            older_version = int(request.GET.get("van", max(newest - 1, 1)))
            newer_version = int(request.GET.get("naar", newest))
        except ValueError as error:
            raise Http404 from error
        if older_version not in publications or newer_version not in publications:
            raise Http404
        language = getattr(request, "LANGUAGE_CODE", "nl")
        rows = [
            row | {"title": row["field"].title(language)}
            for row in selectors.publication_diff(
                older=publications[older_version], newer=publications[newer_version]
            )
        ]
        return render(
            request,
            "register/staff/diff.html",
            self.base_context(
                algorithm=algorithm,
                versions=sorted(publications),
                older=publications[older_version],
                newer=publications[newer_version],
                rows=rows,
            ),
        )


STAFF_ENDPOINTS: list[Endpoint] = [
    Endpoint("Register (staff list)", "page", "GET", "register-staff:list", Permission.VIEW_INTERNAL),
    Endpoint("New algorithm (form)", "page", "GET", "register-staff:create", Permission.EDIT_ALGORITHM),
    Endpoint("New algorithm", "page", "POST", "register-staff:create", Permission.EDIT_ALGORITHM),
    Endpoint(
        "Algorithm (staff)",
        "page",
        "GET",
        "register-staff:detail",
        Permission.VIEW_INTERNAL,
        ("slug", "algorithm_id"),
    ),
    Endpoint(
        "Edit algorithm (form)",
        "page",
        "GET",
        "register-staff:edit",
        Permission.EDIT_ALGORITHM,
        ("slug", "algorithm_id"),
    ),
    Endpoint(
        "Edit algorithm",
        "page",
        "POST",
        "register-staff:edit",
        Permission.EDIT_ALGORITHM,
        ("slug", "algorithm_id"),
    ),
    Endpoint(
        "Publication step",
        "page",
        "POST",
        "register-staff:transition",
        Permission.EDIT_ALGORITHM,
        ("slug", "algorithm_id"),
    ),
    Endpoint(
        "Archive or restore",
        "page",
        "POST",
        "register-staff:archive",
        Permission.EDIT_ALGORITHM,
        ("slug", "algorithm_id"),
    ),
    Endpoint(
        "Compare published versions",
        "page",
        "GET",
        "register-staff:versions",
        Permission.VIEW_INTERNAL,
        ("slug", "algorithm_id"),
    ),
]
