"""Full-text search of the public register, on the database the tests run on (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.core.models import Organisation
from verantwoord.register import search, services
from verantwoord.register.choices import PublicationState
from verantwoord.register.models import Algorithm, Publication
from verantwoord.register.selectors import public_publications

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's Dutch text search configuration"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")

# Text a visitor may type that is syntax to FTS5, to_tsquery or LIKE, or breaks a database driver.
HOSTILE_QUERIES = [
    '"',
    '""',
    "'",
    "AND",
    "OR",
    "NOT",
    "verkeer OR",
    "verkeer AND NOT",
    "NEAR(verkeer bijstand)",
    "*",
    "verkeer*",
    "^verkeer",
    "name:verkeer",
    "body : verkeer",
    "-",
    "--",
    "-verkeer",
    '"verkeer',
    'verkeer"',
    "(",
    ")",
    "{name}",
    "a & b | !c",
    "<->",
    "verkeer:*",
    "\\",
    "%",
    "_",
    "%_%",
    "!!!",
    "\x00",
    "verkeer\x00lichten",
    '"verkeer\x00"',
    "🙂 verkeer",
    "verkeer " * 100,
    "x" * 5000,
]


def names(publications: Any) -> list[str]:
    return [publication.name for publication in publications]


def search_public(query: str, **filters: Any) -> list[str]:
    return names(public_publications(query=query, **filters))


@pytest.fixture
def register(organisation: Organisation) -> dict[str, Algorithm]:
    return {
        "traffic": published_algorithm(
            organisation,
            name="Slimme verkeerslichten",
            description_short="Verkeerslichten passen hun groentijden aan op de drukte.",
            goal="Fietsers wachten korter bij het kruispunt.",
            themes=["traffic"],
        ),
        "benefits": published_algorithm(
            organisation,
            name="Risicomodel controle bijstand",
            description_short="Een model kiest welke aanvragen extra controle krijgen.",
            goal="Misbruik van de bijstandsuitkering eerder vinden.",
            themes=["social_security"],
        ),
        "parking": published_algorithm(
            OrganisationFactory(name="Gemeente Parkeerstad", slug="parkeerstad"),
            name="Parkeervergunningen toekennen",
            description_short="Een rekenregel bepaalt of een bewoner een parkeervergunning krijgt.",
            goal="Eerlijke verdeling van de schaarse plekken in de binnenstad.",
            themes=["traffic", "living"],
        ),
    }


def test_a_word_finds_the_algorithms_that_contain_it(register: dict[str, Algorithm]) -> None:
    assert search_public("kruispunt") == ["Slimme verkeerslichten"]
    assert search_public("bijstand") == ["Risicomodel controle bijstand"]


def test_case_does_not_matter_and_the_organisation_name_is_searched(register: dict[str, Algorithm]) -> None:
    assert search_public("KRUISPUNT") == ["Slimme verkeerslichten"]
    assert search_public("parkeerstad") == ["Parkeervergunningen toekennen"]


def test_every_word_must_match(register: dict[str, Algorithm]) -> None:
    assert search_public("verkeerslichten drukte") == ["Slimme verkeerslichten"]
    assert search_public("verkeerslichten bijstand") == []


def test_the_start_of_a_word_is_enough(register: dict[str, Algorithm]) -> None:
    assert search_public("verkeersli") == ["Slimme verkeerslichten"]
    assert search_public("parkeerverg") == ["Parkeervergunningen toekennen"]


def test_filters_and_search_combine(register: dict[str, Algorithm], organisation: Organisation) -> None:
    assert search_public("verkeer", theme="living") == ["Parkeervergunningen toekennen"]
    assert search_public("kruispunt", theme="living") == []
    assert search_public("rekenregel", theme="traffic") == ["Parkeervergunningen toekennen"]
    assert search_public("rekenregel", organisation=organisation) == []


def test_a_match_in_the_name_ranks_above_a_match_in_the_text(organisation: Organisation) -> None:
    published_algorithm(
        organisation,
        name="Afvalroutes plannen",
        description_short="Wagens rijden langs de containers.",
        goal="Ook de parkeervergunning van de chauffeurs wordt gecontroleerd.",
    )
    published_algorithm(
        organisation,
        name="Parkeervergunning aanvragen",
        description_short="Een rekenregel beoordeelt de aanvraag.",
        goal="Sneller een besluit.",
    )
    assert search_public("parkeervergunning") == ["Parkeervergunning aanvragen", "Afvalroutes plannen"]
    # An explicit sort wins over relevance.
    assert search_public("parkeervergunning", sort="name") == [
        "Afvalroutes plannen",
        "Parkeervergunning aanvragen",
    ]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_input_is_a_syntax_error(register: dict[str, Algorithm], query: str) -> None:
    found = search_public(query)
    assert set(found) <= {algorithm.name for algorithm in register.values()}
    assert public_publications(query=query).count() == len(found)


def test_input_without_words_finds_nothing(register: dict[str, Algorithm]) -> None:
    assert search_public("!!! ???") == []


def test_withdrawn_algorithms_are_not_found(register: dict[str, Algorithm]) -> None:
    services.algorithm_transition(
        actor=None, algorithm=register["traffic"], to_state=PublicationState.WITHDRAWN
    )
    assert search_public("kruispunt") == []
    # Not even when the caller forgets the public filter: the index itself drops withdrawn publications.
    assert names(search.matching(Publication.objects.all(), "kruispunt")) == []


def test_a_superseded_version_is_not_found_and_the_new_one_is(register: dict[str, Algorithm]) -> None:
    algorithm = services.algorithm_update(
        actor=None, algorithm=register["traffic"], data={"goal": "Bussen en hulpdiensten krijgen voorrang."}
    )
    # The change is a draft: the public version, and only that, is still found.
    assert search_public("hulpdiensten") == []
    assert search_public("kruispunt") == ["Slimme verkeerslichten"]
    for state in (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    assert search_public("hulpdiensten") == ["Slimme verkeerslichten"]
    assert search_public("kruispunt") == []
    found = list(search.matching(Publication.objects.all(), "verkeerslichten"))
    assert [(publication.name, publication.version) for publication in found] == [
        ("Slimme verkeerslichten", 2)
    ]


def test_republishing_after_withdrawal_is_found_again(register: dict[str, Algorithm]) -> None:
    algorithm = services.algorithm_transition(
        actor=None, algorithm=register["benefits"], to_state=PublicationState.WITHDRAWN
    )
    for state in (
        PublicationState.DRAFT,
        PublicationState.READY_FOR_REVIEW,
        PublicationState.APPROVED,
        PublicationState.PUBLISHED,
    ):
        algorithm = services.algorithm_transition(actor=None, algorithm=algorithm, to_state=state)
    assert search_public("bijstand") == ["Risicomodel controle bijstand"]


def test_the_search_survives_being_nested_in_another_query(register: dict[str, Algorithm]) -> None:
    """Django renames tables when a queryset becomes a subquery; the raw search SQL must follow."""
    matched = search.ranked(search.matching(Publication.objects.all(), "verkeer"), "verkeer")
    outer = Publication.objects.filter(pk__in=matched.values("pk")).exclude(name__startswith="Risico")
    assert sorted(names(outer)) == ["Parkeervergunningen toekennen", "Slimme verkeerslichten"]


def test_search_terms_are_words_and_bounded() -> None:
    assert search.search_terms('Slimme "verkeers-lichten" (ringweg)*') == [
        "slimme",
        "verkeers",
        "lichten",
        "ringweg",
    ]
    assert len(search.search_terms("woord " * 50)) == search.MAX_TERMS


def test_fts5_expression_quotes_every_word() -> None:
    assert search.fts5_match_expression('verkeer OR NEAR("bijstand") -x*') == (
        '"verkeer"* "or"* "near"* "bijstand"* "x"*'
    )
    assert search.fts5_match_expression("!!!") == ""


def test_postgres_query_uses_websearch_syntax_only_when_asked() -> None:
    assert search.postgres_tsquery("verkeer lichten") == (
        "to_tsquery('dutch', %s)",
        ["verkeer:* & lichten:*"],
    )
    assert search.postgres_tsquery('"slimme verkeerslichten"')[0].startswith("websearch_to_tsquery")  # type: ignore[index]
    assert search.postgres_tsquery("verkeer -bijstand")[0].startswith("websearch_to_tsquery")  # type: ignore[index]
    assert search.postgres_tsquery("fiets or auto")[0].startswith("websearch_to_tsquery")  # type: ignore[index]
    assert search.postgres_tsquery("!!!") is None


def test_other_databases_fall_back_to_words_in_the_search_text(
    register: dict[str, Algorithm], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "_vendor", lambda: "other")
    assert search_public("kruispunt") == ["Slimme verkeerslichten"]
    assert search_public("verkeerslichten bijstand") == []
    assert search_public("!!!") == []
    search.index_publication(Publication.objects.first())  # type: ignore[arg-type]
    assert search.rebuild_index() == 0


@postgresql_only
def test_postgresql_understands_dutch_word_forms(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Verkeerslicht Marktplein", goal="Eén slim verkeerslicht.")
    assert search_public("verkeerslichten") == ["Verkeerslicht Marktplein"]
    assert search_public("de het een verkeerslichten") == ["Verkeerslicht Marktplein"]


@postgresql_only
def test_postgresql_websearch_phrases_or_and_not(register: dict[str, Algorithm]) -> None:
    assert search_public('"slimme verkeerslichten"') == ["Slimme verkeerslichten"]
    assert search_public('"verkeerslichten slimme"') == []
    assert sorted(search_public("kruispunt or bijstand")) == [
        "Risicomodel controle bijstand",
        "Slimme verkeerslichten",
    ]
    assert search_public("kruisp -bijstand") == []  # websearch: whole words, no prefix
    assert search_public("verkeerslichten -bijstand") == ["Slimme verkeerslichten"]


@postgresql_only
def test_postgresql_keeps_the_vector_empty_for_non_public_versions(register: dict[str, Algorithm]) -> None:
    services.algorithm_transition(
        actor=None, algorithm=register["traffic"], to_state=PublicationState.WITHDRAWN
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, search_vector IS NULL FROM register_publication ORDER BY name",
        )
        rows = cursor.fetchall()
    assert rows == [
        ("Parkeervergunningen toekennen", False),
        ("Risicomodel controle bijstand", False),
        ("Slimme verkeerslichten", True),
    ]


@sqlite_only
def test_sqlite_folds_diacritics(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Overheidsfinanciën op orde", goal="Begroting.")
    assert search_public("overheidsfinancien") == ["Overheidsfinanciën op orde"]
    assert search_public("financiën") == []  # prefix of a word only, not the middle
    assert search_public("overheidsfinanciën") == ["Overheidsfinanciën op orde"]


@sqlite_only
def test_sqlite_index_holds_only_public_versions_and_can_be_rebuilt(register: dict[str, Algorithm]) -> None:
    services.algorithm_transition(
        actor=None, algorithm=register["traffic"], to_state=PublicationState.WITHDRAWN
    )

    def indexed() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM register_publication_fts ORDER BY rowid")
            return [row[0] for row in cursor.fetchall()]

    public_ids = sorted(public_publications().values_list("pk", flat=True))
    assert indexed() == public_ids
    with connection.cursor() as cursor:
        cursor.execute(search.FTS5_CLEAR)
    assert search_public("bijstand") == []
    assert search.rebuild_index() == len(public_ids)
    assert indexed() == public_ids
    assert search_public("bijstand") == ["Risicomodel controle bijstand"]


def _search_structures() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'register_publication' AND column_name = 'search_vector' "
                "UNION SELECT indexname FROM pg_indexes WHERE indexname = 'register_publication_search_idx' "
                "UNION SELECT tgname FROM pg_trigger WHERE tgname = 'register_publication_search_vector'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_is_reversible_and_indexes_existing_publications(organisation: Organisation) -> None:
    published_algorithm(organisation, name="Slimme verkeerslichten", goal="Fietsers wachten korter.")
    assert _search_structures()
    call_command("migrate", "register", "0001", verbosity=0)
    try:
        assert _search_structures() == set()
    finally:
        call_command("migrate", verbosity=0)  # every app: later migrations elsewhere may depend on 0002
    expected = (
        {"search_vector", "register_publication_search_idx", "register_publication_search_vector"}
        if connection.vendor == "postgresql"
        else {search.FTS_TABLE}
    )
    assert _search_structures() == expected
    # Publications made before the migration are found.
    assert search_public("fietsers") == ["Slimme verkeerslichten"]
