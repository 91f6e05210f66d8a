"""REST API of the register: the public register (published records only) and the staff register.

Public endpoints read only through the public selectors and show the frozen publication: the standard's record
in `record`, with the national register's own snake_case keys (the body its submission API takes), wrapped in
camelCase envelope fields. Staff endpoints show every field, internal ones included, in camelCase; the
standard's grouping fields are three lists of {title, link}: `lawfulBasisLinks`, `impacttoetsenLinks` and
`sourceDataLinks` (the camelCase of the standard's text key plus "Links"). A list given in a PATCH replaces
that list; a list left out stays as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.core import selectors as core_selectors
from verantwoord.core.access import acting_user
from verantwoord.core.api import OrganisationScopedAPIView
from verantwoord.core.models import Organisation, User
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.register import exporting, selectors, services
from verantwoord.register.choices import (
    AIActRiskClass,
    AlgorithmKind,
    EffectOnPeople,
    LifecyclePhase,
    LinkGroup,
    PublicationCategory,
    PublicationState,
    RegisterStatus,
    Sourcing,
)
from verantwoord.register.models import Algorithm, AlgorithmLink, Publication
from verantwoord.register.standard import standard
from verantwoord.register.validation import MONTH
from verantwoord.register.workflow import transition_permission

PUBLIC_TAG = "Algorithm register"
STAFF_TAG = "Algorithm register (staff)"
ALGORITHM_ARGUMENTS = ("slug", "algorithm_id")


# --- Shared fields -----------------------------------------------------------------------------------------


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC (NL API Design Rules), whatever the installation's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=datetime.UTC, **kwargs)


class OrganisationSummarySerializer(serializers.Serializer[Organisation]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class AlgorithmLinkSerializer(serializers.Serializer[AlgorithmLink]):
    """One item of a grouping field of the standard."""

    title = serializers.CharField(max_length=500)
    link = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")


def _standard_record_serializer() -> type[serializers.Serializer[Any]]:
    """A serializer that documents the standard's record in OpenAPI, generated from the standard's definition."""
    spec = standard()
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {}
    for field in spec.fields:
        help_text = f"{field.en} ({field.nl})." + (
            f" At most {field.max_length} characters without HTML; real records may exceed it."
            if field.max_length
            else ""
        )
        options: dict[str, Any] = {"read_only": True, "help_text": help_text}
        if field.type == "links":
            fields[field.key] = AlgorithmLinkSerializer(many=True, **options)
        elif field.type == "themes":
            options["help_text"] += (
                " Theme names, from: " + "; ".join(theme.value for theme in spec.themes) + "."
            )
            fields[field.key] = serializers.ListField(child=serializers.CharField(), **options)
        elif field.type == "choice" and field.choices:
            # Listed in the text rather than as an enum: the OpenAPI generator names enums after their field and
            # would mix these Dutch values up with the codes of the staff field `publicationCategory`.
            values = "; ".join(choice.value for choice in spec.choices[field.choices])
            options["help_text"] += f" One of: {values}."
            fields[field.key] = serializers.CharField(**options)
        elif field.type == "url":
            fields[field.key] = serializers.URLField(**options)
        elif field.key == "publication_dt":
            fields[field.key] = serializers.DateTimeField(allow_null=True, **options)
        else:
            fields[field.key] = serializers.CharField(**options)
    return type(
        "StandardRecordSerializer",
        (serializers.Serializer,),
        {
            **fields,
            "__doc__": "A record in publication standard 1.0 of the national algorithm register, with its own "
            "keys and Dutch values: exactly the body of the national register's submission API.",
        },
    )


StandardRecordSerializer = _standard_record_serializer()


@extend_schema_field(StandardRecordSerializer)
class RecordField(serializers.Field[dict[str, Any], dict[str, Any], dict[str, Any], Any]):
    """The frozen public record of a publication."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="content", read_only=True, **kwargs)

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        """In the standard's order: PostgreSQL's jsonb does not keep the order of keys."""
        keys = standard().keys
        return {key: value[key] for key in keys if key in value} | {
            key: item for key, item in value.items() if key not in keys
        }


def _absolute(request: Request | None, url_name: str, **kwargs: Any) -> str:
    path = reverse(url_name, kwargs=kwargs)
    return request.build_absolute_uri(path) if request is not None else path


def _public_page(request: Request | None, url_name: str, **kwargs: Any) -> str:
    """A public page's address in the default language, whatever language the API request asked for."""
    with translation.override(settings.LANGUAGE_CODE):
        return _absolute(request, url_name, **kwargs)


# --- Public serializers ------------------------------------------------------------------------------------


class PublicAlgorithmSerializer(serializers.ModelSerializer[Publication]):
    """A published algorithm: the standard's record plus where it comes from."""

    id = serializers.IntegerField(source="algorithm_id", read_only=True, help_text="The algorithm's id.")
    organisation = OrganisationSummarySerializer(read_only=True)
    version = serializers.IntegerField(read_only=True)
    publishedAt = UTCDateTimeField(source="published_at", read_only=True)  # noqa: N815
    url = serializers.SerializerMethodField(help_text="This algorithm in the API.")
    publicUrl = serializers.SerializerMethodField(  # noqa: N815
        help_text="This algorithm's page in the public register (in Dutch; it links to the English page)."
    )
    record = RecordField()

    class Meta:
        model = Publication
        fields = ["id", "organisation", "version", "publishedAt", "url", "publicUrl", "record"]

    def get_url(self, publication: Publication) -> str:
        return _absolute(
            self.context.get("request"),
            "api:register-organisation-algorithm-detail",
            slug=publication.organisation.slug,
            algorithm_id=publication.algorithm_id,
        )

    def get_publicUrl(self, publication: Publication) -> str:  # noqa: N802
        return _public_page(
            self.context.get("request"),
            "register-public:detail",
            slug=publication.organisation.slug,
            algorithm_id=publication.algorithm_id,
        )


class PublicAlgorithmVersionSerializer(PublicAlgorithmSerializer):
    """One published version of an algorithm."""

    url = serializers.SerializerMethodField(help_text="This version in the API.")
    publicUrl = serializers.SerializerMethodField(  # noqa: N815
        help_text="This version's page in the public register (in Dutch; it links to the English page)."
    )

    def get_url(self, publication: Publication) -> str:
        return _version_url(self.context.get("request"), publication)

    def get_publicUrl(self, publication: Publication) -> str:  # noqa: N802
        return _public_page(
            self.context.get("request"),
            "register-public:version",
            slug=publication.organisation.slug,
            algorithm_id=publication.algorithm_id,
            version=publication.version,
        )


class PublicVersionSummarySerializer(serializers.ModelSerializer[Publication]):
    version = serializers.IntegerField(read_only=True)
    publishedAt = UTCDateTimeField(source="published_at", read_only=True)  # noqa: N815
    url = serializers.SerializerMethodField(help_text="This version in the API.")

    class Meta:
        model = Publication
        fields = ["version", "publishedAt", "url"]

    def get_url(self, publication: Publication) -> str:
        return _version_url(self.context.get("request"), publication)


def _version_url(request: Request | None, publication: Publication) -> str:
    return _absolute(
        request,
        "api:register-organisation-algorithm-version-detail",
        slug=publication.organisation.slug,
        algorithm_id=publication.algorithm_id,
        version=publication.version,
    )


class PublicFilterSerializer(serializers.Serializer[Any]):
    """Query parameters of the public register of one organisation."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Full-text search.")
    theme = serializers.ChoiceField(
        choices=[(theme.code, theme.en) for theme in standard().themes], required=False
    )
    status = serializers.ChoiceField(choices=RegisterStatus.choices, required=False)
    publicationCategory = serializers.ChoiceField(  # noqa: N815
        choices=PublicationCategory.choices, required=False
    )
    aiActRiskClass = serializers.ChoiceField(choices=AIActRiskClass.choices, required=False)  # noqa: N815
    sort = serializers.ChoiceField(
        choices=list(selectors.PUBLIC_SORTS),
        required=False,
        help_text="Default: by name, or by relevance when searching.",
    )

    def selector_filters(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "query": data.get("q", ""),
            "theme": data.get("theme", ""),
            "status": data.get("status", ""),
            "publication_category": data.get("publicationCategory", ""),
            "ai_act_risk_class": data.get("aiActRiskClass", ""),
            "sort": data.get("sort", ""),
        }


class OrganisationFilterSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField(
        required=False, help_text="Only this organisation's algorithms (its slug)."
    )

    def validate_organisation(self, slug: str) -> Organisation:
        organisation = core_selectors.organisation_by_slug(slug=slug)
        if organisation is None:
            raise serializers.ValidationError(_("Unknown organisation."))
        return organisation


class PublicRegisterFilterSerializer(PublicFilterSerializer, OrganisationFilterSerializer):
    """Query parameters of the whole public register."""

    def selector_filters(self) -> dict[str, Any]:
        return super().selector_filters() | {"organisation": self.validated_data.get("organisation")}


# --- Public views ------------------------------------------------------------------------------------------


class PublicAPIView(APIView):
    """Open to everyone: no authentication, so a visitor is never refused."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []


class PublicAlgorithmListAPI(generics.ListAPIView[Publication], PublicAPIView):
    """The public algorithm register: the current published version of every algorithm, of all organisations.

    Filter values are codes (`in_use`, `traffic`); the records show the standard's Dutch values.
    """

    serializer_class = PublicAlgorithmSerializer
    filter_serializer_class: type[PublicFilterSerializer] = PublicRegisterFilterSerializer

    def get_queryset(self) -> QuerySet[Publication]:
        extra_filters = self.extra_filters()  # first: an unknown organisation is a 404 whatever the filters
        filters = self.filter_serializer_class(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.public_publications(**extra_filters, **filters.selector_filters())

    def extra_filters(self) -> dict[str, Any]:
        return {}

    @extend_schema(tags=[PUBLIC_TAG], parameters=[PublicRegisterFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PublicOrganisationAlgorithmListAPI(PublicAlgorithmListAPI):
    """The public algorithm register of one organisation.

    Filter values are codes (`in_use`, `traffic`); the records show the standard's Dutch values.
    """

    filter_serializer_class = PublicFilterSerializer

    def extra_filters(self) -> dict[str, Any]:
        return {"organisation": get_object_or_404(Organisation, slug=self.kwargs["slug"])}

    @extend_schema(tags=[PUBLIC_TAG], parameters=[PublicFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _public_publication(slug: str, algorithm_id: int) -> Publication:
    publication = selectors.public_publication(organisation_slug=slug, algorithm_id=algorithm_id)
    if publication is None:
        raise Http404
    return publication


class PublicAlgorithmDetailAPI(PublicAPIView):
    @extend_schema(tags=[PUBLIC_TAG], responses=PublicAlgorithmSerializer)
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        """One published algorithm: its current version."""
        publication = _public_publication(slug, algorithm_id)
        return Response(PublicAlgorithmSerializer(publication, context={"request": request}).data)


class PublicAlgorithmVersionListAPI(PublicAPIView):
    @extend_schema(tags=[PUBLIC_TAG], responses=PublicVersionSummarySerializer(many=True))
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        """The published versions of an algorithm, newest first."""
        history = selectors.public_history(publication=_public_publication(slug, algorithm_id))
        return Response(
            PublicVersionSummarySerializer(
                history.select_related("organisation"), many=True, context={"request": request}
            ).data
        )


class PublicAlgorithmVersionDetailAPI(PublicAPIView):
    @extend_schema(tags=[PUBLIC_TAG], responses=PublicAlgorithmVersionSerializer)
    def get(self, request: Request, slug: str, algorithm_id: int, version: int) -> Response:
        """One published version of an algorithm, as it was published."""
        publication = selectors.public_version(
            publication=_public_publication(slug, algorithm_id), version=version
        )
        if publication is None:
            raise Http404
        return Response(PublicAlgorithmVersionSerializer(publication, context={"request": request}).data)


class FirstRendererNegotiation(DefaultContentNegotiation):
    """A download is what it is: answer with it whatever the Accept header asks for, rather than 406."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)  # type: ignore[no-any-return]
        except exceptions.NotAcceptable:
            renderer = next(iter(renderers))
            return renderer, renderer.media_type


class ExportAPI(PublicAPIView):
    """The whole public register (or one organisation's) as a file, in the standard's format."""

    content_negotiation_class = FirstRendererNegotiation
    file_format = ""
    content_type = ""

    def get(self, request: Request) -> HttpResponse:
        filters = OrganisationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        organisation: Organisation | None = filters.validated_data.get("organisation")
        publications = selectors.public_publications(organisation=organisation)
        exporter = exporting.export_csv if self.file_format == "csv" else exporting.export_json
        response = HttpResponse(exporter(publications), content_type=self.content_type)
        name = f"algoritmeregister-{organisation.slug}" if organisation else "algoritmeregister"
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.file_format}"'
        return response


class CSVExportAPI(ExportAPI):
    file_format = "csv"
    content_type = "text/csv; charset=utf-8"

    @extend_schema(
        tags=[PUBLIC_TAG],
        operation_id="register_export_csv",
        parameters=[OrganisationFilterSerializer],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> HttpResponse:
        """The public register as CSV, as the national register's bulk download (English keys)."""
        return super().get(request)


class JSONExportAPI(ExportAPI):
    file_format = "json"
    content_type = "application/json"

    @extend_schema(
        tags=[PUBLIC_TAG],
        operation_id="register_export_json",
        parameters=[OrganisationFilterSerializer],
        responses={(200, "application/json"): StandardRecordSerializer(many=True)},
    )
    def get(self, request: Request) -> HttpResponse:
        """The public register as JSON: a list of records in the standard's format."""
        return super().get(request)


# --- Staff serializers -------------------------------------------------------------------------------------


class LinkListField(serializers.ListField):
    """One grouping field of the standard, read from the algorithm's (prefetched) links."""

    def __init__(self, group: LinkGroup, **kwargs: Any) -> None:
        self.group = group
        super().__init__(
            child=AlgorithmLinkSerializer(),
            source=group.value,
            required=False,
            help_text=group.label,
            **kwargs,
        )

    def get_attribute(self, instance: Algorithm) -> list[dict[str, str]]:
        return [
            {"title": link.title, "link": link.link}
            for link in sorted(instance.links.all(), key=lambda link: (link.position, link.pk))
            if link.group == self.group
        ]


class ArchivedField(serializers.BooleanField):
    def get_attribute(self, instance: Algorithm) -> bool:
        return instance.archived_at is not None


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


def _url(**kwargs: Any) -> serializers.URLField:
    return serializers.URLField(required=False, allow_blank=True, max_length=1000, **kwargs)


def _month(source: str) -> serializers.RegexField:
    return serializers.RegexField(
        MONTH.pattern,
        source=source,
        required=False,
        allow_blank=True,
        max_length=7,
        help_text="Year and month: 2024-05.",
        error_messages={"invalid": gettext_lazy("Use year and month, like 2024-05.")},
    )


def _member(**kwargs: Any) -> serializers.PrimaryKeyRelatedField[User]:
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),  # the organisation's members, set per request
        required=False,
        allow_null=True,
        help_text="The user id of someone with a role in the organisation.",
        error_messages={"does_not_exist": gettext_lazy("This person has no role in the organisation.")},
        **kwargs,
    )


class StaffAlgorithmSerializer(serializers.Serializer[Algorithm]):
    """An algorithm with all its fields, internal ones included (staff only).

    Field names are the camelCase of the model's, which are the standard's keys for the public fields; so `url` is
    the standard's link to the source registration.
    """

    id = serializers.IntegerField(read_only=True)
    publicationState = serializers.ChoiceField(  # noqa: N815
        source="publication_state", choices=PublicationState.choices, read_only=True
    )
    archived = ArchivedField(
        required=False, help_text="Archived algorithms are left out of the staff list unless asked for."
    )
    archivedAt = UTCDateTimeField(source="archived_at", read_only=True)  # noqa: N815
    createdAt = UTCDateTimeField(source="created_at", read_only=True)  # noqa: N815
    updatedAt = UTCDateTimeField(source="updated_at", read_only=True)  # noqa: N815
    # Publication standard 1.0
    name = serializers.CharField(max_length=500)
    descriptionShort = _text(source="description_short")  # noqa: N815
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=[(theme.code, theme.en) for theme in standard().themes]),
        required=False,
    )
    status = serializers.ChoiceField(choices=RegisterStatus.choices, required=False)
    beginDate = _month("begin_date")  # noqa: N815
    endDate = _month("end_date")  # noqa: N815
    contactEmail = _text(source="contact_email")  # noqa: N815
    website = _url()
    publicationCategory = serializers.ChoiceField(  # noqa: N815
        source="publication_category", choices=PublicationCategory.choices, required=False, allow_blank=True
    )
    url = _url(help_text="Link to the source registration (the standard's `url`).")
    goal = _text()
    proportionality = _text()
    humanIntervention = _text(source="human_intervention")  # noqa: N815
    risks = _text()
    lawfulBasis = _text(source="lawful_basis")  # noqa: N815
    lawfulBasisLinks = LinkListField(LinkGroup.LAWFUL_BASIS)  # noqa: N815
    processIndexUrl = _url(source="process_index_url")  # noqa: N815
    impacttoetsen = _text(help_text="Explanation of the impact assessments.")
    impacttoetsenLinks = LinkListField(LinkGroup.IMPACT_ASSESSMENTS)  # noqa: N815
    sourceData = _text(source="source_data")  # noqa: N815
    sourceDataLinks = LinkListField(LinkGroup.SOURCE_DATA)  # noqa: N815
    methodsAndModels = _text(source="methods_and_models")  # noqa: N815
    provider = _text(max_length=500)
    publiccode = _url(help_text="Link to the source code.")
    tags = _text()
    sourceId = _text(source="source_id", max_length=100)  # noqa: N815
    lang = serializers.ChoiceField(
        choices=[choice.code for choice in standard().choices["lang"]], required=False
    )
    standardVersion = _text(source="standard_version", max_length=10)  # noqa: N815
    lars = _text(max_length=20, help_text="The algorithm's id in the national register.")
    # Internal
    owner = _member()
    accountableManager = _member(source="accountable_manager")  # noqa: N815
    department = _text(max_length=200)
    lifecyclePhase = serializers.ChoiceField(  # noqa: N815
        source="lifecycle_phase", choices=LifecyclePhase.choices, required=False
    )
    kind = serializers.ChoiceField(choices=AlgorithmKind.choices, required=False)
    sourcing = serializers.ChoiceField(choices=Sourcing.choices, required=False)
    supplierName = _text(source="supplier_name", max_length=200)  # noqa: N815
    personalData = serializers.BooleanField(source="personal_data", required=False)  # noqa: N815
    specialCategories = serializers.BooleanField(source="special_categories", required=False)  # noqa: N815
    automatedDecisions = serializers.BooleanField(source="automated_decisions", required=False)  # noqa: N815
    groupsAffected = _text(source="groups_affected")  # noqa: N815
    effectOnPeople = serializers.ChoiceField(  # noqa: N815
        source="effect_on_people", choices=EffectOnPeople.choices, required=False
    )
    nextReviewDate = serializers.DateField(source="next_review_date", required=False, allow_null=True)  # noqa: N815
    internalNotes = _text(source="internal_notes")  # noqa: N815
    aiActRiskClass = serializers.ChoiceField(  # noqa: N815
        source="ai_act_risk_class",
        choices=AIActRiskClass.choices,
        read_only=True,
        help_text="Set by the AI Act classification; blank until classified.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, write_only=True, help_text="Why, for the audit trail."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            members = User.objects.filter(memberships__organisation=organisation).distinct()
            for name in ("owner", "accountableManager"):
                field: Any = self.fields[name]
                field.queryset = members

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """As usual, and refuse unknown names (a snake_case key would otherwise be dropped without a word)."""
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            # The detail's read-only `allowedTransitions` is known too, so a body read with GET can be sent back.
            known = {*self.fields, "allowedTransitions"}
            errors = {str(key): [_("Unknown field.")] for key in data if key not in known}
        try:
            value: dict[str, Any] = super().to_internal_value(data)
        except exceptions.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            errors = {**error.detail, **errors}
        if errors:
            raise exceptions.ValidationError(errors)
        return value

    def service_arguments(self) -> dict[str, Any]:
        """The validated data split into the services' arguments: data, links, reason and archived."""
        data = dict(self.validated_data)
        reason = data.pop("reason", "")
        archived = data.pop("archived", None)
        links = {group: data.pop(group) for group in LinkGroup.values if group in data}
        return {"data": data, "links": links or None, "reason": reason, "archived": archived}


class StaffAlgorithmDetailSerializer(StaffAlgorithmSerializer):
    allowedTransitions = serializers.SerializerMethodField(  # noqa: N815
        help_text="The states the caller may move the algorithm to now (see the transitions endpoint)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(PublicationState.choices)))
    def get_allowedTransitions(self, algorithm: Algorithm) -> list[str]:  # noqa: N802
        return [
            state.value
            for state in selectors.allowed_transitions(user=self.context["user"], algorithm=algorithm)
        ]


@cache
def _api_field_names() -> dict[str, str]:
    """Model field names and standard keys → the API's field names, for the services' errors."""
    names = {str(field.source): name for name, field in StaffAlgorithmSerializer().fields.items()}
    return names | {"category": "themes", "__all__": "nonFieldErrors"}


@contextmanager
def service_errors(*, about: str = "nonFieldErrors") -> Iterator[None]:
    """The services' validation errors as an API validation error, under the API's field names; `about` names
    the request field that errors without a field are about."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise exceptions.ValidationError({about: error.messages}) from error
        names = _api_field_names()
        raise exceptions.ValidationError(
            {names.get(key, key): messages for key, messages in error.message_dict.items()}
        ) from error


class StaffFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Search in name, short description, department, source ID and algorithm ID.",
    )
    state = serializers.ChoiceField(choices=PublicationState.choices, required=False)
    status = serializers.ChoiceField(choices=RegisterStatus.choices, required=False)
    theme = serializers.ChoiceField(
        choices=[(theme.code, theme.en) for theme in standard().themes], required=False
    )
    includeArchived = serializers.BooleanField(required=False, default=False)  # noqa: N815
    sort = serializers.ChoiceField(choices=list(selectors.STAFF_SORTS), required=False, default="name")


class TransitionSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=PublicationState.choices)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Why, for the audit trail.")


class ProblemSerializer(serializers.Serializer[Any]):
    standardKey = serializers.CharField(help_text="The standard's key.")  # noqa: N815
    field = serializers.CharField(allow_null=True, help_text="The API's field name, if it has one.")
    title = serializers.CharField(help_text="The field's title in the request's language.")
    messages = serializers.ListField(child=serializers.CharField())


class PublicationProblemsSerializer(serializers.Serializer[Any]):
    readyForPublication = serializers.BooleanField()  # noqa: N815
    problems = ProblemSerializer(many=True, help_text="What blocks publication, per field.")
    warnings = ProblemSerializer(many=True, help_text="Advice that does not block publication.")


class StaffPublicationSerializer(serializers.ModelSerializer[Publication]):
    """A published version, as staff see it: withdrawn ones included."""

    version = serializers.IntegerField(read_only=True)
    publishedAt = UTCDateTimeField(source="published_at", read_only=True)  # noqa: N815
    publishedBy = serializers.CharField(  # noqa: N815
        source="published_by.full_name", read_only=True, allow_null=True
    )
    isCurrent = serializers.BooleanField(source="is_current", read_only=True)  # noqa: N815
    withdrawnAt = UTCDateTimeField(source="withdrawn_at", read_only=True)  # noqa: N815
    record = RecordField()

    class Meta:
        model = Publication
        fields = ["version", "publishedAt", "publishedBy", "isCurrent", "withdrawnAt", "record"]


# --- Staff views -------------------------------------------------------------------------------------------


def _with_links(algorithms: QuerySet[Algorithm]) -> QuerySet[Algorithm]:
    return algorithms.prefetch_related(
        Prefetch("links", queryset=AlgorithmLink.objects.order_by("group", "position", "id"))
    )


class StaffAlgorithmListAPI(generics.ListAPIView[Algorithm], OrganisationScopedAPIView):
    """The organisation's register with internal fields; create an algorithm (as a draft) with POST."""

    permission = Permission.VIEW_INTERNAL
    permissions_by_method = {"POST": Permission.EDIT_ALGORITHM}
    serializer_class = StaffAlgorithmSerializer

    def get_queryset(self) -> QuerySet[Algorithm]:
        filters = StaffFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return _with_links(
            selectors.algorithms_of(
                organisation=self.get_organisation(),
                query=data.get("q", ""),
                state=data.get("state", ""),
                status=data.get("status", ""),
                theme=data.get("theme", ""),
                include_archived=data["includeArchived"],
                sort=data["sort"],
            )
        )

    @extend_schema(tags=[STAFF_TAG], parameters=[StaffFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[STAFF_TAG], request=StaffAlgorithmSerializer, responses={201: StaffAlgorithmDetailSerializer}
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = self.get_organisation()
        serializer = StaffAlgorithmSerializer(data=request.data, context={"organisation": organisation})
        serializer.is_valid(raise_exception=True)
        arguments = serializer.service_arguments()
        if arguments["archived"]:
            raise exceptions.ValidationError({"archived": _("A new algorithm cannot be archived.")})
        with service_errors():
            algorithm = services.algorithm_create(
                actor=acting_user(request),
                organisation=organisation,
                data=arguments["data"],
                links=arguments["links"],
                reason=arguments["reason"],
            )
        response = _staff_detail_response(request, organisation, algorithm.pk, status.HTTP_201_CREATED)
        response["Location"] = _absolute(
            request, "api:register-staff-algorithm-detail", slug=slug, algorithm_id=algorithm.pk
        )
        return response


def _staff_algorithm(organisation: Organisation, algorithm_id: int) -> Algorithm:
    algorithm = selectors.algorithm_for_staff(organisation=organisation, algorithm_id=algorithm_id)
    if algorithm is None:
        raise Http404
    return algorithm


def _staff_detail_response(
    request: Request, organisation: Organisation, algorithm_id: int, status_code: int = status.HTTP_200_OK
) -> Response:
    algorithm = _staff_algorithm(organisation, algorithm_id)
    serializer = StaffAlgorithmDetailSerializer(algorithm, context={"user": acting_user(request)})
    return Response(serializer.data, status=status_code)


class StaffAlgorithmDetailAPI(OrganisationScopedAPIView):
    """One algorithm with all its fields. A change after publication puts it back in draft: the published
    version stays public until the change has been reviewed, approved and published."""

    permission = Permission.VIEW_INTERNAL
    permissions_by_method = {"PATCH": Permission.EDIT_ALGORITHM}

    @extend_schema(tags=[STAFF_TAG], responses=StaffAlgorithmDetailSerializer)
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        return _staff_detail_response(request, self.get_organisation(), algorithm_id)

    @extend_schema(
        tags=[STAFF_TAG], request=StaffAlgorithmSerializer, responses=StaffAlgorithmDetailSerializer
    )
    def patch(self, request: Request, slug: str, algorithm_id: int) -> Response:
        """Change fields; `archived` archives or restores. Fields left out stay as they are."""
        organisation = self.get_organisation()
        algorithm = _staff_algorithm(organisation, algorithm_id)
        serializer = StaffAlgorithmSerializer(
            algorithm, data=request.data, partial=True, context={"organisation": organisation}
        )
        serializer.is_valid(raise_exception=True)
        arguments = serializer.service_arguments()
        actor = acting_user(request)
        archived: bool | None = arguments["archived"]
        # Only archiving and restoring raise errors without a field.
        with service_errors(about="archived"), transaction.atomic():
            # Restore before changing, archive after: an archived algorithm takes no other steps.
            if archived is False:
                services.algorithm_archive(
                    actor=actor, algorithm=algorithm, archived=False, reason=arguments["reason"]
                )
            if arguments["data"] or arguments["links"]:
                services.algorithm_update(
                    actor=actor,
                    algorithm=algorithm,
                    data=arguments["data"],
                    links=arguments["links"],
                    reason=arguments["reason"],
                )
            if archived:
                services.algorithm_archive(actor=actor, algorithm=algorithm, reason=arguments["reason"])
        return _staff_detail_response(request, organisation, algorithm_id)


class StaffAlgorithmTransitionAPI(OrganisationScopedAPIView):
    """A step in the publication workflow. Every step needs at least the right to edit; approving needs the
    right to approve and publishing or withdrawing the right to publish (see the workflow table)."""

    permission = Permission.EDIT_ALGORITHM

    @extend_schema(tags=[STAFF_TAG], request=TransitionSerializer, responses=StaffAlgorithmDetailSerializer)
    def post(self, request: Request, slug: str, algorithm_id: int) -> Response:
        organisation = self.get_organisation()
        algorithm = _staff_algorithm(organisation, algorithm_id)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to_state: str = serializer.validated_data["to"]
        required = transition_permission(algorithm.publication_state, to_state)
        if required is None:
            raise exceptions.ValidationError(
                {
                    "to": _("An algorithm cannot go from %(from)s to %(to)s.")
                    % {
                        "from": PublicationState(algorithm.publication_state).label,
                        "to": PublicationState(to_state).label,
                    }
                }
            )
        actor = acting_user(request)
        if not core_selectors.user_has_permission(user=actor, organisation=organisation, permission=required):
            raise exceptions.PermissionDenied(_("Your role does not allow this step."))
        with service_errors(about="to"):
            services.algorithm_transition(
                actor=actor,
                algorithm=algorithm,
                to_state=to_state,
                reason=serializer.validated_data.get("reason", ""),
            )
        return _staff_detail_response(request, organisation, algorithm_id)


def _problem_rows(problems: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    spec = standard()
    language = translation.get_language() or "nl"
    names = _api_field_names()
    return [
        {
            "standardKey": key,
            "field": names.get(key),
            "title": spec.field(key).title(language),
            "messages": messages,
        }
        for key, messages in problems.items()
    ]


class StaffAlgorithmProblemsAPI(OrganisationScopedAPIView):
    permission = Permission.VIEW_INTERNAL

    @extend_schema(tags=[STAFF_TAG], responses=PublicationProblemsSerializer)
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        """What is missing or wrong before the algorithm can be published, per field of the standard."""
        algorithm = _staff_algorithm(self.get_organisation(), algorithm_id)
        problems = selectors.publication_problems(algorithm=algorithm)
        body = {
            "readyForPublication": not problems,
            "problems": _problem_rows(problems),
            "warnings": _problem_rows(selectors.publication_warnings(algorithm=algorithm)),
        }
        return Response(PublicationProblemsSerializer(body).data)


class StaffAlgorithmPublicationListAPI(OrganisationScopedAPIView):
    permission = Permission.VIEW_INTERNAL

    @extend_schema(tags=[STAFF_TAG], responses=StaffPublicationSerializer(many=True))
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        """Every published version, newest first, withdrawn ones included."""
        algorithm = _staff_algorithm(self.get_organisation(), algorithm_id)
        return Response(
            StaffPublicationSerializer(selectors.publications_of(algorithm=algorithm), many=True).data
        )


API_ENDPOINTS: list[Endpoint] = [
    Endpoint("Public register", "api", "GET", "api:register-algorithm-list", Access.PUBLIC, ()),
    Endpoint("Public register as CSV", "api", "GET", "api:register-export-csv", Access.PUBLIC, ()),
    Endpoint("Public register as JSON", "api", "GET", "api:register-export-json", Access.PUBLIC, ()),
    Endpoint(
        "Public register of an organisation",
        "api",
        "GET",
        "api:register-organisation-algorithm-list",
        Access.PUBLIC,
    ),
    Endpoint(
        "Published algorithm",
        "api",
        "GET",
        "api:register-organisation-algorithm-detail",
        Access.PUBLIC,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "Published versions of an algorithm",
        "api",
        "GET",
        "api:register-organisation-algorithm-version-list",
        Access.PUBLIC,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "One published version",
        "api",
        "GET",
        "api:register-organisation-algorithm-version-detail",
        Access.PUBLIC,
        (*ALGORITHM_ARGUMENTS, "version"),
    ),
    Endpoint("Register (staff)", "api", "GET", "api:register-staff-algorithm-list", Permission.VIEW_INTERNAL),
    Endpoint(
        "Create an algorithm", "api", "POST", "api:register-staff-algorithm-list", Permission.EDIT_ALGORITHM
    ),
    Endpoint(
        "Algorithm (staff)",
        "api",
        "GET",
        "api:register-staff-algorithm-detail",
        Permission.VIEW_INTERNAL,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "Change or archive an algorithm",
        "api",
        "PATCH",
        "api:register-staff-algorithm-detail",
        Permission.EDIT_ALGORITHM,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "Publication step (approving and publishing need more)",
        "api",
        "POST",
        "api:register-staff-algorithm-transitions",
        Permission.EDIT_ALGORITHM,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "What is missing for publication",
        "api",
        "GET",
        "api:register-staff-algorithm-problems",
        Permission.VIEW_INTERNAL,
        ALGORITHM_ARGUMENTS,
    ),
    Endpoint(
        "All published versions (staff)",
        "api",
        "GET",
        "api:register-staff-algorithm-publications",
        Permission.VIEW_INTERNAL,
        ALGORITHM_ARGUMENTS,
    ),
]
