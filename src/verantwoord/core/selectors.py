"""Reads of core data: organisations, memberships, permissions and the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from verantwoord.core.models import AuditRecord, Membership, Organisation, User
from verantwoord.core.permissions import Permission, roles_allow
from verantwoord.core.roles import Role

AnyUser = User | AnonymousUser


def organisations_public() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def organisation_by_slug(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisations_for_user(*, user: AnyUser) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def user_roles(*, user: AnyUser, organisation: Organisation) -> frozenset[Role]:
    """The roles `user` holds in `organisation`; cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[Role]] = user.__dict__.setdefault("_verantwoord_roles", {})
    if organisation.pk not in cache:
        roles = Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
        cache[organisation.pk] = frozenset(Role(role) for role in roles)
    return cache[organisation.pk]


def user_has_permission(*, user: AnyUser, organisation: Organisation, permission: Permission) -> bool:
    """Whether `user` may do `permission` in `organisation`. Superusers (platform administrators) may do all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return roles_allow(user_roles(user=user, organisation=organisation), permission)


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__username", "role")
    )


def audit_records_of_organisation(*, organisation: Organisation) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(organisation=organisation).order_by("-at", "-id")


def audit_records_of_object(
    *, organisation: Organisation, object_type: str, object_id: str
) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(
        organisation=organisation, object_type=object_type, object_id=object_id
    ).order_by("-at", "-id")


def values_as_of(
    *,
    organisation: Organisation,
    objects: Mapping[int, Model],
    fields: tuple[str, ...],
    moment: datetime.datetime,
) -> dict[int, dict[str, Any]]:
    """The values of `fields` of `objects` (by primary key) at `moment`, rebuilt from the audit trail.

    Records without a history table of their own change only through services that record the field diffs
    ({field: [old, new]}) in the audit trail; undoing the changes made after `moment`, newest first, gives the
    values then. A creation is skipped: whether an object existed is for the caller to decide. Read only."""
    values = {pk: {name: getattr(obj, name) for name in fields} for pk, obj in objects.items()}
    if not objects:
        return values
    object_type = next(iter(objects.values()))._meta.label_lower
    later = (
        AuditRecord.objects.filter(organisation=organisation, object_type=object_type, at__gt=moment)
        .order_by("-at", "-id")
        .values_list("object_id", "action", "changes")
    )
    for object_id, action, changes in later.iterator():
        pk = int(object_id)
        if pk not in values or action.endswith(".create") or not isinstance(changes, dict):
            continue
        for name in fields:
            if name in changes:
                values[pk][name] = changes[name][0]
    return values
