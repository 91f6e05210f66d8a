"""The public page of the adopted AI policy: /register/<slug>/ai-beleid (English under /en/). Only the adopted
version is ever shown, rendered from what was frozen when it went to review; drafts and versions in review stay
internal."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from verantwoord.core import selectors as core_selectors
from verantwoord.core.models import Organisation
from verantwoord.policy import selectors
from verantwoord.policy.builder import build_document
from verantwoord.policy.exports.html import (
    ANNEX_ANCHOR,
    format_date,
    render_document_body,
    section_anchor,
    section_heading,
)
from verantwoord.policy.models import DecisionBody
from verantwoord.policy.sections import LANGUAGES


def has_adopted_policy(organisation: Organisation) -> bool:
    return selectors.adopted_version(organisation=organisation) is not None


@require_safe
def public_policy(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = core_selectors.organisation_by_slug(slug=slug)
    version = selectors.adopted_version(organisation=organisation) if organisation is not None else None
    if organisation is None or version is None:
        raise Http404
    language = get_language() or "nl"
    document = build_document(version, language if language in LANGUAGES else "nl")
    return render(
        request,
        "policy/public.html",
        {
            "organisation": organisation,
            "version": version,
            "document": document,
            "document_body": render_document_body(document),
            # A long document: the contents let a reader jump to a section (the body's own anchors).
            "contents": [
                (section_anchor(section), section_heading(section)) for section in document.sections
            ],
            "annex_anchor": ANNEX_ANCHOR,
            "decision_body": DecisionBody(version.decision_body).label if version.decision_body else "",
            "decision_date": format_date(version.decision_date),
            "register_url": reverse("register-public:organisation", kwargs={"slug": slug}),
        },
    )
