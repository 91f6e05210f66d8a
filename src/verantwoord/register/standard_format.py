"""An algorithm as the standard's record: the submission API's body (keys of the standard, Dutch values).

Used to freeze a publication, and by the exports; importing/normalise.py is the way back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from verantwoord.register.choices import LinkGroup
from verantwoord.register.models import Algorithm
from verantwoord.register.standard import standard

# Text-like keys that map one to one onto model fields.
DIRECT_KEYS = (
    "name",
    "description_short",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "process_index_url",
    "impacttoetsen",
    "source_data",
    "methods_and_models",
    "provider",
    "publiccode",
    "tags",
    "source_id",
    "lang",
    "standard_version",
)
LINK_KEYS = tuple(group.value for group in LinkGroup)

# Links other areas add to a grouping field of the public record (a published assessment summary adds itself to
# impacttoetsen_grouping); registered in AppConfig.ready, frozen with the next publication like every field.
LinkContributor = Callable[[Algorithm], list[dict[str, str]]]
_link_contributors: dict[str, tuple[str, LinkContributor]] = {}


def register_link_contributor(name: str, group: str, contributor: LinkContributor) -> None:
    _link_contributors[name] = (group, contributor)


def links_of(algorithm: Algorithm) -> dict[str, list[dict[str, str]]]:
    """{group key: [{title, link}, …]}, using prefetched links when present."""
    grouped: dict[str, list[dict[str, str]]] = {key: [] for key in LINK_KEYS}
    if algorithm.pk is None:
        return grouped
    for item in sorted(algorithm.links.all(), key=lambda link: (link.group, link.position, link.pk or 0)):
        grouped[item.group].append({"title": item.title, "link": item.link})
    return grouped


def algorithm_record(algorithm: Algorithm) -> dict[str, Any]:
    """The public record in the standard's key order, with the register's Dutch values."""
    spec = standard()
    status = spec.choice_by_code("status", algorithm.status)
    category = spec.choice_by_code("publication_category", algorithm.publication_category)
    # Unknown codes are kept as they are, so validation can report them rather than lose them.
    themes = [theme.value if (theme := spec.theme_by_label(code)) else code for code in algorithm.themes]
    links = links_of(algorithm)
    if algorithm.pk is not None:
        for name in sorted(_link_contributors):
            group, contributor = _link_contributors[name]
            links[group].extend(item for item in contributor(algorithm) if item not in links[group])
    values: dict[str, Any] = {key: getattr(algorithm, key) for key in DIRECT_KEYS}
    values.update(
        {
            "organization": algorithm.organisation.name,
            "category": themes,
            "status": status.value if status else "",
            "publication_category": category.value if category else "",
            **links,
            "lars": algorithm.lars,
            "publication_dt": None,
        }
    )
    return {key: values[key] for key in spec.keys}
