"""Full-text search of the public register, one backend per database.

PostgreSQL: a `tsvector` column `search_vector` on the publication table with a GIN index, filled by a trigger
with the Dutch text-search configuration (stemming, stop words) from the search text: the words of the name
weigh most (A), the rest less (B). The trigger leaves the column empty for a publication that is superseded or withdrawn,
so only what the public register shows can ever match. Queries use `websearch_to_tsquery('dutch', …)` when
the visitor uses its syntax ("a phrase", or, -not); otherwise every word is matched as a prefix of a word, so
`verkeer` also finds `verkeerslichten`. Ranking: `ts_rank`.

SQLite (the embedded default): an FTS5 table `register_publication_fts` (diacritics folded, prefix indexes)
holding the name and search text of the public publications only. `index_publication` keeps it in step: the
services call it after publishing (which supersedes the previous version) and withdrawing. Every word of the
query becomes a quoted prefix term, so no FTS syntax from user input reaches SQLite. Ranking: `bm25`, the name
weighing ten times the rest.

Any other database: every word must occur in the search text (LIKE), ordered by name.

The migration `0002_public_search` creates these structures, only on its own database vendor.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from verantwoord.register.models import Publication

FTS_TABLE = "register_publication_fts"
# The SQL names its tables literally (migration 0002 creates them); `{table}` is the queryset's own table alias
# and `{tsquery}` one of the two tsquery forms below.
POSTGRES_MATCH = '{table}."search_vector" @@ {tsquery}'
POSTGRES_RANK = 'ts_rank({table}."search_vector", {tsquery})'
POSTGRES_WEBSEARCH = "websearch_to_tsquery('dutch', %s)"
POSTGRES_PREFIXES = "to_tsquery('dutch', %s)"
FTS5_MATCHING_IDS = "SELECT rowid FROM register_publication_fts WHERE register_publication_fts MATCH %s"
# bm25 is lower for a better match; the name weighs ten times the rest. The scores are computed in one pass and
# materialized (SQLite indexes the result for the lookup by id): a correlated MATCH would read all matches again
# for every row.
FTS5_RANK = (
    "(WITH scores AS MATERIALIZED (SELECT rowid AS id, bm25(register_publication_fts, 10.0, 1.0) AS score "
    "FROM register_publication_fts WHERE register_publication_fts MATCH %s) "
    'SELECT score FROM scores WHERE scores.id = {table}."id")'
)
FTS5_DELETE = "DELETE FROM register_publication_fts WHERE rowid = %s"
FTS5_INSERT = "INSERT INTO register_publication_fts (rowid, name, body) VALUES (%s, %s, %s)"
FTS5_CLEAR = "DELETE FROM register_publication_fts"
FTS5_REBUILD = (
    "INSERT INTO register_publication_fts (rowid, name, body) SELECT id, name, search_document "
    "FROM register_publication WHERE is_current AND withdrawn_at IS NULL"
)
# A search box is not a place for essays: later words are ignored, which bounds the cost of a query.
MAX_TERMS = 12
# Words of letters and digits, in any script; everything else (quotes, operators, punctuation) separates words.
WORD = re.compile(r"[^\W_]+")
WEBSEARCH_SYNTAX = re.compile(r'"|(?:^|\s)-\w|(?:^|\s)or(?:\s|$)', re.IGNORECASE)


def search_terms(query: str) -> list[str]:
    """The words of a query, lower case, at most MAX_TERMS."""
    return WORD.findall(query.casefold())[:MAX_TERMS]


def fts5_match_expression(query: str) -> str:
    """An FTS5 MATCH expression that finds rows containing every word as a prefix; '' when there are no words.

    Each word is a double-quoted string (a literal, never syntax) followed by `*` (prefix)."""
    return " ".join(f'"{term}"*' for term in search_terms(query))


def postgres_tsquery(query: str) -> tuple[str, list[str]] | None:
    """SQL for the tsquery of a visitor's query and its parameter; None when nothing is left to search for."""
    if WEBSEARCH_SYNTAX.search(query):
        # websearch_to_tsquery never raises on malformed input: it is made for raw search-box text.
        return POSTGRES_WEBSEARCH, [query.replace("\x00", "")[:500]]
    terms = search_terms(query)
    if not terms:
        return None
    # Words are letters and digits only, so this cannot be a syntax error; `:*` makes each one a prefix.
    return POSTGRES_PREFIXES, [" & ".join(f"{term}:*" for term in terms)]


class _BaseTableSQL(Expression):
    """Raw SQL about the queryset's own rows: `{table}` becomes the alias of its base table at compile time, so
    the expression stays right when Django nests the queryset as a subquery and renames its tables."""

    def __init__(self, template: str, params: list[Any], output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params = template, params

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias() or "")
        return self.template.replace("{table}", alias), tuple(self.params)

    def get_group_by_cols(self) -> list[Any]:
        return [self]


def _vendor() -> str:
    return connection.vendor


def matching(publications: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """The publications that match the query (the caller has already limited them to public ones)."""
    vendor = _vendor()
    if vendor == "postgresql":
        tsquery = postgres_tsquery(query)
        if tsquery is None:
            return publications.none()
        sql, params = tsquery
        match = _BaseTableSQL(POSTGRES_MATCH.replace("{tsquery}", sql), params, output_field=BooleanField())
        return publications.filter(match)
    if vendor == "sqlite":
        expression = fts5_match_expression(query)
        if not expression:
            return publications.none()
        return publications.filter(id__in=RawSQL(FTS5_MATCHING_IDS, [expression]))  # noqa: S611 — a literal
    terms = search_terms(query)
    if not terms:
        return publications.none()
    for term in terms:
        publications = publications.filter(Q(search_document__icontains=term))
    return publications


def ranked(publications: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """Best match first; equal matches by name."""
    vendor = _vendor()
    if vendor == "postgresql" and (tsquery := postgres_tsquery(query)) is not None:
        sql, params = tsquery
        rank = _BaseTableSQL(POSTGRES_RANK.replace("{tsquery}", sql), params, output_field=FloatField())
        return publications.annotate(search_rank=rank).order_by("-search_rank", "name", "id")
    if vendor == "sqlite" and (expression := fts5_match_expression(query)):
        rank = _BaseTableSQL(FTS5_RANK, [expression], output_field=FloatField())
        return publications.annotate(search_rank=rank).order_by("search_rank", "name", "id")
    return publications.order_by("name", "id")


_changes = 0


def changes() -> int:
    """How often this process has changed the public register (it only grows): lets caches of this process
    see their own process's publications and withdrawals at once."""
    return _changes


def index_publication(publication: Publication) -> None:
    """Bring the search index in step with this publication's algorithm. Called by the services after a
    publication is made (the previous version is then no longer current) or withdrawn.

    SQLite: the FTS table holds only the public version of each algorithm. PostgreSQL keeps its index by
    trigger, so there is nothing to do."""
    global _changes
    _changes += 1
    if _vendor() != "sqlite":
        return
    versions = list(
        Publication.objects.filter(algorithm_id=publication.algorithm_id).values_list(
            "id", "name", "search_document", "is_current", "withdrawn_at"
        )
    )
    with connection.cursor() as cursor:
        cursor.executemany(FTS5_DELETE, [(row[0],) for row in versions])
        cursor.executemany(
            FTS5_INSERT,
            [
                (pk, name, document)
                for pk, name, document, is_current, withdrawn_at in versions
                if is_current and withdrawn_at is None
            ],
        )


def rebuild_index() -> int:
    """Rebuild the whole SQLite index from the publications (after a restore, or a bulk change that bypassed
    the services); returns the number of indexed publications. A no-op elsewhere."""
    if _vendor() != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(FTS5_CLEAR)
        cursor.execute(FTS5_REBUILD)
        indexed: int = cursor.rowcount
    return indexed
