"""Links on an organisation's public register page to public pages of other areas (the decision log's signed
checkpoints, the adopted AI policy, ...). Apps register them in AppConfig.ready, so the register needs no knowledge
of the apps built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from verantwoord.core.models import Organisation


@dataclass(frozen=True)
class OrganisationPublicLink:
    label: str | Promise
    description: str | Promise
    url_name: str  # takes the organisation slug as `slug`
    order: int
    # Whether the page has something to show for this organisation (no link to an empty page).
    available: Callable[[Organisation], bool]


_links: list[OrganisationPublicLink] = []


def register_organisation_public_link(link: OrganisationPublicLink) -> None:
    if link not in _links:
        _links.append(link)
        _links.sort(key=lambda item: item.order)


def organisation_public_links(organisation: Organisation) -> list[tuple[OrganisationPublicLink, str]]:
    """The links that apply to ``organisation``, with their URLs, in order."""
    return [
        (link, reverse(link.url_name, kwargs={"slug": organisation.slug}))
        for link in _links
        if link.available(organisation)
    ]


def registered_public_links() -> list[OrganisationPublicLink]:
    """Every registered link, in order (each asks its area one question to know whether it applies)."""
    return list(_links)
