"""The staff menu of an organisation: apps add their entries (in AppConfig.ready), so core needs no knowledge
of the apps built on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verantwoord.core.permissions import Permission


@dataclass(frozen=True)
class StaffMenuItem:
    label: str | Promise
    url_name: str  # takes the organisation slug as `slug`
    permission: Permission
    order: int


_items: list[StaffMenuItem] = []


def register_staff_menu_item(item: StaffMenuItem) -> None:
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda entry: entry.order)


def staff_menu_items() -> list[StaffMenuItem]:
    return list(_items)


CORE_MENU = [
    StaffMenuItem(_("Overview"), "core:dashboard", Permission.VIEW_INTERNAL, 0),
    StaffMenuItem(_("People and roles"), "core:members", Permission.VIEW_MEMBERS, 80),
    StaffMenuItem(_("Audit trail"), "core:audit-trail", Permission.VIEW_AUDIT_TRAIL, 90),
    StaffMenuItem(_("Settings"), "core:organisation-settings", Permission.CHANGE_ORGANISATION, 100),
]


@dataclass(frozen=True)
class PublicMenuItem:
    label: str | Promise
    url_name: str  # takes no arguments
    order: int


_public_items: list[PublicMenuItem] = []


def register_public_menu_item(item: PublicMenuItem) -> None:
    if item not in _public_items:
        _public_items.append(item)
        _public_items.sort(key=lambda entry: entry.order)


def public_menu_items() -> list[PublicMenuItem]:
    return list(_public_items)


CORE_PUBLIC_MENU = [PublicMenuItem(_("Home"), "core:home", 0)]
