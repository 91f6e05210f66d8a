"""Staff pages of the monitoring under /beheer/<slug>/monitoring: overview, an algorithm's checks with charts,
the configuration, findings, and the bias report as PDF. Only aggregates are shown (small groups suppressed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.submission import submit
from verantwoord.monitoring import charts, selectors, services
from verantwoord.monitoring.forms import ConfigForm, FindingStatusForm
from verantwoord.monitoring.models import (
    METRIC_CHOICES,
    TRANSITIONS,
    Finding,
    FindingStatus,
    MonitoringConfig,
)
from verantwoord.monitoring.selectors import MissingLegalBasisError
from verantwoord.register import selectors as register_selectors
from verantwoord.register.models import Algorithm

METRIC_NAMES = dict(METRIC_CHOICES)


class MonitoringView(OrganisationView):
    permission = Permission.VIEW_MONITORING

    def get_algorithm(self, algorithm_id: int) -> Algorithm:
        algorithm = register_selectors.algorithm_for_staff(
            organisation=self.organisation, algorithm_id=algorithm_id
        )
        if algorithm is None:
            raise Http404
        return algorithm

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        return render(self.request, template, self.base_context(**context), status=status)


class OverviewView(MonitoringView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        configs = list(selectors.configs_of(organisation=self.organisation))
        rows = [
            {
                "config": config,
                "run": selectors.latest_run(algorithm=config.algorithm),
                "open": selectors.findings_of(
                    organisation=self.organisation, algorithm=config.algorithm, open_only=True
                ).count(),
            }
            for config in configs
        ]
        configured = {config.algorithm_id for config in configs}
        others = [
            algorithm
            for algorithm in register_selectors.algorithms_of(organisation=self.organisation)
            if algorithm.pk not in configured
        ]
        return self.page("monitoring/overview.html", rows=rows, others=others)


def _verdict_rows(run: Any) -> list[dict[str, Any]]:
    rows = []
    for attribute, result in (run.results if run else {}).items():
        for item in result["disparities"]:
            if item["group"] == "between_groups":
                continue
            ci = result["groups"][item["group"]].get(item["metric"] + "_ci")
            rows.append(
                {
                    **item,
                    "attribute": attribute,
                    "ci": ci,
                    "metric_name": METRIC_NAMES.get(item["metric"], item["metric"]),
                }
            )
    return rows


def _charts(config: MonitoringConfig) -> list[dict[str, Any]]:
    figures = []
    attributes = [*config.group_attributes]
    for attribute in attributes:
        for metric in config.metrics:
            points = selectors.metric_series(algorithm=config.algorithm, metric=metric, attribute=attribute)
            if not points:
                continue
            groups = sorted({group for point in points for group in point["values"]})
            title = _("%(metric)s by %(attribute)s") % {
                "metric": METRIC_NAMES.get(metric, metric),
                "attribute": attribute,
            }
            chart_id = f"chart-{attribute}-{metric}".replace(" ", "-")
            figures.append(
                {
                    "title": title,
                    "svg": charts.line_chart(
                        points,
                        title=title,
                        description=_(
                            "One line per group, one point per check run, with its 95-percent interval; the table beside it gives the numbers."
                        ),
                        chart_id=chart_id,
                    ),
                    "groups": groups,
                    "rows": [
                        (point["at"], [point["values"].get(group) for group in groups]) for point in points
                    ],
                }
            )
    return figures


class AlgorithmView(MonitoringView):
    write_permission = Permission.MANAGE_MONITORING

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        config = selectors.config_of(algorithm=algorithm)
        if config is None:
            return HttpResponseRedirect(
                reverse("monitoring:config", kwargs={"slug": slug, "algorithm_id": algorithm_id})
            )
        run = selectors.latest_run(algorithm=algorithm)
        return self.page(
            "monitoring/algorithm.html",
            algorithm=algorithm,
            config=config,
            run=run,
            verdicts=_verdict_rows(run),
            figures=_charts(config),
            runs=selectors.runs_of(algorithm=algorithm),
            findings=selectors.findings_of(organisation=self.organisation, algorithm=algorithm)[:20],
        )

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        """Run the check now."""
        algorithm = self.get_algorithm(algorithm_id)
        config = selectors.config_of(algorithm=algorithm)
        if config is None:
            raise Http404
        try:
            run = services.check_run(config=config, actor=acting_user(request), trigger="page")
        except MissingLegalBasisError:
            messages.error(request, _("Record the legal basis for the group attributes first."))
        else:
            messages.success(
                request,
                _("The check ran over %(count)d decisions: %(status)s.")
                % {"count": run.decisions, "status": run.get_status_display()},
            )
        return HttpResponseRedirect(
            reverse("monitoring:algorithm", kwargs={"slug": slug, "algorithm_id": algorithm_id})
        )


class ConfigView(MonitoringView):
    permission = Permission.MANAGE_MONITORING
    write_permission = Permission.MANAGE_MONITORING

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        config = selectors.config_of(algorithm=algorithm)
        return self._render(algorithm, ConfigForm(initial=ConfigForm.initial_from(config)), config)

    def post(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        algorithm = self.get_algorithm(algorithm_id)
        config = selectors.config_of(algorithm=algorithm)
        form = ConfigForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.config_save(
                actor=acting_user(request), algorithm=algorithm, values=form.values(), reason=data["reason"]
            ),
            done=_("The monitoring configuration has been saved."),
            then=reverse("monitoring:algorithm", kwargs={"slug": slug, "algorithm_id": algorithm_id}),
            otherwise=lambda: self._render(algorithm, form, config, status=400),
        )

    def _render(
        self, algorithm: Algorithm, form: ConfigForm, config: MonitoringConfig | None, status: int = 200
    ) -> HttpResponse:
        return self.page(
            "monitoring/config.html", status=status, algorithm=algorithm, form=form, config=config
        )


class FindingsView(MonitoringView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        open_only = request.GET.get("alle") != "1"
        findings = selectors.findings_of(organisation=self.organisation, open_only=open_only)
        return self.page("monitoring/findings.html", findings=findings[:200], open_only=open_only)


class FindingView(MonitoringView):
    write_permission = Permission.MANAGE_MONITORING

    def _finding(self, finding_id: int) -> Finding:
        finding = selectors.findings_of(organisation=self.organisation).filter(pk=finding_id).first()
        if finding is None:
            raise Http404
        return finding

    def get(self, request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
        finding = self._finding(finding_id)
        return self._render(finding, self._form(finding))

    def _form(self, finding: Finding, data: Any = None) -> FindingStatusForm:
        form = FindingStatusForm(data)
        allowed = TRANSITIONS.get(finding.status, set())
        field = form.fields["status"]
        if not isinstance(field, ChoiceField):  # the form declares it so; this tells the type checker
            raise TypeError("status is a choice field")
        field.choices = [choice for choice in FindingStatus.choices if choice[0] in allowed]
        return form

    def post(self, request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
        finding = self._finding(finding_id)
        form = self._form(finding, request.POST)
        return submit(
            request,
            form,
            lambda data: services.finding_status_change(
                actor=acting_user(request), finding=finding, status=data["status"], note=data["note"]
            ),
            done=_("The status of the finding has been changed."),
            then=reverse("monitoring:finding", kwargs={"slug": slug, "finding_id": finding_id}),
            otherwise=lambda: self._render(finding, form, status=400),
        )

    def _render(self, finding: Finding, form: FindingStatusForm, status: int = 200) -> HttpResponse:
        return self.page(
            "monitoring/finding.html",
            status=status,
            finding=finding,
            form=form,
            can_change=bool(TRANSITIONS.get(finding.status)),
        )


class ReportView(MonitoringView):
    """The bias report of an algorithm as PDF, for an audit: configuration, latest verdicts, runs, findings."""

    def get(self, request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
        # Imported here: loading WeasyPrint costs time that the other pages do not need.
        from weasyprint import HTML  # type: ignore[import-untyped]

        algorithm = self.get_algorithm(algorithm_id)
        config = selectors.config_of(algorithm=algorithm)
        if config is None:
            raise Http404
        run = selectors.latest_run(algorithm=algorithm)
        html = render_to_string(
            "monitoring/report.html",
            {
                "organisation": self.organisation,
                "algorithm": algorithm,
                "config": config,
                "run": run,
                "verdicts": _verdict_rows(run),
                "runs": selectors.runs_of(algorithm=algorithm),
                "findings": selectors.findings_of(organisation=self.organisation, algorithm=algorithm),
                "figures": _charts(config),
                "now": timezone.now(),
            },
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        name = (algorithm.source_id or str(algorithm.pk)).replace('"', "")
        response["Content-Disposition"] = f'attachment; filename="bias-report-{name}.pdf"'
        return response


def _page(label: str, url_name: str, requires: Permission, *arguments: str, method: str = "GET") -> Endpoint:
    return Endpoint(label, "page", method, f"monitoring:{url_name}", requires, ("slug", *arguments))


STAFF_ENDPOINTS = [
    _page("Monitoring overview", "overview", Permission.VIEW_MONITORING),
    _page("Monitoring of an algorithm", "algorithm", Permission.VIEW_MONITORING, "algorithm_id"),
    _page("Run a bias check now", "algorithm", Permission.MANAGE_MONITORING, "algorithm_id", method="POST"),
    _page("Monitoring configuration", "config", Permission.MANAGE_MONITORING, "algorithm_id"),
    _page(
        "Save a monitoring configuration",
        "config",
        Permission.MANAGE_MONITORING,
        "algorithm_id",
        method="POST",
    ),
    _page("Bias findings", "findings", Permission.VIEW_MONITORING),
    _page("A bias finding", "finding", Permission.VIEW_MONITORING, "finding_id"),
    _page("Change a finding's status", "finding", Permission.MANAGE_MONITORING, "finding_id", method="POST"),
    _page("Bias report (PDF)", "report", Permission.VIEW_MONITORING, "algorithm_id"),
]
