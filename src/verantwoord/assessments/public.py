"""The public side of assessments: the published summary of a decided DPIA or IAMA, its page, and its entry in
the algorithm's register record (impacttoetsen_grouping). Only the summary, the kind, the version and the decision
date are public; answers, advice and attachments never are."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from verantwoord.assessments import selectors
from verantwoord.assessments.requirements import kind_label
from verantwoord.register.choices import LinkGroup
from verantwoord.register.models import Algorithm


def public_base_url() -> str:
    """The site's address for links in the register export: VERANTWOORD_PUBLIC_URL when set, else the first
    concrete allowed host."""
    configured = str(getattr(settings, "VERANTWOORD_PUBLIC_URL", "") or "").rstrip("/")
    if configured:
        return configured
    host = next(
        (host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")),
        "localhost",
    )
    scheme = "http" if host in ("localhost", "127.0.0.1") else "https"
    return f"{scheme}://{host}"


def summary_path(algorithm: Algorithm, assessment_id: int) -> str:
    # Dutch paths are the canonical ones: the register record is in Dutch.
    with translation.override("nl"):
        return reverse(
            "assessments:public-summary",
            kwargs={
                "slug": algorithm.organisation.slug,
                "algorithm_id": algorithm.pk,
                "summary_id": assessment_id,
            },
        )


def summary_links(algorithm: Algorithm) -> list[dict[str, str]]:
    """{title, link} of each published summary, for the record's impacttoetsen_grouping."""
    base = public_base_url()
    with translation.override("nl"):
        return [
            {
                "title": f"{kind_label(assessment.template_key)} (versie {assessment.version})",
                "link": base + summary_path(algorithm, assessment.pk),
            }
            for assessment in selectors.published_summaries(algorithm=algorithm)
        ]


@require_safe
def public_summary(request: HttpRequest, slug: str, algorithm_id: int, summary_id: int) -> HttpResponse:
    assessment = selectors.public_summary(organisation_slug=slug, assessment_id=summary_id)
    if assessment is None or assessment.algorithm_id != algorithm_id:
        raise Http404
    return render(
        request,
        "assessments/public_summary.html",
        {
            "assessment": assessment,
            "kind": kind_label(assessment.template_key),
            "organisation": assessment.organisation,
            "algorithm_url": reverse(
                "register-public:detail", kwargs={"slug": slug, "algorithm_id": algorithm_id}
            ),
        },
    )


def register_public_hooks() -> None:
    from verantwoord.register.standard_format import register_link_contributor

    register_link_contributor("assessments.summaries", LinkGroup.IMPACT_ASSESSMENTS.value, summary_links)
