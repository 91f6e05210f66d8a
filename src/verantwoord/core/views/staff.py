"""Internal pages of the core: the staff home, an organisation's dashboard, settings, members, audit trail."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from verantwoord.core import selectors, services
from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.forms import MemberInviteForm, OrganisationForm, RevokeForm
from verantwoord.core.models import Organisation
from verantwoord.core.permissions import Permission
from verantwoord.core.services import ORGANISATION_EDITABLE_FIELDS

AUDIT_PAGE_SIZE = 50


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.organisations_for_user(user=request.user))
    if len(organisations) == 1:
        return HttpResponseRedirect(reverse("core:dashboard", kwargs={"slug": organisations[0].slug}))
    return render(request, "core/staff/home.html", {"organisations": organisations})


class DashboardView(OrganisationView):
    permission = Permission.VIEW_INTERNAL

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        roles = selectors.user_roles(user=request.user, organisation=self.organisation)
        return render(
            request,
            "core/staff/dashboard.html",
            self.base_context(
                roles=sorted(role.label for role in roles),
                member_count=selectors.members_of(organisation=self.organisation).count(),
            ),
        )


class OrganisationSettingsView(OrganisationView):
    permission = Permission.CHANGE_ORGANISATION
    write_permission = Permission.CHANGE_ORGANISATION

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render(OrganisationForm(instance=self.organisation))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        # A fresh instance, so a failed validation does not change the one the layout shows.
        form = OrganisationForm(request.POST, instance=Organisation.objects.get(pk=self.organisation.pk))
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ORGANISATION_EDITABLE_FIELDS}
            try:
                organisation = services.organisation_update(
                    actor=acting_user(request),
                    organisation=self.organisation,
                    data=data,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The settings have been saved."))
                return HttpResponseRedirect(
                    reverse("core:organisation-settings", kwargs={"slug": organisation.slug})
                )
        return self._render(form, status=400)

    def _render(self, form: OrganisationForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, "core/staff/organisation_settings.html", self.base_context(form=form), status=status
        )


class MemberListView(OrganisationView):
    permission = Permission.VIEW_MEMBERS

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "core/staff/members.html",
            self.base_context(members=selectors.members_of(organisation=self.organisation)),
        )


class MemberInviteView(OrganisationView):
    permission = Permission.MANAGE_MEMBERS
    write_permission = Permission.MANAGE_MEMBERS

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self._render(MemberInviteForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = MemberInviteForm(request.POST)
        if form.is_valid():
            try:
                services.member_invite(
                    actor=acting_user(request),
                    organisation=self.organisation,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/"),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(email)s now has the role.") % {"email": form.cleaned_data["email"]}
                )
                return HttpResponseRedirect(reverse("core:members", kwargs={"slug": slug}))
        return self._render(form, status=400)

    def _render(self, form: MemberInviteForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, "core/staff/member_invite.html", self.base_context(form=form), status=status
        )


class MemberRevokeView(OrganisationView):
    permission = Permission.MANAGE_MEMBERS
    write_permission = Permission.MANAGE_MEMBERS

    def get(self, request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
        return self._render(RevokeForm(), membership_id)

    def post(self, request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
        form = RevokeForm(request.POST)
        membership = self._membership(membership_id)
        if form.is_valid():
            try:
                services.membership_revoke(
                    actor=acting_user(request),
                    membership=membership,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The role has been revoked."))
                return HttpResponseRedirect(reverse("core:members", kwargs={"slug": slug}))
        return self._render(form, membership_id, status=400)

    def _membership(self, membership_id: int) -> Any:
        return get_object_or_404(selectors.members_of(organisation=self.organisation), pk=membership_id)

    def _render(self, form: RevokeForm, membership_id: int, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "core/staff/member_revoke.html",
            self.base_context(form=form, membership=self._membership(membership_id)),
            status=status,
        )


class AuditTrailView(OrganisationView):
    permission = Permission.VIEW_AUDIT_TRAIL

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        records = selectors.audit_records_of_organisation(organisation=self.organisation)
        page = Paginator(records, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "core/staff/audit_trail.html", self.base_context(page=page))


class ObjectHistoryView(OrganisationView):
    permission = Permission.VIEW_HISTORY

    def get(self, request: HttpRequest, slug: str, object_type: str, object_id: str) -> HttpResponse:
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError) as error:
            raise Http404 from error
        records = selectors.audit_records_of_object(
            organisation=self.organisation, object_type=object_type, object_id=object_id
        )
        page = Paginator(records, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        if not page.object_list:
            raise Http404
        return render(
            request,
            "core/staff/object_history.html",
            self.base_context(
                page=page, model_name=model._meta.verbose_name, object_label=page[0].object_label
            ),
        )
