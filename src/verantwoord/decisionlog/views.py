"""Pages of the decision log: staff pages under /beheer/<slug>/beslissingen, and the public page of an
organisation's log under /register/<slug>/logboek (latest checkpoints and public keys)."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.forms import add_service_errors
from verantwoord.core.models import Organisation
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.submission import submit
from verantwoord.decisionlog import charts, selectors, services
from verantwoord.decisionlog.forms import (
    APIKeyForm,
    ErasureForm,
    LogSettingsForm,
    RetentionForm,
    RevealForm,
    SubjectSearchForm,
)
from verantwoord.decisionlog.models import DecisionLog, EntryKind, LogEntry
from verantwoord.register import selectors as register_selectors
from verantwoord.register.models import Algorithm

ENTRIES_PER_PAGE = 50


def _b64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


class DecisionLogView(OrganisationView):
    """Base of the staff pages: the organisation's log (made on first use)."""

    permission = Permission.VIEW_DECISION_LOG
    log: DecisionLog

    def get_log(self) -> DecisionLog:
        if not hasattr(self, "log"):
            self.log = services.decision_log_of(self.organisation)
        return self.log

    def get_algorithm(self, algorithm_id: int) -> Algorithm:
        algorithm = register_selectors.algorithm_for_staff(
            organisation=self.organisation, algorithm_id=algorithm_id
        )
        if algorithm is None:
            raise Http404
        return algorithm

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        log = self.get_log()
        return render(self.request, template, self.base_context(log=log, **context), status=status)


class OverviewView(DecisionLogView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        log = self.get_log()
        recent = selectors.entries_of(log=log)[:20]
        return self.page(
            "decisionlog/overview.html",
            root_hash=_b64(log.root_hash),
            checkpoint=selectors.latest_checkpoint(log=log),
            kinds=[
                (EntryKind(kind).label, count)
                for kind, count in sorted(selectors.kind_counts(log=log).items())
            ],
            summaries=selectors.algorithm_summaries(log=log),
            algorithms=register_selectors.algorithms_of(organisation=self.organisation),
            recent=recent,
        )


class SettingsView(DecisionLogView):
    permission = Permission.MANAGE_DECISION_LOG
    write_permission = Permission.MANAGE_DECISION_LOG

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        log = self.get_log()
        return self._render(LogSettingsForm(initial={"max_retention_days": log.max_retention_days}))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        log = self.get_log()
        if "rotate" in request.POST:
            key = services.signing_key_rotate(
                actor=acting_user(request), log=log, reason=request.POST.get("rotate_reason", "")
            )
            messages.success(
                request,
                _(
                    "A new signing key %(key)s signs the checkpoints from now on; the old public key stays published."
                )
                % {"key": key.key_id},
            )
            return HttpResponseRedirect(reverse("decisionlog:settings", kwargs={"slug": slug}))
        form = LogSettingsForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.log_settings_update(
                actor=acting_user(request),
                log=log,
                max_retention_days=data["max_retention_days"],
                reason=data["reason"],
            ),
            done=_("The settings have been saved."),
            then=reverse("decisionlog:settings", kwargs={"slug": slug}),
            otherwise=lambda: self._render(form, status=400),
        )

    def _render(self, form: LogSettingsForm, status: int = 200) -> HttpResponse:
        log = self.get_log()
        return self.page(
            "decisionlog/settings.html",
            status=status,
            form=form,
            keys=[
                (key, selectors.verifier_key(log=log, key=key).to_string())
                for key in selectors.signing_keys_of(log=log)
            ],
        )


class CheckpointsView(DecisionLogView):
    write_permission = Permission.MANAGE_DECISION_LOG

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        log = self.get_log()
        page = Paginator(selectors.checkpoints_of(log=log), 25).get_page(request.GET.get("page"))
        return self.page("decisionlog/checkpoints.html", page=page, checkpoints=page.object_list)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        made = services.checkpoint_create(log=self.get_log())
        if made:
            messages.success(request, _("Checkpoint signed at tree size %(size)s.") % {"size": made.size})
        else:
            messages.info(request, _("The latest checkpoint already covers every entry."))
        return HttpResponseRedirect(reverse("decisionlog:checkpoints", kwargs={"slug": slug}))


class AlgorithmDecisionsView(DecisionLogView):
    write_permission = Permission.MANAGE_DECISION_LOG

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        return self._render(
            algorithm, RetentionForm(initial={"retention_days": services.retention_days_of(algorithm)})
        )

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        form = RetentionForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.retention_set(
                actor=acting_user(request),
                algorithm=algorithm,
                days=data["retention_days"],
                reason=data["reason"],
            ),
            done=_("The retention period has been saved."),
            then=reverse("decisionlog:algorithm", kwargs={"slug": slug, "algorithm_id": algorithm.pk}),
            otherwise=lambda: self._render(algorithm, form, status=400),
        )

    def _render(self, algorithm: Algorithm, form: RetentionForm, status: int = 200) -> HttpResponse:
        log = self.get_log()
        weeks = charts.per_week(selectors.decisions_per_day(algorithm=algorithm, days=91))
        decisions = sorted({decision for week in weeks for decision in week.by_decision})
        total = sum(week.total for week in weeks)
        chart = charts.bar_chart(
            weeks,
            title=_("Decisions per week of %(name)s") % {"name": algorithm.name},
            description=_(
                "%(total)s decisions in the last 13 weeks; the table below gives the numbers per week."
            )
            % {"total": total},
            chart_id="decisions-chart",
        )
        page = Paginator(selectors.entries_of(log=log, algorithm=algorithm), ENTRIES_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return self.page(
            "decisionlog/algorithm.html",
            status=status,
            algorithm=algorithm,
            chart=chart,
            weeks=[(week, [week.by_decision.get(decision, 0) for decision in decisions]) for week in weeks],
            decisions=decisions,
            total=total,
            page=page,
            entries=page.object_list,
            form=form,
            retention_days=services.retention_days_of(algorithm),
            active_keys=selectors.api_keys_of(algorithm=algorithm).filter(revoked_at__isnull=True).count(),
        )


class APIKeysView(DecisionLogView):
    write_permission = Permission.MANAGE_DECISION_LOG

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        return self._render(self.get_algorithm(algorithm_id), APIKeyForm())

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        here = reverse("decisionlog:api-keys", kwargs={"slug": slug, "algorithm_id": algorithm.pk})
        if "revoke" in request.POST:
            key = (
                selectors.api_keys_of(algorithm=algorithm).filter(pk=request.POST.get("revoke") or 0).first()
            )
            if key is None:
                raise Http404
            services.api_key_revoke(actor=acting_user(request), api_key=key)
            messages.success(request, _("The key %(name)s has been revoked.") % {"name": key.name})
            return HttpResponseRedirect(here)
        form = APIKeyForm(request.POST)
        if form.is_valid():
            try:
                key, secret = services.api_key_create(
                    actor=acting_user(request), algorithm=algorithm, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Shown on this response only: the key is not stored, so it cannot be shown again.
                response = self._render(algorithm, APIKeyForm(), new_key=key, secret=secret)
                response["Cache-Control"] = "no-store"
                return response
        return self._render(algorithm, form, status=400)

    def _render(
        self, algorithm: Algorithm, form: APIKeyForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        return self.page(
            "decisionlog/api_keys.html",
            status=status,
            algorithm=algorithm,
            keys=selectors.api_keys_of(algorithm=algorithm),
            form=form,
            ingest_url=self.request.build_absolute_uri(
                reverse(
                    "api:decisionlog-decisions",
                    kwargs={"slug": self.organisation.slug, "algorithm_id": algorithm.pk},
                )
            ),
            **extra,
        )


class SearchView(DecisionLogView):
    """By decision ID (GET), or by BSN (POST: the number stays out of URLs and logs; the search is audited)."""

    write_permission = Permission.VIEW_DECISION_PERSONAL_DATA

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        decision_id = request.GET.get("decision_id", "").strip()
        results = (
            list(selectors.entries_of(log=self.get_log(), decision_id=decision_id)[:100])
            if decision_id
            else None
        )
        return self._render(SubjectSearchForm(), decision_id=decision_id, results=results)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = SubjectSearchForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        results = services.subject_search(
            actor=acting_user(request),
            organisation=self.organisation,
            subject=form.cleaned_data["bsn"],
            purpose=form.cleaned_data["purpose"],
        )
        # The number is not echoed back into the page.
        return self._render(
            SubjectSearchForm(initial={"purpose": form.cleaned_data["purpose"]}), subject_results=results
        )

    def _render(self, form: SubjectSearchForm, status: int = 200, **extra: Any) -> HttpResponse:
        response = self.page("decisionlog/search.html", status=status, form=form, **extra)
        response["Cache-Control"] = "no-store"
        return response


class EntryView(DecisionLogView):
    """One entry with its inclusion proof; its personal data only on request (POST), which is audited."""

    write_permission = Permission.VIEW_DECISION_PERSONAL_DATA

    def _entry(self, index: int) -> LogEntry:
        entry = selectors.entry_at(log=self.get_log(), index=index)
        if entry is None:
            raise Http404
        return entry

    def get(self, request: HttpRequest, slug: str, index: int) -> HttpResponse:
        return self._render(self._entry(index), RevealForm())

    def post(self, request: HttpRequest, slug: str, index: int) -> HttpResponse:
        entry = self._entry(index)
        form = RevealForm(request.POST)
        if not form.is_valid():
            return self._render(entry, form, status=400)
        services.personal_data_view_record(
            actor=acting_user(request),
            log=self.get_log(),
            indexes=[entry.index],
            purpose=form.cleaned_data["purpose"],
        )
        response = self._render(entry, form, payload=selectors.payload_of(entry=entry))
        response["Cache-Control"] = "no-store"
        return response

    def _render(self, entry: LogEntry, form: RevealForm, status: int = 200, **extra: Any) -> HttpResponse:
        log = self.get_log()
        proof = selectors.inclusion_proof_of(log=log, index=entry.index)
        fields = selectors.entry_fields(entry)
        later = LogEntry.objects.filter(log=log, refers_to_index=entry.index).order_by("index")
        return self.page(
            "decisionlog/entry.html",
            status=status,
            entry=entry,
            fields=sorted(fields.items()),
            entry_text=bytes(entry.entry).decode("utf-8"),
            leaf_hash=_b64(entry.leaf_hash),
            proof=[_b64(item) for item in proof["proof"]],
            proof_size=proof["tree_size"],
            proof_root=_b64(proof["root_hash"]),
            proof_checkpoint=proof["checkpoint"],
            later_facts=later,
            form=form,
            **extra,
        )


class EraseView(DecisionLogView):
    permission = Permission.ERASE_DECISION_DATA
    write_permission = Permission.ERASE_DECISION_DATA

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render(ErasureForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = ErasureForm(request.POST)
        if form.is_valid():
            try:
                erasure = services.subject_erase(
                    actor=acting_user(request),
                    organisation=self.organisation,
                    subject=form.cleaned_data["subject"],
                    reference=form.cleaned_data["reference"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Request %(reference)s: the personal data of %(count)s entries has been erased. The log still verifies."
                    )
                    % {"reference": erasure.reference, "count": erasure.entry_count},
                )
                return HttpResponseRedirect(reverse("decisionlog:erase", kwargs={"slug": slug}))
        return self._render(form, status=400)

    def _render(self, form: ErasureForm, status: int = 200) -> HttpResponse:
        response = self.page(
            "decisionlog/erase.html",
            status=status,
            form=form,
            erasures=self.get_log().erasures.select_related("algorithm", "actor")[:50],
        )
        response["Cache-Control"] = "no-store"
        return response


@require_safe
def public_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's published checkpoints and keys: what anyone can hold it to later."""
    organisation = get_object_or_404(Organisation, slug=slug)
    log = selectors.decision_log_for(organisation=organisation)
    checkpoints = list(selectors.checkpoints_of(log=log)[:10]) if log else []
    keys = (
        [
            (key, selectors.verifier_key(log=log, key=key).to_string())
            for key in selectors.signing_keys_of(log=log)
        ]
        if log
        else []
    )
    return render(
        request,
        "decisionlog/public_log.html",
        {
            "organisation": organisation,
            "log": log,
            "checkpoints": [(checkpoint, _b64(checkpoint.root_hash)) for checkpoint in checkpoints],
            "keys": keys,
        },
    )


ALGORITHM = ("slug", "algorithm_id")
STAFF_ENDPOINTS: list[Endpoint] = [
    Endpoint("Decision log", "page", "GET", "decisionlog:overview", Permission.VIEW_DECISION_LOG),
    Endpoint(
        "Decision log settings (form)", "page", "GET", "decisionlog:settings", Permission.MANAGE_DECISION_LOG
    ),
    Endpoint(
        "Change decision log settings or rotate its key",
        "page",
        "POST",
        "decisionlog:settings",
        Permission.MANAGE_DECISION_LOG,
    ),
    Endpoint("Checkpoints", "page", "GET", "decisionlog:checkpoints", Permission.VIEW_DECISION_LOG),
    Endpoint(
        "Sign a checkpoint now", "page", "POST", "decisionlog:checkpoints", Permission.MANAGE_DECISION_LOG
    ),
    Endpoint(
        "Decisions of an algorithm",
        "page",
        "GET",
        "decisionlog:algorithm",
        Permission.VIEW_DECISION_LOG,
        ALGORITHM,
    ),
    Endpoint(
        "Set an algorithm's retention period",
        "page",
        "POST",
        "decisionlog:algorithm",
        Permission.MANAGE_DECISION_LOG,
        ALGORITHM,
    ),
    Endpoint(
        "API keys of an algorithm",
        "page",
        "GET",
        "decisionlog:api-keys",
        Permission.VIEW_DECISION_LOG,
        ALGORITHM,
    ),
    Endpoint(
        "Create or revoke an API key",
        "page",
        "POST",
        "decisionlog:api-keys",
        Permission.MANAGE_DECISION_LOG,
        ALGORITHM,
    ),
    Endpoint(
        "Search decisions by decision ID", "page", "GET", "decisionlog:search", Permission.VIEW_DECISION_LOG
    ),
    Endpoint(
        "Search decisions by BSN (audited)",
        "page",
        "POST",
        "decisionlog:search",
        Permission.VIEW_DECISION_PERSONAL_DATA,
    ),
    Endpoint(
        "Decision log entry with proof",
        "page",
        "GET",
        "decisionlog:entry",
        Permission.VIEW_DECISION_LOG,
        ("slug", "index"),
    ),
    Endpoint(
        "Show an entry's personal data (audited)",
        "page",
        "POST",
        "decisionlog:entry",
        Permission.VIEW_DECISION_PERSONAL_DATA,
        ("slug", "index"),
    ),
    Endpoint(
        "Erase a resident's data (form)", "page", "GET", "decisionlog:erase", Permission.ERASE_DECISION_DATA
    ),
    Endpoint("Erase a resident's data", "page", "POST", "decisionlog:erase", Permission.ERASE_DECISION_DATA),
    Endpoint("Public decision log: checkpoints and keys", "page", "GET", "decisionlog:public", Access.PUBLIC),
]
