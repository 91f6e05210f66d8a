"""Writes of core data. Every function takes the acting user and records the change in the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from verantwoord.core.audit import audit_record, field_changes, snapshot
from verantwoord.core.models import APIToken, Membership, Organisation, OrganisationKind, User
from verantwoord.core.roles import Role

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "slug",
    "kind",
    "contact_email",
    "website",
    "logo_url",
    "house_style_css_url",
    "require_two_factor",
)
USER_AUDITED_FIELDS = ("username", "email", "full_name", "is_active")
API_TOKEN_PREFIX = "vw_"  # noqa: S105 — a prefix, not a secret


def _validated(instance: Organisation | User | Membership, exclude: list[str] | None = None) -> None:
    """Run model validation and raise every field error at once."""
    instance.full_clean(exclude=exclude)


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    kind: str = OrganisationKind.MUNICIPALITY,
    contact_email: str = "",
    website: str = "",
    logo_url: str = "",
    house_style_css_url: str = "",
    require_two_factor: bool = True,
    reason: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        slug=slug or slugify(name.replace("Gemeente ", "").replace("gemeente ", "")) or slugify(name),
        kind=kind,
        contact_email=contact_email,
        website=website,
        logo_url=logo_url,
        house_style_css_url=house_style_css_url,
        require_two_factor=require_two_factor,
    )
    _validated(organisation)
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.create",
        instance=organisation,
        organisation=organisation,
        changes=field_changes({}, snapshot(organisation, ORGANISATION_EDITABLE_FIELDS)),
        reason=reason,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, data: Mapping[str, Any], reason: str = ""
) -> Organisation:
    unknown = set(data) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation, ORGANISATION_EDITABLE_FIELDS)
    for name, value in data.items():
        setattr(organisation, name, value)
    _validated(organisation)
    changes = field_changes(before, snapshot(organisation, ORGANISATION_EDITABLE_FIELDS))
    if not changes:
        return organisation
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.update",
        instance=organisation,
        organisation=organisation,
        changes=changes,
        reason=reason,
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str = "",
    username: str = "",
    password: str | None = None,
    organisation: Organisation | None = None,
    reason: str = "",
) -> User:
    """Create a login. Without a password the account has an unusable one until the person sets it."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User(email=email, full_name=full_name.strip(), username=(username or email).strip())
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    _validated(user)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        instance=user,
        organisation=organisation,
        changes=field_changes({}, snapshot(user, USER_AUDITED_FIELDS)),
        reason=reason,
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: User | None, organisation: Organisation, user: User, role: str, reason: str = ""
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    existing = Membership.objects.filter(organisation=organisation, user=user, role=role).first()
    if existing is not None:
        raise ValidationError(
            {
                "role": _("%(user)s already has this role in %(organisation)s.")
                % {"user": user, "organisation": organisation}
            }
        )
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    audit_record(
        actor=actor,
        action="membership.grant",
        instance=membership,
        organisation=organisation,
        changes={"user": [None, user.get_full_name()], "role": [None, role]},
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership, reason: str = "") -> None:
    """Revoke a role. The last beheerder cannot be removed: nobody could manage the organisation after."""
    membership = (
        Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    )
    if membership.role == Role.BEHEERDER:
        beheerders = Membership.objects.filter(
            organisation=membership.organisation, role=Role.BEHEERDER
        ).select_for_update()
        if beheerders.count() <= 1:
            raise ValidationError(
                _(
                    "This is the last functional administrator of %(organisation)s; grant the role to "
                    "someone else first."
                )
                % {"organisation": membership.organisation}
            )
    audit_record(
        actor=actor,
        action="membership.revoke",
        instance=membership,
        organisation=membership.organisation,
        changes={"user": [membership.user.get_full_name(), None], "role": [membership.role, None]},
        reason=reason,
    )
    membership.delete()


def _send_invitation(*, user_pk: int, organisation_pk: int, base_url: str, language: str) -> None:
    user = User.objects.get(pk=user_pk)
    organisation = Organisation.objects.get(pk=organisation_pk)
    with translation.override(language):
        link = base_url.rstrip("/") + reverse(
            "core:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        send_mail(
            subject=_("You have been added to %(organisation)s in Verantwoord")
            % {"organisation": organisation},
            message=_(
                "Hello %(name)s,\n\nYou have been given access to %(organisation)s in Verantwoord.\n"
                "Choose your password with this link (valid for a limited time):\n\n%(link)s\n"
            )
            % {"name": user.get_full_name(), "organisation": organisation, "link": link},
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def member_invite(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    base_url: str,
    reason: str = "",
) -> Membership:
    """Grant `role` to the person with `email`, creating the account (and mailing a set-password link) if new."""
    normalised = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=normalised).first()
    is_new = user is None
    if user is None:
        user = user_create(actor=actor, email=normalised, full_name=full_name, organisation=organisation)
    membership = membership_grant(actor=actor, organisation=organisation, user=user, role=role, reason=reason)
    if is_new:
        user_pk, organisation_pk, language = user.pk, organisation.pk, translation.get_language() or "nl"
        transaction.on_commit(
            lambda: _send_invitation(
                user_pk=user_pk, organisation_pk=organisation_pk, base_url=base_url, language=language
            )
        )
    return membership


def api_token_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> tuple[APIToken, str]:
    """Create a token for `user`; returns the token and the key, which is shown once and never stored."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise ValidationError(_("You can only create API tokens for yourself."))
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name, so you can recognise it later.")})
    raw_key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw_key[:12], key_hash=api_token_hash(raw_key)
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        instance=token,
        organisation=None,
        changes={"name": [None, token.name], "user": [None, user.get_full_name()]},
    )
    return token, raw_key


@transaction.atomic
def api_token_revoke(*, actor: User, token: APIToken) -> APIToken:
    token = APIToken.objects.select_for_update().get(pk=token.pk)
    if actor.pk != token.user_id and not actor.is_superuser:
        raise ValidationError(_("You can only revoke your own API tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            instance=token,
            organisation=None,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token
