"""`verantwoord organisation list|create`: organisations on this installation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.core import selectors, services
from verantwoord.core.management.output import write_json, write_table
from verantwoord.core.models import Organisation, OrganisationKind


def organisation_data(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "contactEmail": organisation.contact_email,
        "website": organisation.website,
        "requireTwoFactor": organisation.require_two_factor,
    }


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "List or create organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="List organisations.")
        listing.add_argument("--json", action="store_true")
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("name", help="Name as used in the national register, e.g. 'Gemeente Utrecht'.")
        create.add_argument("--slug", default="")
        create.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.MUNICIPALITY)
        create.add_argument("--contact-email", default="")
        create.add_argument("--website", default="")
        create.add_argument("--no-two-factor", action="store_true", help="Do not require two-factor login.")
        create.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            organisations = [organisation_data(item) for item in selectors.organisations_public()]
            if options["json"]:
                write_json(self, organisations)
            else:
                write_table(
                    self, ["slug", "name", "kind"], [[o["slug"], o["name"], o["kind"]] for o in organisations]
                )
            return
        try:
            organisation = services.organisation_create(
                actor=None,
                name=options["name"],
                slug=options["slug"],
                kind=options["kind"],
                contact_email=options["contact_email"],
                website=options["website"],
                require_two_factor=not options["no_two_factor"],
                reason="Command line",
            )
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
        if options["json"]:
            write_json(self, organisation_data(organisation))
        else:
            self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.slug})."))
