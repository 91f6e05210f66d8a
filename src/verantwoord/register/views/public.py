"""Public pages of the register (residents; no login): the register with search and filters, an organisation's
algorithms, one algorithm as the standard publishes it, its earlier versions, and the open-data downloads.

Everything here reads through the public selectors (`public_publications`, `public_publication`,
`public_history`, `public_version`): only the frozen content of current, not withdrawn publications.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache as page_cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verantwoord import __version__
from verantwoord.core import selectors as core_selectors
from verantwoord.core.models import Organisation
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.register import exporting, search
from verantwoord.register.choices import AIActRiskClass
from verantwoord.register.models import Publication
from verantwoord.register.public_links import organisation_public_links
from verantwoord.register.selectors import (
    public_history,
    public_publication,
    public_publications,
    public_version,
)
from verantwoord.register.standard import StandardField, standard
from verantwoord.register.text import visible_text

PAGE_SIZE = 20
SUMMARY_LENGTH = 280
SORTS = ("name", "-published", "organisation")
# The standard's fields, in its order, in sections a resident can scan (headings and an "on this page" menu).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "general",
        (
            "name",
            "organization",
            "description_short",
            "category",
            "status",
            "begin_date",
            "end_date",
            "contact_email",
            "website",
            "publication_category",
            "url",
        ),
    ),
    ("responsible-use", ("goal", "proportionality", "human_intervention", "risks")),
    (
        "law-and-assessments",
        (
            "lawful_basis",
            "lawful_basis_grouping",
            "process_index_url",
            "impacttoetsen_grouping",
            "impacttoetsen",
        ),
    ),
    ("operation", ("source_data", "source_data_grouping", "methods_and_models", "provider", "publiccode")),
    ("metadata", ("tags", "source_id", "lang", "standard_version", "lars", "publication_dt")),
)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[a-z]{2,}", re.IGNORECASE)
MONTH = re.compile(r"(\d{4})-(\d{2})")
BLOCK_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|ul|ol)>", re.IGNORECASE)
LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def section_titles() -> dict[str, str]:
    return {
        "general": _("General information"),
        "responsible-use": _("Responsible use"),
        "law-and-assessments": _("Law and impact assessments"),
        "operation": _("How it works"),
        "metadata": _("About this publication"),
    }


# --- Labels in the current language ------------------------------------------------------------------------


def _language() -> str:
    return get_language() or "nl"


@dataclass(frozen=True)
class Labels:
    """The standard's values as a resident reads them, in one language (built once per language)."""

    status: dict[str, str]
    category: dict[str, str]
    themes: dict[str, str]
    # Published content holds Dutch values; these map them (and English ones) to the language's label.
    status_by_value: dict[str, str]
    category_by_value: dict[str, str]
    theme_by_value: dict[str, str]
    lang_by_value: dict[str, str]


@cache
def labels(language: str) -> Labels:
    spec = standard()
    english = language.startswith("en")

    def label(choice: Any) -> str:
        return str(choice.en if english else choice.value)

    def by_value(choices: Any) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for choice in choices:
            for key in (choice.value, choice.en, choice.code):
                mapping[key.casefold()] = label(choice)
        return mapping

    with override(language):
        # The standard's language code ("nld") as the name of the language.
        lang = {choice.value.casefold(): _(choice.en) for choice in spec.choices["lang"]}
    return Labels(
        status={choice.code: label(choice) for choice in spec.choices["status"]},
        category={choice.code: label(choice) for choice in spec.choices["publication_category"]},
        themes={theme.code: label(theme) for theme in spec.themes},
        status_by_value=by_value(spec.choices["status"]),
        category_by_value=by_value(spec.choices["publication_category"]),
        theme_by_value=by_value(spec.themes),
        lang_by_value=lang,
    )


# --- Filters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    """The list's query string, with unknown values dropped (a bad link shows everything, never an error)."""

    query: str = ""
    theme: str = ""
    status: str = ""
    category: str = ""
    organisation: str = ""
    risk: str = ""
    sort: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> RegisterFilters:
        spec = standard()

        def known(name: str, allowed: set[str]) -> str:
            value = request.GET.get(name, "")
            return value if value in allowed else ""

        organisation = request.GET.get("organisation", "")
        return cls(
            # Control characters (a NUL breaks PostgreSQL) go; runs of spaces become one.
            query=" ".join(CONTROL.sub(" ", request.GET.get("q", "")).split())[:200],
            theme=known("theme", {theme.code for theme in spec.themes}),
            status=known("status", {choice.code for choice in spec.choices["status"]}),
            category=known("category", {choice.code for choice in spec.choices["publication_category"]}),
            organisation=organisation if SLUG.fullmatch(organisation) else "",
            risk=known("risk", set(AIActRiskClass.values)),
            sort=known("sort", set(SORTS)),
        )

    @property
    def active(self) -> bool:
        return any((self.query, self.theme, self.status, self.category, self.organisation, self.risk))

    def query_string(self) -> str:
        """The filters as a query string (for page and download links), without empty values."""
        values = {
            "q": self.query,
            "theme": self.theme,
            "status": self.status,
            "category": self.category,
            "organisation": self.organisation,
            "risk": self.risk,
            "sort": self.sort,
        }
        return urlencode({key: value for key, value in values.items() if value})

    def publications(self, organisation: Organisation | None) -> QuerySet[Publication]:
        return public_publications(
            organisation=organisation,
            query=self.query,
            theme=self.theme,
            status=self.status,
            publication_category=self.category,
            ai_act_risk_class=self.risk,
            sort=self.sort,
        ).defer("search_document")


def _organisation_filter(filters: RegisterFilters) -> Organisation | None:
    if not filters.organisation:
        return None
    return core_selectors.organisation_by_slug(slug=filters.organisation)


# --- Rows and fields ------------------------------------------------------------------------------------------


def plain_text(value: Any) -> str:
    """Published text as plain text with its paragraphs: imported records may hold HTML; pages show it as text
    (the template escapes it), keeping line breaks and list items readable."""
    text = LIST_ITEM.sub("\n• ", SCRIPT.sub("", str(value or "")))
    text = html.unescape(strip_tags(BLOCK_BREAK.sub("\n", text)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _month(value: str) -> date | str:
    match = MONTH.fullmatch(value.strip())
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return value


def _datetime(value: str) -> datetime | str:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


def _is_web_address(value: Any) -> bool:
    """Only http(s) addresses become links: imported records are published as they came."""
    return isinstance(value, str) and value.strip().lower().startswith(("https://", "http://"))


def _field(field: StandardField, value: Any, names: Labels, organisation_url: str) -> dict[str, Any]:
    """One field as the template shows it: its label, a `kind` that picks the markup, and its value."""
    row: dict[str, Any] = {
        "key": field.key,
        "label": field.title(_language()),
        "kind": "text",
        "value": value,
    }
    if value in (None, "", []):
        row["kind"] = "empty"
    elif field.key == "organization":
        row.update(kind="organisation", url=organisation_url)
    elif field.type == "themes":
        row.update(
            kind="list", value=[names.theme_by_value.get(str(item).casefold(), str(item)) for item in value]
        )
    elif field.type == "choice":
        mapping = {
            "status": names.status_by_value,
            "publication_category": names.category_by_value,
            "lang": names.lang_by_value,
        }.get(field.choices or "", {})
        row["value"] = mapping.get(str(value).casefold(), str(value))
    elif field.type == "month":
        parsed = _month(str(value))
        row.update(kind="month" if isinstance(parsed, date) else "text", value=parsed)
    elif field.type == "url":
        row.update(kind="url" if _is_web_address(value) else "text", value=str(value).strip())
    elif field.type == "links":
        items = [
            {
                "title": plain_text(item.get("title") or item.get("link")),
                "url": str(item.get("link") or "").strip() if _is_web_address(item.get("link")) else "",
            }
            for item in value
            if isinstance(item, dict) and (item.get("title") or item.get("link"))
        ]
        row.update(kind="links" if items else "empty", value=items)
    elif field.key == "publication_dt":
        parsed_dt = _datetime(str(value))
        row.update(kind="date" if isinstance(parsed_dt, datetime) else "text", value=parsed_dt)
    elif field.key == "contact_email" and EMAIL.fullmatch(str(value).strip()):
        row.update(kind="email", value=str(value).strip())
    else:
        row["value"] = plain_text(value)
    return row


def record_sections(publication: Publication, organisation_url: str) -> list[dict[str, Any]]:
    """The publication's content, every field of the standard in its order, grouped in sections."""
    spec = standard()
    names = labels(_language())
    titles = section_titles()
    content = publication.content
    return [
        {
            "id": section_id,
            "title": titles[section_id],
            "fields": [_field(spec.field(key), content.get(key), names, organisation_url) for key in keys],
        }
        for section_id, keys in SECTIONS
    ]


def _rows(publications: list[Publication], names: Labels, prefix: str) -> list[dict[str, Any]]:
    """What the list shows of each publication. `prefix` is the register's own URL (/register or
    /en/register), so rows need no URL resolving of their own."""
    rows = []
    for publication in publications:
        organisation = publication.organisation
        summary = visible_text(str(publication.content.get("description_short") or ""))
        rows.append(
            {
                "name": publication.name,
                "url": f"{prefix}/{organisation.slug}/{publication.algorithm_id}",
                "organisation": organisation.name,
                "summary": _shortened(summary, SUMMARY_LENGTH),
                "status": names.status.get(publication.status, publication.status),
                "category": names.category.get(publication.publication_category, ""),
                "themes": [
                    names.themes[code]
                    for code in publication.themes.strip("|").split("|")
                    if code in names.themes
                ],
                "published_at": publication.published_at,
            }
        )
    return rows


def _shortened(text: str, length: int) -> str:
    """At most `length` characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _page(request: HttpRequest, publications: QuerySet[Publication]) -> Page[Publication]:
    return Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_numbers(page: Page[Publication]) -> list[int | str]:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def options_html(options: Any, selected: str) -> SafeString:
    """`<option>` elements for (value, label) pairs, escaped; plain string building, as there may be hundreds."""
    return mark_safe(  # noqa: S308 — every value and label is escaped here
        "".join(
            f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
            f"{html.escape(label)}</option>"
            for value, label in options
        )
    )


def _is_htmx_fragment(request: HttpRequest) -> bool:
    """htmx asks for the results only; a history restore (back button with an empty cache) wants a page."""
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


# --- Page cache -------------------------------------------------------------------------------------------

# Seconds a rendered page is kept; 0 switches the cache off. The fingerprint in the key makes a page stale at
# once when the register changes, so this only bounds what the fingerprint cannot see (a deploy, a hand edit).
PAGE_CACHE_SECONDS = 600
# Seconds one process trusts the fingerprint it last read: other processes' changes show within this time.
FINGERPRINT_SECONDS = 1.0
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Count and highest id apart: the highest id is found without reading the index, the count reads only the index.
FINGERPRINT_SQL = (
    "SELECT public_count.total, public_last.id, organisation_stats.total, organisation_stats.changed FROM "
    "(SELECT COUNT(*) AS total FROM ({publications}) AS p) AS public_count, "
    "(SELECT MAX(id) AS id FROM ({publications}) AS p) AS public_last, "
    "(SELECT COUNT(*) AS total, MAX(updated_at) AS changed FROM ({organisations}) AS o) AS organisation_stats"
)


@dataclass
class _Memo:
    fingerprint: str = ""
    read_at: float = float("-inf")
    changes: int = -1


_memo = _Memo()
_clock = time.monotonic  # replaced in tests


def register_fingerprint() -> str:
    """Changes whenever a public page may change. Public publications are immutable, a newly public one has a
    higher id than any before it and a withdrawn one lowers the count, so (count, highest id) of the public
    publications changes with every publication, supersession and withdrawal; the organisations' count and
    last change cover their names and contact details.

    Read from the database at most once per FINGERPRINT_SECONDS per process, and at once after this process
    published, withdrew or changed an organisation; never remembered from inside a transaction (which may see
    what others do not)."""
    now = _clock()
    if (
        now - _memo.read_at < FINGERPRINT_SECONDS
        and _memo.changes == _process_changes()
        and not connection.in_atomic_block
    ):
        return _memo.fingerprint
    changes = _process_changes()
    sql, params = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    fingerprint = "-".join(str(value) for value in row)
    if not connection.in_atomic_block:
        _memo.fingerprint, _memo.read_at, _memo.changes = fingerprint, now, changes
    return fingerprint


_organisation_changes = 0


def _process_changes() -> int:
    return search.changes() + _organisation_changes


@receiver(post_save, sender=Organisation)
def _organisation_saved(**kwargs: Any) -> None:
    global _organisation_changes
    _organisation_changes += 1


@cache
def _fingerprint_sql() -> tuple[str, tuple[Any, ...]]:
    """One statement over the public selectors' own queries, compiled once: building them with the ORM on every
    request would cost more than running them. (The partial index of migration 0002 makes the count cheap.)"""
    publications, publication_params = public_publications().order_by().values("id").query.sql_with_params()
    organisations, organisation_params = (
        core_selectors.organisations_public().order_by().values("id", "updated_at").query.sql_with_params()
    )
    sql = FINGERPRINT_SQL.replace("{publications}", publications).replace("{organisations}", organisations)
    return sql, (*publication_params, *publication_params, *organisation_params)


def _page_cache_key(request: HttpRequest) -> str:
    variant = "fragment" if _is_htmx_fragment(request) else "page"
    parts = (__version__, register_fingerprint(), _language(), variant, request.get_full_path())
    return "register-public:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the cache while the register is unchanged.

    Pages are the same for every visitor, except a visitor with a session (staff) or pending messages: they
    are neither served from nor stored in the cache, so no message ever reaches someone else.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if PAGE_CACHE_SECONDS <= 0 or any(name in request.COOKIES for name in PRIVATE_COOKIES):
            return view(request, *args, **kwargs)
        key = _page_cache_key(request)
        cached = page_cache.get(key)
        if cached is not None:
            content, content_type, vary = cached
            response = HttpResponse(content, content_type=content_type)
            if vary:
                response["Vary"] = vary
            return response
        response = view(request, *args, **kwargs)
        personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # e.g. a form's token
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not personal
        ):
            page_cache.set(
                key,
                (response.content, response["Content-Type"], response.get("Vary", "")),
                PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper


# --- Pages --------------------------------------------------------------------------------------------------


@require_safe
@cached_page
def register_list(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilters.from_request(request)
    organisation = _organisation_filter(filters)
    if filters.organisation and organisation is None:
        filters = replace(filters, organisation="")
    page = _page(request, filters.publications(organisation))
    names = labels(_language())
    prefix = reverse("register-public:list")
    query_string = filters.query_string()
    context: dict[str, Any] = {
        "filters": filters,
        "page": page,
        "page_numbers": _page_numbers(page),
        "rows": _rows(list(page.object_list), names, prefix),
        "query_string": query_string,
        "downloads": {
            "csv": f"{reverse('register-public:export-csv')}{'?' + query_string if query_string else ''}",
            "json": f"{reverse('register-public:export-json')}{'?' + query_string if query_string else ''}",
        },
    }
    if _is_htmx_fragment(request):
        context["fragment"] = True
        response = render(request, "register/public/includes/results.html", context)
    else:
        everything = public_publications()
        organisations = (
            everything.order_by("organisation__name")
            .values_list("organisation__slug", "organisation__name")
            .distinct()
        )
        risk_codes = set(
            everything.exclude(ai_act_risk_class="")
            .order_by()
            .values_list("ai_act_risk_class", flat=True)
            .distinct()
        )
        context.update(
            themes=sorted(names.themes.items(), key=lambda item: item[1]),
            statuses=list(names.status.items()),
            categories=list(names.category.items()),
            # Hundreds of organisations: built here, a template loop of that size costs more than the rest.
            organisation_options=options_html(organisations, filters.organisation),
            risks=[(code, label) for code, label in AIActRiskClass.choices if code in risk_codes],
            sorts=[
                ("name", _("Name (A-Z)")),
                ("-published", _("Newest published first")),
                ("organisation", _("Organisation (A-Z)")),
            ],
        )
        response = render(request, "register/public/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _organisation_or_404(slug: str) -> Organisation:
    organisation = core_selectors.organisation_by_slug(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


@require_safe
@cached_page
def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    page = _page(request, public_publications(organisation=organisation).defer("search_document"))
    prefix = reverse("register-public:list")
    return render(
        request,
        "register/public/organisation.html",
        {
            "organisation": organisation,
            "page": page,
            "page_numbers": _page_numbers(page),
            "rows": _rows(list(page.object_list), labels(_language()), prefix),
            "query_string": "",
            "search_url": f"{prefix}?{urlencode({'organisation': organisation.slug})}",
            "public_links": organisation_public_links(organisation),
            "downloads": {
                "csv": reverse("register-public:organisation-export-csv", kwargs={"slug": slug}),
                "json": reverse("register-public:organisation-export-json", kwargs={"slug": slug}),
            },
        },
    )


def _current_or_404(slug: str, algorithm_id: int) -> Publication:
    publication = public_publication(organisation_slug=slug, algorithm_id=algorithm_id)
    if publication is None:
        raise Http404
    return publication


def _record_page(
    request: HttpRequest, *, current: Publication, shown: Publication, template: str
) -> HttpResponse:
    slug, algorithm_id = current.organisation.slug, current.algorithm_id
    organisation_url = reverse("register-public:organisation", kwargs={"slug": slug})
    arguments = {"slug": slug, "algorithm_id": algorithm_id}
    return render(
        request,
        template,
        {
            "publication": shown,
            "current": current,
            "organisation": current.organisation,
            "organisation_url": organisation_url,
            "sections": record_sections(shown, organisation_url),
            "contact": _field(
                standard().field("contact_email"),
                shown.content.get("contact_email"),
                labels(_language()),
                organisation_url,
            ),
            "detail_url": reverse("register-public:detail", kwargs=arguments),
            "history_url": reverse("register-public:history", kwargs=arguments),
            "downloads": {
                "csv": reverse("register-public:detail-export-csv", kwargs=arguments),
                "json": reverse("register-public:detail-export-json", kwargs=arguments),
            },
        },
    )


@require_safe
@cached_page
def algorithm_detail(request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
    publication = _current_or_404(slug, algorithm_id)
    return _record_page(
        request, current=publication, shown=publication, template="register/public/detail.html"
    )


@require_safe
@cached_page
def algorithm_history(request: HttpRequest, slug: str, algorithm_id: int) -> HttpResponse:
    publication = _current_or_404(slug, algorithm_id)
    versions = list(public_history(publication=publication).only("version", "published_at", "is_current"))
    return render(
        request,
        "register/public/history.html",
        {
            "publication": publication,
            "organisation": publication.organisation,
            "organisation_url": reverse("register-public:organisation", kwargs={"slug": slug}),
            "detail_url": reverse(
                "register-public:detail", kwargs={"slug": slug, "algorithm_id": algorithm_id}
            ),
            "versions": [
                {
                    "version": version.version,
                    "published_at": version.published_at,
                    "is_current": version.pk == publication.pk,
                    "url": reverse(
                        "register-public:version",
                        kwargs={"slug": slug, "algorithm_id": algorithm_id, "version": version.version},
                    ),
                }
                for version in versions
            ],
        },
    )


@require_safe
@cached_page
def algorithm_version(request: HttpRequest, slug: str, algorithm_id: int, version: int) -> HttpResponse:
    publication = _current_or_404(slug, algorithm_id)
    shown = public_version(publication=publication, version=version)
    if shown is None:
        raise Http404
    shown.organisation = publication.organisation  # the same organisation; saves a query
    return _record_page(request, current=publication, shown=shown, template="register/public/version.html")


# --- Downloads ----------------------------------------------------------------------------------------------

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _download(publications: QuerySet[Publication], *, filename: str, file_format: str) -> HttpResponse:
    body = exporting.export_csv(publications) if file_format == "csv" else exporting.export_json(publications)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@require_safe
def register_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The whole register, or what the list's filters select (the list's download links pass them on)."""
    filters = RegisterFilters.from_request(request)
    organisation = _organisation_filter(filters)
    if filters.organisation and organisation is None:
        filters = replace(filters, organisation="")
    return _download(
        filters.publications(organisation), filename="algoritmeregister", file_format=file_format
    )


@require_safe
def organisation_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    return _download(
        public_publications(organisation=organisation),
        filename=f"algoritmeregister-{organisation.slug}",
        file_format=file_format,
    )


@require_safe
def algorithm_export(request: HttpRequest, slug: str, algorithm_id: int, file_format: str) -> HttpResponse:
    publication = _current_or_404(slug, algorithm_id)
    publications = public_publications(organisation=publication.organisation).filter(pk=publication.pk)
    return _download(publications, filename=f"algoritme-{slug}-{algorithm_id}", file_format=file_format)


def _endpoint(label: str, url_name: str, arguments: tuple[str, ...]) -> Endpoint:
    return Endpoint(label, "page", "GET", f"register-public:{url_name}", Access.PUBLIC, arguments)


ALGORITHM = ("slug", "algorithm_id")
PUBLIC_ENDPOINTS: list[Endpoint] = [
    _endpoint("Public register", "list", ()),
    _endpoint("Public register (CSV download)", "export-csv", ()),
    _endpoint("Public register (JSON download)", "export-json", ()),
    _endpoint("Public register of an organisation", "organisation", ("slug",)),
    _endpoint("Public register of an organisation (CSV download)", "organisation-export-csv", ("slug",)),
    _endpoint("Public register of an organisation (JSON download)", "organisation-export-json", ("slug",)),
    _endpoint("Published algorithm", "detail", ALGORITHM),
    _endpoint("Published algorithm (CSV download)", "detail-export-csv", ALGORITHM),
    _endpoint("Published algorithm (JSON download)", "detail-export-json", ALGORITHM),
    _endpoint("Published versions of an algorithm", "history", ALGORITHM),
    _endpoint("One published version of an algorithm", "version", (*ALGORITHM, "version")),
]
