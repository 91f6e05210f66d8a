"""Reads of the register. Public pages, open data and the public API read ONLY through `public_publications`
and `public_publication`: published, current, not withdrawn, and only the frozen public content."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from verantwoord.core import selectors as core_selectors
from verantwoord.core.models import Organisation, User
from verantwoord.core.permissions import Permission
from verantwoord.register import gates, search
from verantwoord.register.choices import PublicationState
from verantwoord.register.models import Algorithm, AlgorithmLink, Publication
from verantwoord.register.standard_format import algorithm_record
from verantwoord.register.validation import record_problems, record_warnings
from verantwoord.register.workflow import TRANSITIONS

STAFF_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "state": ("publication_state", "name"),
    "status": ("status", "name"),
}
PUBLIC_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "published": ("published_at", "id"),
    "-published": ("-published_at", "-id"),
    "organisation": ("organisation__name", "name"),
}


def algorithms_of(
    *,
    organisation: Organisation,
    query: str = "",
    state: str = "",
    status: str = "",
    theme: str = "",
    include_archived: bool = False,
    sort: str = "name",
) -> QuerySet[Algorithm]:
    """The staff list of an organisation's register, with search, filters and sorting."""
    algorithms = Algorithm.objects.filter(organisation=organisation).select_related("owner")
    if not include_archived:
        algorithms = algorithms.filter(archived_at__isnull=True)
    if query:
        algorithms = algorithms.filter(
            Q(name__icontains=query)
            | Q(description_short__icontains=query)
            | Q(department__icontains=query)
            | Q(source_id__icontains=query)
            | Q(lars=query)
        )
    if state:
        algorithms = algorithms.filter(publication_state=state)
    if status:
        algorithms = algorithms.filter(status=status)
    if theme:
        algorithms = algorithms.filter(themes__icontains=f'"{theme}"')
    return algorithms.order_by(*STAFF_SORTS.get(sort, STAFF_SORTS["name"]))


def algorithm_for_staff(*, organisation: Organisation, algorithm_id: int) -> Algorithm | None:
    return (
        Algorithm.objects.filter(organisation=organisation, pk=algorithm_id)
        .select_related("organisation", "owner", "accountable_manager")
        .prefetch_related(
            Prefetch("links", queryset=AlgorithmLink.objects.order_by("group", "position", "id"))
        )
        .first()
    )


def publication_problems(*, algorithm: Algorithm) -> dict[str, list[str]]:
    """What is missing or wrong before the algorithm can be published (empty when ready)."""
    return record_problems(algorithm_record(algorithm), for_publication=True)


def in_use_blockers(*, algorithm: Algorithm) -> list[str]:
    """What stops this algorithm from being in use or published as in use (gates of other areas)."""
    return gates.in_use_blockers(algorithm)


def publication_warnings(*, algorithm: Algorithm) -> dict[str, list[str]]:
    return record_warnings(algorithm_record(algorithm))


def allowed_transitions(*, user: User, algorithm: Algorithm) -> list[PublicationState]:
    """The next states this user may move the algorithm to (the UI shows these as buttons)."""
    return [
        PublicationState(target)
        for target, permission in TRANSITIONS[PublicationState(algorithm.publication_state)].items()
        if core_selectors.user_has_permission(
            user=user, organisation=algorithm.organisation, permission=permission
        )
    ]


def publications_of(*, algorithm: Algorithm) -> QuerySet[Publication]:
    """All versions, newest first (staff)."""
    return Publication.objects.filter(algorithm=algorithm).select_related("published_by").order_by("-version")


def can_edit(*, user: User, organisation: Organisation) -> bool:
    return core_selectors.user_has_permission(
        user=user, organisation=organisation, permission=Permission.EDIT_ALGORITHM
    )


# --- Public -----------------------------------------------------------------------------------------------


def public_publications(
    *,
    organisation: Organisation | None = None,
    query: str = "",
    theme: str = "",
    status: str = "",
    publication_category: str = "",
    ai_act_risk_class: str = "",
    sort: str = "",
) -> QuerySet[Publication]:
    """The public register: the current, not withdrawn publication of each algorithm."""
    publications = Publication.objects.filter(is_current=True, withdrawn_at__isnull=True).select_related(
        "organisation"
    )
    if organisation is not None:
        publications = publications.filter(organisation=organisation)
    if theme:
        publications = publications.filter(themes__contains=f"|{theme}|")
    if status:
        publications = publications.filter(status=status)
    if publication_category:
        publications = publications.filter(publication_category=publication_category)
    if ai_act_risk_class:
        publications = publications.filter(ai_act_risk_class=ai_act_risk_class)
    if query.strip():
        publications = search.matching(publications, query)
        if not sort:
            return search.ranked(publications, query)
    return publications.order_by(*PUBLIC_SORTS.get(sort or "name", PUBLIC_SORTS["name"]))


def public_publication(*, organisation_slug: str, algorithm_id: int) -> Publication | None:
    return (
        Publication.objects.filter(
            is_current=True,
            withdrawn_at__isnull=True,
            organisation__slug=organisation_slug,
            algorithm_id=algorithm_id,
        )
        .select_related("organisation")
        .first()
    )


def public_history(*, publication: Publication) -> QuerySet[Publication]:
    """Earlier published versions of a publicly shown algorithm (only when it is still public)."""
    return Publication.objects.filter(
        algorithm_id=publication.algorithm_id, withdrawn_at__isnull=True
    ).order_by("-version")


def public_version(*, publication: Publication, version: int) -> Publication | None:
    return public_history(publication=publication).filter(version=version).first()


def publication_diff(*, older: Publication, newer: Publication) -> list[dict[str, Any]]:
    """Field-by-field differences between two versions (staff), in the standard's order."""
    from verantwoord.register.standard import standard

    rows = []
    for field in standard().fields:
        before, after = older.content.get(field.key), newer.content.get(field.key)
        if before != after:
            rows.append({"key": field.key, "field": field, "before": before, "after": after})
    return rows
