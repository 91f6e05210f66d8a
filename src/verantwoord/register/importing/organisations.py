"""Which organisation a row belongs to: by the name in the file, looked up once per import and kept in memory."""

from __future__ import annotations

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from verantwoord.core.models import Organisation, OrganisationKind, User
from verantwoord.core.services import organisation_create
from verantwoord.register.importing.report import RowError

SLUG_MAX_LENGTH = Organisation._meta.get_field("slug").max_length or 80
MUNICIPALITY = re.compile(r"^gemeente\b", re.IGNORECASE)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def slug_for(name: str, taken: set[str]) -> str:
    """The slug `organisation_create` would choose ("Gemeente Utrecht" → "utrecht"), unique with a suffix."""
    base = slugify(re.sub(r"^gemeente\s+", "", name, flags=re.IGNORECASE)) or slugify(name) or "organisatie"
    base = base[: SLUG_MAX_LENGTH - 4].strip("-")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class OrganisationResolver:
    """Finds (or, when allowed, creates) the organisation of each row.

    All organisations are read once; those created during the import are added as they are made. A created
    organisation is forgotten again when its row fails (its transaction is rolled back): see `forget_pending`.
    """

    def __init__(self, *, given: Organisation | None, create: bool, actor: User | None, reason: str) -> None:
        self.given, self.create, self.actor, self.reason = given, create, actor, reason
        self.by_name: dict[str, Organisation] = {}
        self.slugs: set[str] = set()
        if given is None:
            for organisation in Organisation.objects.all():
                self.by_name[name_key(organisation.name)] = organisation
                self.slugs.add(organisation.slug)
        self.pending: list[Organisation] = []

    def resolve(self, name: str | None, warnings: list[tuple[str | None, str]]) -> Organisation:
        """The organisation for a row whose organisation field holds `name` (None: the row has no such field)."""
        if self.given is not None:
            if name is None:
                return self.given
            if not name:
                warnings.append(
                    (
                        "organization",
                        _("No organisation in this row; imported for %(organisation)s.")
                        % {"organisation": self.given.name},
                    )
                )
                return self.given
            if name_key(name) != name_key(self.given.name):
                raise RowError(
                    "organization",
                    _("This row is for %(name)s; only rows of %(organisation)s are imported.")
                    % {"name": name, "organisation": self.given.name},
                )
            return self.given
        if not name:
            raise RowError("organization", _("The row names no organisation."))
        found = self.by_name.get(name_key(name))
        if found is not None:
            return found
        if not self.create:
            raise RowError(
                "organization",
                _("Unknown organisation: %(name)s. Create it first, or let the import create organisations.")
                % {"name": name},
            )
        organisation = organisation_create(
            actor=self.actor,
            name=name,
            slug=slug_for(name, self.slugs),
            kind=OrganisationKind.MUNICIPALITY if MUNICIPALITY.match(name) else OrganisationKind.OTHER,
            reason=self.reason,
        )
        self.by_name[name_key(name)] = organisation
        self.slugs.add(organisation.slug)
        self.pending.append(organisation)
        return organisation

    def commit_pending(self) -> None:
        self.pending.clear()

    def forget_pending(self) -> None:
        """The row failed and its transaction was rolled back: the organisations it created no longer exist."""
        for organisation in self.pending:
            self.by_name.pop(name_key(organisation.name), None)
            self.slugs.discard(organisation.slug)
        self.pending.clear()
