"""Full-text search of the public register (replaced by PostgreSQL FTS / SQLite FTS5; see search backends)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from verantwoord.register.models import Publication


def matching(publications: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    for word in query.split():
        publications = publications.filter(Q(search_document__icontains=word))
    return publications


def ranked(publications: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    return publications.order_by("name", "id")


def index_publication(publication: Publication) -> None:
    """Called by the services after a publication is made or withdrawn."""
