"""What the register adds to the AI policy: compliance checks on publication in the algorithm register, and the
live block of section 5 (the register's figures by status, publication category and AI Act class)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.core.selectors import values_as_of
from verantwoord.policy.checklist import ITEMS_LISTED, CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.choices import AIActRiskClass, PublicationCategory, RegisterStatus
from verantwoord.register.models import Algorithm, Publication
from verantwoord.register.standard import standard
from verantwoord.register.validation import missing_required_fields

# The fields whose value at a past moment the live block rebuilds from the audit trail.
HISTORY_FIELDS = ("status", "publication_category", "ai_act_risk_class", "archived_at")


def _edit_url(organisation: Organisation, algorithm_id: int) -> str:
    return reverse("register-staff:edit", kwargs={"slug": organisation.slug, "algorithm_id": algorithm_id})


def _detail_url(organisation: Organisation, algorithm_id: int) -> str:
    return reverse("register-staff:detail", kwargs={"slug": organisation.slug, "algorithm_id": algorithm_id})


def _list_url(organisation: Organisation) -> str:
    return reverse("register-staff:list", kwargs={"slug": organisation.slug})


def _public_now() -> Q:
    return Q(is_current=True, withdrawn_at__isnull=True)


def in_use_not_published(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """In use, not archived, not in the category whose publication is voluntary, and no public version."""
    del today
    public = Publication.objects.filter(_public_now(), algorithm=OuterRef("pk"))
    algorithms = list(
        Algorithm.objects.filter(
            organisation=organisation, status=RegisterStatus.IN_USE, archived_at__isnull=True
        )
        .exclude(publication_category=PublicationCategory.OTHER)
        .exclude(Exists(public))
        .order_by("name", "pk")
    )
    return CheckOutcome(
        count=len(algorithms),
        items=[ConcernedItem(a.name, _detail_url(organisation, a.pk)) for a in algorithms[:ITEMS_LISTED]],
    )


def published_incomplete(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """Public versions (imports are published exactly as the source had them) that lack required fields."""
    del today
    spec = standard()
    language = translation.get_language() or "nl"
    concerned: list[tuple[Publication, list[str]]] = []
    for publication in Publication.objects.filter(_public_now(), organisation=organisation).order_by(
        "name", "pk"
    ):
        missing = missing_required_fields(publication.content)
        if missing:
            concerned.append((publication, missing))
    return CheckOutcome(
        count=len(concerned),
        items=[
            ConcernedItem(
                _("%(name)s: missing %(fields)s")
                % {
                    "name": publication.name,
                    "fields": ", ".join(spec.field(key).title(language) for key in missing),
                },
                _edit_url(organisation, publication.algorithm_id),
            )
            for publication, missing in concerned[:ITEMS_LISTED]
        ],
    )


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="register.in_use_not_published",
        title=gettext_lazy("Algorithms in use that are not in the public register"),
        explanation=gettext_lazy(
            "Residents have a right to know which impactful algorithms and high-risk AI systems the municipality "
            "uses. Complete the record of these algorithms and publish it in the algorithm register. Publishing "
            "algorithms in the category 'other' is voluntary, so they are not counted."
        ),
        source=gettext_lazy(
            "AI Act art. 49(3) (registration of high-risk AI by public bodies); Handreiking Algoritmeregister"
        ),
        severity=Severity.HIGH,
        run=in_use_not_published,
        fix_url=_list_url,
    ),
    ComplianceCheck(
        key="register.published_incomplete",
        title=gettext_lazy("Published register entries missing required fields"),
        explanation=gettext_lazy(
            "A public entry must fill in every required field of the national publication standard, or the "
            "national register cannot take it over. Fill in the missing fields and publish the entry again."
        ),
        source=gettext_lazy("Publication standard algorithm register 1.0 (required fields)"),
        severity=Severity.LOW,
        run=published_incomplete,
        fix_url=_list_url,
    ),
]


@dataclass(frozen=True)
class AlgorithmAsOf:
    """An algorithm's register values at a past moment."""

    algorithm_id: int
    name: str
    status: str
    publication_category: str
    ai_act_risk_class: str


def algorithms_as_of(organisation: Organisation, moment: datetime.datetime) -> list[AlgorithmAsOf]:
    """The algorithms in the register (created by `moment`, not archived then) with their status, publication
    category and AI Act class then (see `values_as_of`)."""
    current = {
        algorithm.pk: algorithm
        for algorithm in Algorithm.objects.filter(organisation=organisation, created_at__lte=moment)
    }
    values = values_as_of(organisation=organisation, objects=current, fields=HISTORY_FIELDS, moment=moment)
    return sorted(
        (
            AlgorithmAsOf(
                pk,
                current[pk].name,
                str(row["status"] or ""),
                str(row["publication_category"] or ""),
                str(row["ai_act_risk_class"] or ""),
            )
            for pk, row in values.items()
            if row["archived_at"] is None
        ),
        key=lambda a: (a.name, a.algorithm_id),
    )


def publications_as_of(organisation: Organisation, moment: datetime.datetime) -> list[Publication]:
    """Per algorithm, the version that was public at `moment`: the latest published by then and not withdrawn
    by then (published versions are immutable, so this is exact)."""
    latest: dict[int, Publication] = {}
    published = Publication.objects.filter(organisation=organisation, published_at__lte=moment).order_by(
        "algorithm_id", "version"
    )
    for publication in published:
        latest[publication.algorithm_id] = publication
    return [
        publication
        for publication in latest.values()
        if publication.withdrawn_at is None or publication.withdrawn_at > moment
    ]


def _label(choices: type[Any], value: str, empty: str) -> str:
    if not value:
        return empty
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _figures(
    caption: str,
    header: str,
    choices: type[Any],
    register: Counter[str],
    public: Counter[str],
    empty: str,
) -> Table:
    order = [str(value) for value in choices.values]
    keys = order + sorted((set(register) | set(public)) - set(order))
    rows = [
        [_label(choices, key, empty), str(register[key]), str(public[key])]
        for key in keys
        if register[key] or public[key]
    ]
    rows.append([_("Total"), str(sum(register.values())), str(sum(public.values()))])
    return Table(caption, [header, _("In the register"), _("Published")], rows)


def register_figures_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 5: the register's figures at `moment`. "In the register" counts the algorithms that existed and
    were not archived then, with their status, category and class then (rebuilt from the audit trail);
    "Published" counts the versions that were public then."""
    algorithms = algorithms_as_of(organisation, moment)
    publications = publications_as_of(organisation, moment)
    not_set = _("Not filled in")
    return LiveContent(
        paragraphs=[
            _(
                "On %(date)s the register held %(count)s algorithms; %(published)s of them were published in the "
                "public algorithm register."
            )
            % {
                "date": date_format(moment.date(), "DATE_FORMAT"),
                "count": len(algorithms),
                "published": len(publications),
            }
        ],
        tables=[
            _figures(
                _("Algorithms by status"),
                _("Status"),
                RegisterStatus,
                Counter(a.status for a in algorithms),
                Counter(p.status for p in publications),
                not_set,
            ),
            _figures(
                _("Algorithms by publication category"),
                _("Publication category"),
                PublicationCategory,
                Counter(a.publication_category for a in algorithms),
                Counter(p.publication_category for p in publications),
                not_set,
            ),
            _figures(
                _("Algorithms by AI Act risk class"),
                _("AI Act risk class"),
                AIActRiskClass,
                Counter(a.ai_act_risk_class for a in algorithms),
                Counter(p.ai_act_risk_class for p in publications),
                _("Not yet classified"),
            ),
        ],
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="register.figures",
        section=5,
        title=gettext_lazy("The algorithm register in figures"),
        build=register_figures_block,
        order=20,
    )
]
