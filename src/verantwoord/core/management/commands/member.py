"""`verantwoord member list|add|revoke|reset-2fa`: people and their roles in an organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verantwoord.core import selectors, services
from verantwoord.core.management.commands.organisation import validation_message
from verantwoord.core.management.output import write_json, write_table
from verantwoord.core.models import Membership, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.core.two_factor import two_factor_reset


def member_data(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "username": membership.user.username,
        "email": membership.user.email,
        "fullName": membership.user.full_name,
        "role": membership.role,
    }


class Command(BaseCommand):
    help = "List, add or revoke roles of people in an organisation; reset someone's two-factor login."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--organisation", required=True, metavar="SLUG")
        listing.add_argument("--json", action="store_true")
        add = sub.add_parser("add", help="Give a person a role; the account is made if needed.")
        add.add_argument("--organisation", required=True, metavar="SLUG")
        add.add_argument("--email", required=True)
        add.add_argument("--name", required=True, help="Full name.")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument(
            "--base-url", default="http://127.0.0.1:8000/", help="Site address for the invitation link."
        )
        add.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--organisation", required=True, metavar="SLUG")
        revoke.add_argument("--email", required=True)
        revoke.add_argument("--role", required=True, choices=Role.values)
        revoke.add_argument("--reason", default="")
        reset = sub.add_parser("reset-2fa", help="Remove a person's authenticator (e.g. a lost phone).")
        reset.add_argument("--email", required=True)
        reset.add_argument("--reason", default="")

    def _organisation(self, slug: str) -> Organisation:
        organisation = selectors.organisation_by_slug(slug=slug)
        if organisation is None:
            raise CommandError(f"No organisation with slug {slug!r}. See `verantwoord organisation list`.")
        return organisation

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email!r}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "list":
                members = [
                    member_data(m)
                    for m in selectors.members_of(organisation=self._organisation(options["organisation"]))
                ]
                if options["json"]:
                    write_json(self, members)
                else:
                    write_table(
                        self,
                        ["username", "name", "role"],
                        [[m["username"], m["fullName"], m["role"]] for m in members],
                    )
            elif action == "add":
                membership = services.member_invite(
                    actor=None,
                    organisation=self._organisation(options["organisation"]),
                    email=options["email"],
                    full_name=options["name"],
                    role=options["role"],
                    base_url=options["base_url"],
                    reason="Command line",
                )
                if options["json"]:
                    write_json(self, member_data(membership))
                else:
                    self.stdout.write(
                        self.style.SUCCESS(f"{membership.user.email} is now {membership.role}.")
                    )
            elif action == "revoke":
                found = Membership.objects.filter(
                    organisation=self._organisation(options["organisation"]),
                    user=self._user(options["email"]),
                    role=options["role"],
                ).first()
                if found is None:
                    raise CommandError("That person does not have that role there.")
                services.membership_revoke(actor=None, membership=found, reason=options["reason"])
                self.stdout.write(self.style.SUCCESS("Role revoked."))
            elif action == "reset-2fa":
                removed = two_factor_reset(
                    actor=None, user=self._user(options["email"]), reason=options["reason"]
                )
                self.stdout.write(self.style.SUCCESS(f"Removed {removed} device(s)."))
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
