"""REST API of the core: organisations, members, audit trail, the current user."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.core import selectors, services
from verantwoord.core.access import acting_user
from verantwoord.core.models import AuditRecord, Membership, Organisation, User
from verantwoord.core.permissions import Permission
from verantwoord.core.roles import Role
from verantwoord.core.two_factor import is_verified


class OrganisationPublicSerializer(serializers.ModelSerializer[Organisation]):
    contactEmail = serializers.EmailField(source="contact_email", read_only=True)  # noqa: N815

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "website", "contactEmail"]


class OrganisationUpdateSerializer(serializers.Serializer[Organisation]):
    name = serializers.CharField(max_length=200, required=False)
    contactEmail = serializers.EmailField(source="contact_email", required=False, allow_blank=True)  # noqa: N815
    website = serializers.URLField(required=False, allow_blank=True)
    logoUrl = serializers.URLField(source="logo_url", required=False, allow_blank=True)  # noqa: N815
    houseStyleCssUrl = serializers.URLField(  # noqa: N815
        source="house_style_css_url", required=False, allow_blank=True
    )
    requireTwoFactor = serializers.BooleanField(source="require_two_factor", required=False)  # noqa: N815
    reason = serializers.CharField(required=False, allow_blank=True, write_only=True)


class MemberSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email")
    fullName = serializers.CharField(source="user.full_name")  # noqa: N815
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815

    class Meta:
        model = Membership
        fields = ["id", "email", "fullName", "role", "createdAt"]


class MemberCreateSerializer(serializers.Serializer[Membership]):
    email = serializers.EmailField()
    fullName = serializers.CharField(max_length=200)  # noqa: N815
    role = serializers.ChoiceField(choices=Role.choices)
    reason = serializers.CharField(required=False, allow_blank=True)


class AuditRecordSerializer(serializers.ModelSerializer[AuditRecord]):
    actor = serializers.CharField(source="actor_label")
    objectType = serializers.CharField(source="object_type")  # noqa: N815
    objectId = serializers.CharField(source="object_id")  # noqa: N815
    object = serializers.CharField(source="object_label")

    class Meta:
        model = AuditRecord
        fields = ["id", "at", "actor", "action", "objectType", "objectId", "object", "changes", "reason"]


class MeSerializer(serializers.Serializer[User]):
    username = serializers.CharField()
    email = serializers.EmailField()
    fullName = serializers.CharField(source="full_name")  # noqa: N815
    memberships = serializers.SerializerMethodField()

    def get_memberships(self, user: User) -> list[dict[str, str]]:
        return [
            {"organisation": membership.organisation.slug, "role": membership.role}
            for membership in user.memberships.select_related("organisation").order_by(
                "organisation__slug", "role"
            )
        ]


class HasOrganisationPermission(BasePermission):
    """Checks the view's `permission` (or `permissions_by_method`) against the caller's roles."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        required: Permission = view.permissions_by_method.get(request.method, view.permission)
        organisation = view.get_organisation()
        if not selectors.user_has_permission(
            user=request.user, organisation=organisation, permission=required
        ):
            return False
        # A login session must have passed two-factor where the organisation requires it, as on the pages.
        # A personal API token (request.auth) was made by a logged-in person and stands on its own.
        return not (
            organisation.require_two_factor and request.auth is None and not is_verified(request.user)
        )


class OrganisationScopedAPIView(APIView):
    """An API view of one organisation (URL kwarg `slug`), guarded by `permission` per method."""

    permission: Permission = Permission.VIEW_INTERNAL
    permissions_by_method: dict[str, Permission] = {}
    permission_classes = [IsAuthenticated, HasOrganisationPermission]

    def get_organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self._organisation


class OrganisationListAPI(generics.ListAPIView[Organisation]):
    """All organisations on this installation (public)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OrganisationPublicSerializer

    def get_queryset(self) -> Any:
        return selectors.organisations_public()


class OrganisationDetailAPI(APIView):
    """One organisation (public); beheerders may change its settings with PATCH."""

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(responses=OrganisationPublicSerializer)
    def get(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        return Response(OrganisationPublicSerializer(organisation).data)

    @extend_schema(request=OrganisationUpdateSerializer, responses=OrganisationPublicSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation, slug=slug)
        if not selectors.user_has_permission(
            user=request.user, organisation=organisation, permission=Permission.CHANGE_ORGANISATION
        ):
            self.permission_denied(request)
        serializer = OrganisationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        organisation = services.organisation_update(
            actor=acting_user(request), organisation=organisation, data=data, reason=reason
        )
        return Response(OrganisationPublicSerializer(organisation).data)


class MemberListAPI(OrganisationScopedAPIView):
    """The people with a role in the organisation; beheerders add people with POST."""

    permission = Permission.VIEW_MEMBERS
    permissions_by_method = {"POST": Permission.MANAGE_MEMBERS}

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        members = selectors.members_of(organisation=self.get_organisation())
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def post(self, request: Request, slug: str) -> Response:
        serializer = MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.member_invite(
            actor=acting_user(request),
            organisation=self.get_organisation(),
            email=data["email"],
            full_name=data["fullName"],
            role=data["role"],
            base_url=request.build_absolute_uri("/"),
            reason=data.get("reason", ""),
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailAPI(OrganisationScopedAPIView):
    permission = Permission.VIEW_MEMBERS
    permissions_by_method = {"DELETE": Permission.MANAGE_MEMBERS}

    def _membership(self, membership_id: int) -> Membership:
        return get_object_or_404(selectors.members_of(organisation=self.get_organisation()), pk=membership_id)

    @extend_schema(responses=MemberSerializer)
    def get(self, request: Request, slug: str, membership_id: int) -> Response:
        return Response(MemberSerializer(self._membership(membership_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, membership_id: int) -> Response:
        services.membership_revoke(actor=acting_user(request), membership=self._membership(membership_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditRecordListAPI(generics.ListAPIView[AuditRecord], OrganisationScopedAPIView):
    """The organisation's audit trail, newest first. Filter with `objectType` and `objectId`."""

    permission = Permission.VIEW_AUDIT_TRAIL
    serializer_class = AuditRecordSerializer

    def get_queryset(self) -> Any:
        records = selectors.audit_records_of_organisation(organisation=self.get_organisation())
        object_type = self.request.query_params.get("objectType")
        object_id = self.request.query_params.get("objectId")
        if object_type:
            records = records.filter(object_type=object_type)
        if object_id:
            records = records.filter(object_id=object_id)
        return records


class MeAPI(APIView):
    """The logged-in user and their roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(acting_user(request)).data)
