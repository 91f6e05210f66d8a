"""Public pages of the register through real requests: list, search, filters, organisation, algorithm, versions,
downloads; only published public fields ever reach them; query counts do not grow with the rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.core.factories import OrganisationFactory
from tests.register.factories import complete_algorithm_data, published_algorithm
from verantwoord.core import services as core_services
from verantwoord.core.models import Organisation, User
from verantwoord.core.roles import Role
from verantwoord.register import services
from verantwoord.register.choices import (
    AlgorithmKind,
    EffectOnPeople,
    LifecyclePhase,
    LinkGroup,
    PublicationState,
    Sourcing,
)
from verantwoord.register.models import Algorithm, Publication
from verantwoord.register.public_links import registered_public_links
from verantwoord.register.standard import standard
from verantwoord.register.views import public

pytestmark = pytest.mark.django_db

PUBLISH_STEPS = (PublicationState.READY_FOR_REVIEW, PublicationState.APPROVED, PublicationState.PUBLISHED)
LANGUAGES = ("", "/en")


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests look at the view's context, which a page served from the cache does not have."""
    monkeypatch.setattr(public, "PAGE_CACHE_SECONDS", 0)


@pytest.fixture
def page_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(public, "PAGE_CACHE_SECONDS", 600)
    cache.clear()
    yield
    cache.clear()


def publish(algorithm: Algorithm, actor: User | None = None, reason: str = "") -> Algorithm:
    for state in PUBLISH_STEPS:
        algorithm = services.algorithm_transition(
            actor=actor, algorithm=algorithm, to_state=state, reason=reason
        )
    return algorithm


def withdraw(algorithm: Algorithm) -> Algorithm:
    return services.algorithm_transition(actor=None, algorithm=algorithm, to_state=PublicationState.WITHDRAWN)


def detail_path(algorithm: Algorithm, suffix: str = "") -> str:
    return f"/register/{algorithm.organisation.slug}/{algorithm.pk}{suffix}"


def text(response: Any) -> str:
    content: bytes = response.content
    return content.decode("utf-8-sig")


# --- List, search, filters, sorting, pagination ---------------------------------------------------------------


@pytest.fixture
def register(organisation: Organisation) -> dict[str, Algorithm]:
    other = OrganisationFactory(name="Gemeente Anderstad", slug="anderstad")
    return {
        "traffic": published_algorithm(
            organisation, name="Slimme verkeerslichten", themes=["traffic"], status="in_use"
        ),
        "benefits": published_algorithm(
            organisation,
            name="Risicomodel bijstand",
            description_short="Een model kiest welke aanvragen extra controle krijgen.",
            themes=["social_security"],
            status="in_development",
            publication_category="impactful",
        ),
        "waste": published_algorithm(
            other,
            name="Afvalroutes",
            description_short="Vuilniswagens rijden de kortste route.",
            themes=["nature"],
            status="out_of_use",
        ),
    }


def listed(response: Any) -> list[str]:
    return [row["name"] for row in response.context["rows"]]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_register_lists_published_algorithms_only(
    client: Client, register: dict[str, Algorithm], organisation: Organisation, prefix: str
) -> None:
    services.algorithm_create(
        actor=None, organisation=organisation, data=complete_algorithm_data(name="Concept")
    )
    response = client.get(f"{prefix}/register")
    assert response.status_code == 200
    assert listed(response) == ["Afvalroutes", "Risicomodel bijstand", "Slimme verkeerslichten"]
    page = text(response)
    assert "Concept" not in page
    assert f'href="{prefix}/register/testdorp/{register["traffic"].pk}"' in page
    assert f'<html lang="{"en" if prefix else "nl"}">' in page
    assert ("In use" if prefix else "In gebruik") in page
    assert 'hreflang="en"' in page


def test_search_filters_and_sorting(client: Client, register: dict[str, Algorithm]) -> None:
    assert listed(client.get("/register?q=vuilniswagens")) == ["Afvalroutes"]
    assert listed(client.get("/register?theme=social_security")) == ["Risicomodel bijstand"]
    assert listed(client.get("/register?status=out_of_use")) == ["Afvalroutes"]
    assert listed(client.get("/register?category=impactful")) == ["Risicomodel bijstand"]
    assert listed(client.get("/register?organisation=anderstad")) == ["Afvalroutes"]
    assert listed(client.get("/register?organisation=testdorp&status=in_use")) == ["Slimme verkeerslichten"]
    assert listed(client.get("/register?sort=organisation")) == [
        "Afvalroutes",
        "Risicomodel bijstand",
        "Slimme verkeerslichten",
    ]
    newest_first = listed(client.get("/register?sort=-published"))
    assert newest_first == ["Afvalroutes", "Risicomodel bijstand", "Slimme verkeerslichten"]


def test_unknown_filter_values_are_ignored(client: Client, register: dict[str, Algorithm]) -> None:
    response = client.get(
        "/register?theme=sprookjes&status=x&category=y&risk=z&sort=w&organisation=bestaat-niet"
    )
    assert response.status_code == 200
    assert len(listed(response)) == 3
    assert response.context["filters"] == public.RegisterFilters()


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": "NEAR(a b) OR -"},
        {"q": "verkeer\x00"},
        {"q": "x" * 3000},
        {"organisation": "test\x00dorp"},
        {"organisation": "../../etc"},
        {"page": "-1"},
        {"page": "9999"},
        {"page": "een"},
    ],
)
def test_strange_input_never_breaks_the_page(
    client: Client, register: dict[str, Algorithm], params: dict[str, str]
) -> None:
    assert client.get("/register", params).status_code == 200
    assert client.get("/register/export.json", params).status_code == 200


def test_the_search_result_says_what_was_searched_and_how_many(
    client: Client, register: dict[str, Algorithm]
) -> None:
    page = text(client.get("/register?q=vuilniswagens"))
    assert "1 algoritme" in page
    assert "vuilniswagens" in page
    nothing = client.get("/register?q=onvindbaarwoord")
    assert listed(nothing) == []
    assert "Geen algoritmes gevonden." in text(nothing)


def test_the_risk_class_filter_appears_only_when_a_published_record_has_one(
    client: Client, register: dict[str, Algorithm]
) -> None:
    assert 'name="risk"' not in text(client.get("/register"))
    algorithm = services.algorithm_update(
        actor=None, algorithm=register["benefits"], data={"ai_act_risk_class": "high_risk"}
    )
    # Not public before the next publication (the classification does not itself send it back to draft).
    assert 'name="risk"' not in text(client.get("/register"))
    algorithm = services.algorithm_transition(
        actor=None, algorithm=algorithm, to_state=PublicationState.DRAFT
    )
    publish(algorithm)
    response = client.get("/register")
    assert 'name="risk"' in text(response)
    assert [code for code, _label in response.context["risks"]] == ["high_risk"]
    assert listed(client.get("/register?risk=high_risk")) == ["Risicomodel bijstand"]


def test_pages_keep_the_filters_in_their_links(
    client: Client, organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    for number in range(5):
        published_algorithm(organisation, name=f"Verkeersmodel {number}", themes=["traffic"])
    published_algorithm(organisation, name="Iets anders", themes=["work"])
    response = client.get("/register?q=verkeersmodel&theme=traffic&sort=name")
    assert listed(response) == ["Verkeersmodel 0", "Verkeersmodel 1"]
    page = text(response)
    assert 'href="?q=verkeersmodel&amp;theme=traffic&amp;sort=name&amp;page=2"' in page
    assert "5 algoritmes" in page
    second = client.get("/register?q=verkeersmodel&theme=traffic&sort=name&page=2")
    assert listed(second) == ["Verkeersmodel 2", "Verkeersmodel 3"]
    assert 'aria-current="page"' in text(second)
    downloads = second.context["downloads"]
    assert downloads["csv"] == "/register/export.csv?q=verkeersmodel&theme=traffic&sort=name"


def test_htmx_gets_only_the_results_and_caches_are_told(
    client: Client, register: dict[str, Algorithm]
) -> None:
    fragment = client.get("/register?q=vuilniswagens", headers={"HX-Request": "true"})
    body = text(fragment)
    assert "<html" not in body
    assert "Afvalroutes" in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in fragment["Vary"]
    restore = client.get(
        "/register?q=vuilniswagens", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in text(restore)


def test_the_form_works_without_javascript(client: Client, register: dict[str, Algorithm]) -> None:
    page = text(client.get("/register"))
    assert '<form method="get" action="/register"' in page
    assert (
        "<script" not in page.split("</head>")[1]
    )  # no inline or body scripts; htmx is an optional enhancement


def _query_count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_rows(
    client: Client, organisation: Organisation, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    first = published_algorithm(organisation, name="Algoritme 0")
    paths = ["/register", "/register?q=algoritme", f"/register/{organisation.slug}", detail_path(first)]
    few = {path: _query_count(client, path) for path in paths}
    others = [OrganisationFactory() for _ in range(3)]
    for number in range(1, 24):
        algorithm = published_algorithm(
            others[number % 3] if number % 2 else organisation, name=f"Algoritme {number}"
        )
        algorithm = services.algorithm_update(actor=None, algorithm=algorithm, data={"goal": "Versie twee."})
        publish(algorithm)
    many = {path: _query_count(client, path) for path in paths}
    assert many == few
    with django_assert_max_num_queries(4):
        client.get("/register")
    with django_assert_max_num_queries(4):
        client.get("/register?q=algoritme&theme=traffic")
    # One query per other area's public link (is there something to link to?), never one per row.
    with django_assert_max_num_queries(3 + len(registered_public_links())):
        client.get(f"/register/{organisation.slug}")
    with django_assert_max_num_queries(1):
        client.get(detail_path(first))
    with django_assert_max_num_queries(2):
        client.get(detail_path(first, "/versies"))
    with django_assert_max_num_queries(2):
        client.get(detail_path(first, "/versies/1"))


def test_only_get_and_head_are_allowed(client: Client, register: dict[str, Algorithm]) -> None:
    assert client.post("/register").status_code == 405
    assert client.head("/register").status_code == 200


# --- One algorithm, its versions, its organisation ------------------------------------------------------------


@pytest.fixture
def documented(organisation: Organisation) -> Algorithm:
    """A published algorithm with two versions, links and some empty fields."""
    algorithm = services.algorithm_create(
        actor=None,
        organisation=organisation,
        data=complete_algorithm_data(
            name="Slimme verkeerslichten",
            description_short="Verkeerslichten passen hun groentijden aan op de drukte.",
            themes=["traffic", "nature"],
            begin_date="2023-05",
            goal="Eerste alinea.\n\nTweede alinea.",
            website="https://testdorp.example/verkeerslichten",
        ),
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "Wegenverkeerswet 1994", "link": "https://wetten.overheid.nl/BWBR0006622"},
                {"title": "Verordening zonder link", "link": ""},
            ]
        },
    )
    algorithm = publish(algorithm)
    algorithm = services.algorithm_update(
        actor=None, algorithm=algorithm, data={"goal": "Nu ook voorrang voor hulpdiensten."}
    )
    return publish(algorithm)


def test_the_sections_hold_every_field_of_the_standard_in_its_order() -> None:
    assert [key for _section, keys in public.SECTIONS for key in keys] == standard().keys


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_detail_page_shows_the_standards_fields_in_order(
    client: Client, documented: Algorithm, prefix: str
) -> None:
    response = client.get(prefix + detail_path(documented))
    assert response.status_code == 200
    page = text(response)
    language = "en" if prefix else "nl"
    record = page[page.index('id="section-general"') :]
    positions = [record.index(f">{field.title(language)}</dt>") for field in standard().fields]
    assert positions == sorted(positions)
    with translation.override(language):
        not_filled = translation.gettext("Not filled in")
    assert page.count(not_filled) >= 5  # e.g. end date, considerations, source code
    assert "<p>Nu ook voorrang voor hulpdiensten.</p>" in page
    assert (
        '<li class="utrecht-unordered-list__item">Verkeer</li>' if not prefix else ">Traffic</li>"
    ) in page
    assert ("May 2023" if prefix else "mei 2023") in page
    assert 'href="https://wetten.overheid.nl/BWBR0006622" rel="external">Wegenverkeerswet 1994</a>' in page
    assert '<li class="utrecht-link-list__item">Verordening zonder link</li>' in page
    assert f'href="{prefix}/register/testdorp"' in page
    assert 'href="mailto:algoritmes@testdorp.example"' in page
    assert f'href="{prefix}{detail_path(documented, "/versies")}"' in page
    assert response.context["publication"].version == 2
    assert f'href="{prefix}/register/testdorp/{documented.pk}/export.csv"' in page


def test_old_versions_are_listed_and_viewable(client: Client, documented: Algorithm) -> None:
    history = client.get(detail_path(documented, "/versies"))
    assert history.status_code == 200
    assert [version["version"] for version in history.context["versions"]] == [2, 1]
    page = text(history)
    assert f'href="{detail_path(documented, "/versies/1")}"' in page
    old = client.get(detail_path(documented, "/versies/1"))
    assert old.status_code == 200
    old_page = text(old)
    assert "<p>Eerste alinea.</p>" in old_page
    assert "<p>Tweede alinea.</p>" in old_page
    assert "hulpdiensten" not in old_page
    assert "utrecht-alert--warning" in old_page
    current = client.get(detail_path(documented, "/versies/2"))
    assert "utrecht-alert--info" in text(current)
    assert client.get(detail_path(documented, "/versies/3")).status_code == 404


def test_a_draft_change_is_not_shown_until_published(client: Client, documented: Algorithm) -> None:
    services.algorithm_update(actor=None, algorithm=documented, data={"goal": "Nog niet openbaar."})
    assert "Nog niet openbaar." not in text(client.get(detail_path(documented)))
    assert [
        version["version"] for version in client.get(detail_path(documented, "/versies")).context["versions"]
    ] == [
        2,
        1,
    ]


def test_withdrawn_and_unknown_algorithms_are_not_found(client: Client, documented: Algorithm) -> None:
    assert client.get(f"/register/anderstad/{documented.pk}").status_code == 404
    assert client.get("/register/testdorp/999999").status_code == 404
    withdraw(documented)
    for suffix in ("", "/versies", "/versies/1", "/export.csv", "/export.json"):
        assert client.get(detail_path(documented, suffix)).status_code == 404


def test_html_in_published_text_is_shown_as_text(client: Client, documented: Algorithm) -> None:
    """Imported records are published as they came: markup and odd links must not become page markup."""
    publication = Publication.objects.get(algorithm=documented, is_current=True)
    publication.content |= {
        "goal": "<p>Alinea <b>een</b>.</p><ul><li>punt</li></ul><script>alert(1)</script>&amp; meer",
        "website": "javascript:void(0)",
        "lawful_basis_grouping": [{"title": "<i>Wet</i>", "link": "javascript:alert(2)"}],
    }
    Publication.objects.filter(pk=publication.pk).update(content=publication.content)
    page = text(client.get(detail_path(documented)))
    assert "alert(" not in page
    assert "<b>een</b>" not in page
    assert "<p>Alinea een.</p>" in page
    assert "<p>• punt</p>" in page
    assert "<p>&amp; meer</p>" in page
    assert "&lt;i&gt;Wet&lt;/i&gt;" not in page
    assert ">Wet</li>" in page
    assert 'href="javascript:' not in page
    assert "javascript:void(0)" in page  # shown, not linked


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_organisation_page_lists_its_algorithms_and_contact(
    client: Client, register: dict[str, Algorithm], organisation: Organisation, prefix: str
) -> None:
    response = client.get(f"{prefix}/register/testdorp")
    assert response.status_code == 200
    assert listed(response) == ["Risicomodel bijstand", "Slimme verkeerslichten"]
    page = text(response)
    assert f'href="mailto:{organisation.contact_email}"' in page
    assert f'href="{organisation.website}"' in page
    assert f'href="{prefix}/register?organisation=testdorp"' in page
    assert f'href="{prefix}/register/testdorp/export.json"' in page


def test_an_organisation_without_publications_says_so(client: Client) -> None:
    OrganisationFactory(name="Gemeente Leegdorp", slug="leegdorp")
    response = client.get("/register/leegdorp")
    assert response.status_code == 200
    assert listed(response) == []
    assert client.get("/register/bestaat-niet").status_code == 404


# --- Downloads --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "filename", "names"),
    [
        (
            "/register/export",
            "algoritmeregister",
            ["Afvalroutes", "Risicomodel bijstand", "Slimme verkeerslichten"],
        ),
        ("/register/export", "algoritmeregister", ["Afvalroutes"]),
        (
            "/register/testdorp/export",
            "algoritmeregister-testdorp",
            ["Risicomodel bijstand", "Slimme verkeerslichten"],
        ),
        ("/en/register/anderstad/export", "algoritmeregister-anderstad", ["Afvalroutes"]),
    ],
)
def test_downloads_serve_the_exporters_output(
    client: Client, register: dict[str, Algorithm], path: str, filename: str, names: list[str]
) -> None:
    query = "?q=vuilniswagens" if names == ["Afvalroutes"] and path == "/register/export" else ""
    csv_response = client.get(f"{path}.csv{query}")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == f'attachment; filename="{filename}.csv"'
    assert csv_response.content.startswith("\ufeff".encode())
    csv_text = text(csv_response)
    json_response = client.get(f"{path}.json{query}")
    assert json_response["Content-Type"] == "application/json"
    assert json_response["Content-Disposition"] == f'attachment; filename="{filename}.json"'
    json_text = text(json_response)
    json.loads(json_text)
    for algorithm in register.values():
        assert (algorithm.name in csv_text) == (algorithm.name in names)
        assert (algorithm.name in json_text) == (algorithm.name in names)


def test_an_algorithm_can_be_downloaded_on_its_own(client: Client, register: dict[str, Algorithm]) -> None:
    algorithm = register["traffic"]
    response = client.get(detail_path(algorithm, "/export.csv"))
    assert response["Content-Disposition"] == f'attachment; filename="algoritme-testdorp-{algorithm.pk}.csv"'
    assert "Slimme verkeerslichten" in text(response)
    assert "Risicomodel bijstand" not in text(response)
    body = text(client.get(detail_path(algorithm, "/export.json")))
    assert "Slimme verkeerslichten" in body
    assert "Risicomodel bijstand" not in body


def test_every_public_endpoint_answers_a_visitor(client: Client, documented: Algorithm) -> None:
    values = {"slug": documented.organisation.slug, "algorithm_id": documented.pk, "version": 1}
    assert public.PUBLIC_ENDPOINTS
    for endpoint in public.PUBLIC_ENDPOINTS:
        url = reverse(endpoint.url_name, kwargs={name: values[name] for name in endpoint.arguments})
        assert client.get(url).status_code == 200, url


# --- Only published public fields -------------------------------------------------------------------------------


def _internal_field_names() -> set[str]:
    standard_keys = set(standard().keys)
    workflow = {"id", "organisation", "publication_state", "archived_at", "created_at", "updated_at", "links"}
    return {
        field.name
        for field in Algorithm._meta.get_fields()
        if field.concrete and field.name not in standard_keys and field.name not in workflow
    } - {"themes"}


INTERNAL_VALUES: dict[str, Any] = {
    "department": "GEHEIM-afdeling-q7",
    "supplier_name": "GEHEIM-leverancier-q7",
    "groups_affected": "GEHEIM-groepen-q7",
    "internal_notes": "GEHEIM-notities-q7",
    "next_review_date": date(2091, 7, 13),
    "lifecycle_phase": LifecyclePhase.VERIFICATION_VALIDATION,
    "kind": AlgorithmKind.GPAI_BASED,
    "sourcing": Sourcing.SUPPLIED,
    "effect_on_people": EffectOnPeople.SIMILARLY_SIGNIFICANT,
    "personal_data": True,
    "special_categories": True,
    "automated_decisions": True,
}


def _choice_markers() -> set[str]:
    """Codes and labels (both languages) of the internal choices set above: none may show up."""
    markers: set[str] = set()
    for name in ("lifecycle_phase", "kind", "sourcing", "effect_on_people"):
        value = INTERNAL_VALUES[name]
        markers.add(value.value)
        for language in ("nl", "en"):
            with translation.override(language):
                markers.add(str(value.label))
    return markers


@pytest.fixture
def secrets(organisation: Organisation, member_of: Callable[..., User]) -> Iterator[dict[str, Any]]:
    owner = member_of(
        organisation, Role.ALGORITHM_OWNER, full_name="GEHEIM-eigenaar-q7", username="geheim-eigenaar-q7"
    )
    manager = member_of(organisation, Role.STAFF, full_name="GEHEIM-manager-q7", username="geheim-manager-q7")
    publisher = member_of(
        organisation,
        Role.BEHEERDER,
        full_name="GEHEIM-publiceerder-q7",
        email="geheim-publiceerder@q7.example",
    )
    assert _internal_field_names() == {
        *INTERNAL_VALUES,
        "owner",
        "accountable_manager",
        "ai_act_risk_class",
    }, "a new internal field: give it a marker here"
    public_algorithm = services.algorithm_create(
        actor=owner,
        organisation=organisation,
        data=complete_algorithm_data(
            name="Openbaar algoritme",
            goal="Openbaar doel, eerste versie.",
            owner=owner,
            accountable_manager=manager,
            **INTERNAL_VALUES,
        ),
    )
    public_algorithm = publish(public_algorithm, actor=publisher, reason="GEHEIM-reden-q7")
    public_algorithm = services.algorithm_update(
        actor=owner, algorithm=public_algorithm, data={"goal": "Openbaar doel, tweede versie."}
    )
    public_algorithm = publish(public_algorithm, actor=publisher, reason="GEHEIM-reden-q7")
    # A new draft edit of the published algorithm: every public field it touches holds a marker.
    services.algorithm_update(
        actor=owner,
        algorithm=public_algorithm,
        data={
            "name": "GEHEIM-conceptnaam-q7",
            "description_short": "GEHEIM-conceptomschrijving-q7",
            "goal": "GEHEIM-conceptdoel-q7",
            "tags": "GEHEIM-conceptzoekterm-q7",
            "provider": "GEHEIM-conceptleverancier-q7",
            "website": "https://geheim-concept-q7.example/",
            "internal_notes": "GEHEIM-conceptnotitie-q7",
        },
        links={
            LinkGroup.LAWFUL_BASIS: [
                {"title": "GEHEIM-conceptwet-q7", "link": "https://geheim-wet-q7.example/"}
            ]
        },
        reason="GEHEIM-conceptreden-q7",
    )
    withdrawn = services.algorithm_create(
        actor=owner,
        organisation=organisation,
        data=complete_algorithm_data(
            name="GEHEIM-ingetrokken-q7", goal="GEHEIM-ingetrokkendoel-q7", tags="GEHEIM-ingetrokkenterm-q7"
        ),
    )
    withdrawn = withdraw(publish(withdrawn))
    never = services.algorithm_create(
        actor=owner,
        organisation=organisation,
        data=complete_algorithm_data(name="GEHEIM-nooitgepubliceerd-q7", goal="GEHEIM-nooitdoel-q7"),
    )
    approved = services.algorithm_create(
        actor=owner, organisation=organisation, data=complete_algorithm_data(name="GEHEIM-goedgekeurd-q7")
    )
    for state in PUBLISH_STEPS[:2]:
        approved = services.algorithm_transition(actor=None, algorithm=approved, to_state=state)
    yield {
        "public": public_algorithm,
        "hidden": [withdrawn, never, approved],
        "markers": {"GEHEIM", "geheim", "q7.example", "2091", *_choice_markers()},
    }


def _public_paths(algorithm: Algorithm) -> list[str]:
    slug = algorithm.organisation.slug
    return [
        "/register",
        "/register?q=openbaar",
        "/register?q=algoritme&sort=-published",
        "/register?theme=traffic&status=in_use&category=other",
        f"/register?organisation={slug}",
        f"/register/{slug}",
        detail_path(algorithm),
        detail_path(algorithm, "/versies"),
        detail_path(algorithm, "/versies/1"),
        detail_path(algorithm, "/versies/2"),
        "/register/export.csv",
        "/register/export.json",
        f"/register/{slug}/export.csv",
        f"/register/{slug}/export.json",
        detail_path(algorithm, "/export.csv"),
        detail_path(algorithm, "/export.json"),
    ]


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "cached"])
@pytest.mark.parametrize("prefix", LANGUAGES)
def test_no_internal_draft_or_withdrawn_value_reaches_a_public_page(
    client: Client, secrets: dict[str, Any], prefix: str, cached: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cached:
        monkeypatch.setattr(public, "PAGE_CACHE_SECONDS", 600)
        cache.clear()
    for path in _public_paths(secrets["public"]):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        body = text(response)
        assert "Openbaar" in body or "openbaar" in body.casefold(), path
        leaked = {marker for marker in secrets["markers"] if marker in body}
        assert leaked == set(), f"{prefix}{path} shows {leaked}"
    fragment = client.get(f"{prefix}/register?q=openbaar", headers={"HX-Request": "true"})
    assert not {marker for marker in secrets["markers"] if marker in text(fragment)}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_searching_for_internal_draft_or_withdrawn_values_finds_nothing(
    client: Client, secrets: dict[str, Any], prefix: str
) -> None:
    for query in (
        "GEHEIM",
        "geheim-afdeling-q7",
        "conceptdoel",
        "ingetrokken",
        "nooitgepubliceerd",
        "goedgekeurd",
        "eigenaar",
        "publiceerder",
        "notities",
    ):
        response = client.get(f"{prefix}/register", {"q": query})
        assert response.context["page"].paginator.count == 0, query
        export = text(client.get(f"{prefix}/register/export.json", {"q": query}))
        assert "Openbaar" not in export, query
    for hidden in secrets["hidden"]:
        for suffix in ("", "/versies", "/versies/1", "/export.csv", "/export.json"):
            assert client.get(prefix + detail_path(hidden, suffix)).status_code == 404


# --- Page cache ---------------------------------------------------------------------------------------------------


def _served_from_cache(response: Any) -> bool:
    return response.context is None


def test_pages_come_from_the_cache_until_the_register_changes(
    client: Client, page_cache: None, documented: Algorithm, organisation: Organisation
) -> None:
    detail = detail_path(documented)
    assert not _served_from_cache(client.get(detail))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(detail)
    assert _served_from_cache(again)
    assert len(queries) == 1  # the check that the register is unchanged
    assert "hulpdiensten" in text(again)

    # A new version (the previous one is superseded).
    algorithm = services.algorithm_update(actor=None, algorithm=documented, data={"goal": "Derde versie."})
    assert _served_from_cache(client.get(detail))  # a draft changes nothing public
    publish(algorithm)
    assert "Derde versie." in text(client.get(detail))

    # A new algorithm appears in the list, a withdrawn one disappears.
    assert "Afvalroutes" not in text(client.get("/register"))
    published_algorithm(organisation, name="Afvalroutes")
    assert "Afvalroutes" in text(client.get("/register"))
    assert _served_from_cache(client.get("/register"))
    withdraw(documented)
    assert client.get(detail).status_code == 404
    assert "Slimme verkeerslichten" not in text(client.get("/register"))

    # The organisation's details.
    assert "https://www.testdorp.example/" not in text(client.get("/register/testdorp"))
    core_services.organisation_update(
        actor=None, organisation=organisation, data={"website": "https://www.testdorp.example/"}
    )
    assert "https://www.testdorp.example/" in text(client.get("/register/testdorp"))


def test_the_results_fragment_and_the_page_are_cached_apart(
    client: Client, page_cache: None, register: dict[str, Algorithm]
) -> None:
    fragment = client.get("/register?q=vuilniswagens", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment)
    page = client.get("/register?q=vuilniswagens")
    assert "<html" in text(page)
    assert "<html" not in text(client.get("/register?q=vuilniswagens", headers={"HX-Request": "true"}))
    assert "HX-Request" in client.get("/register?q=vuilniswagens")["Vary"]


def test_visitors_with_a_session_or_messages_bypass_the_cache(
    client: Client, page_cache: None, register: dict[str, Algorithm], beheerder: User
) -> None:
    client.force_login(beheerder)
    assert not _served_from_cache(client.get("/register"))
    assert not _served_from_cache(client.get("/register"))
    anonymous = Client()
    anonymous.cookies["messages"] = "something"
    assert not _served_from_cache(anonymous.get("/register"))
    assert not _served_from_cache(Client().get("/register"))  # nothing was stored for those two
    assert _served_from_cache(Client().get("/register"))


@pytest.mark.django_db(transaction=True)
def test_a_process_rereads_the_fingerprint_after_its_own_changes_and_within_a_second_of_others(
    client: Client, page_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a transaction (as in production) one process reads the fingerprint at most once a second."""
    clock = [1000.0]
    monkeypatch.setattr(public, "_clock", lambda: clock[0])
    organisation = OrganisationFactory(name="Gemeente Klokdorp", slug="klokdorp")
    algorithm = published_algorithm(organisation, name="Slimme verkeerslichten")
    assert "Slimme verkeerslichten" in text(client.get("/register"))
    with CaptureQueriesContext(connection) as queries:
        assert _served_from_cache(client.get("/register"))
    assert len(queries) == 0  # nothing changed in this process and within the second: not even the check

    # This process publishes: seen at once.
    published_algorithm(organisation, name="Afvalroutes")
    assert "Afvalroutes" in text(client.get("/register"))

    # Another process withdraws (simulated: no service call here): seen once the second is over.
    Publication.objects.filter(algorithm=algorithm).update(withdrawn_at=timezone.now())
    assert "Slimme verkeerslichten" in text(client.get("/register"))
    clock[0] += public.FINGERPRINT_SECONDS
    assert "Slimme verkeerslichten" not in text(client.get("/register"))

    # An organisation changed in this process: seen at once.
    core_services.organisation_update(
        actor=None, organisation=organisation, data={"website": "https://www.klokdorp.example/"}
    )
    assert "https://www.klokdorp.example/" in text(client.get("/register/klokdorp"))
