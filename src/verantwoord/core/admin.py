"""Django admin: for platform superusers only, never for organisation roles."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest

from verantwoord.core.audit import audit_record
from verantwoord.core.models import APIToken, AuditRecord, Membership, Organisation, User


def superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = superuser_only  # type: ignore[method-assign]
admin.site.site_header = "Verantwoord"


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Organisation data changes only through the services (pages, API, CLI), so it is always audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "require_two_factor"]
    search_fields = ["name", "slug"]


@admin.register(User)
class VerantwoordUserAdmin(UserAdmin[User]):
    list_display = ["username", "email", "full_name", "is_active", "is_superuser"]
    search_fields = ["username", "email", "full_name"]
    fieldsets = (*UserAdmin.fieldsets, ("Verantwoord", {"fields": ["full_name"]}))  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # Account changes by a platform superuser are audited like every other write (values not kept:
        # the form may hold a password).
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user if isinstance(request.user, User) else None,
                action="user.update" if change else "user.create",
                instance=obj,
                organisation=None,
                changes={"changed_fields": sorted(form.changed_data)},
                reason="Django admin",
            )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label", "organisation"]
    list_filter = ["action", "organisation"]


@admin.register(APIToken)
class APITokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
