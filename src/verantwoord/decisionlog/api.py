"""REST API of the decision log, under /api/v1/.

Ingestion: ``POST /organisations/{slug}/algorithms/{algorithmId}/decisions`` with an algorithm's API key
(``Authorization: Bearer vwdl_…``), a JSON object (one record) or NDJSON (``application/x-ndjson``, up to
10,000 records). A 2xx answer is sent only after the records are committed. Personal tokens and sessions of
people with the ``append_decisions`` permission may upload too.

Public (no authentication): checkpoints, public keys, inclusion and consistency proofs — the hashes anyone
needs to hold the organisation to its log — and the JSON Schema of a record. Staff: the log, its entries,
and (audited) the personal data of an entry. Hashes are base64, as in checkpoints.
"""

from __future__ import annotations

import base64
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import verantwoord.core.drf_generics  # noqa: F401 — must precede the class definitions
from verantwoord.core import selectors as core_selectors
from verantwoord.core.access import acting_user
from verantwoord.core.api import HasOrganisationPermission, OrganisationScopedAPIView
from verantwoord.core.api_auth import APITokenAuthentication
from verantwoord.core.api_errors import problem_response
from verantwoord.core.models import Organisation
from verantwoord.core.permission_matrix import Access, Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.two_factor import is_verified
from verantwoord.decisionlog import selectors, services
from verantwoord.decisionlog.collector import collector_paused
from verantwoord.decisionlog.merkle import ProofError
from verantwoord.decisionlog.models import AlgorithmAPIKey, Checkpoint, DecisionLog, LogEntry
from verantwoord.decisionlog.records import (
    MAX_LINE_BYTES,
    parse_line,
    parse_ndjson,
    record_schema,
)
from verantwoord.register.models import Algorithm

TAG = "Decision log"
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/ndjson")
MAX_BODY_BYTES = 64 * 1024 * 1024


def b64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


# --- Authentication by an algorithm's API key -----------------------------------------------------------------


class AlgorithmKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer vwdl_…`` (or ``Token``): the key of one algorithm; no person acts."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, AlgorithmAPIKey] | None:
        header = get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() not in (b"bearer", b"token"):
            return None
        raw_key = header[1].decode("ascii", "replace")
        if not raw_key.startswith(services.API_KEY_PREFIX):
            return None  # a personal token: the next authenticator's
        key = services.api_key_authenticate(raw_key)
        if key is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="decision-log"'


class AlgorithmKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the per-algorithm key in the OpenAPI file, so client generators know how to send it."""

    target_class = "verantwoord.decisionlog.api.AlgorithmKeyAuthentication"
    name = "algorithmKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The API key of one algorithm (`Bearer vwdl_…`), made by a beheerder; it may only report "
            "decisions of that algorithm.",
        }


class CanAppendDecisions(BasePermission):
    """An API key of exactly this algorithm, or a person with ``append_decisions`` in its organisation."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, AlgorithmAPIKey):
            key = request.auth
            return bool(
                key.algorithm_id == view.kwargs["algorithm_id"]
                and key.organisation.slug == view.kwargs["slug"]
            )
        if not request.user or not request.user.is_authenticated:
            return False
        organisation = view.get_organisation()
        if not core_selectors.user_has_permission(
            user=request.user, organisation=organisation, permission=Permission.APPEND_DECISIONS
        ):
            return False
        return not (
            organisation.require_two_factor and request.auth is None and not is_verified(request.user)
        )


class PublicLogAPIView(APIView):
    """Open to everyone, as the published checkpoints are."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def get_log(self, slug: str) -> DecisionLog:
        log = selectors.log_by_slug(slug=slug)
        if log is None:
            get_object_or_404(Organisation, slug=slug)
            raise exceptions.NotFound(_("This organisation has no decision log yet."))
        return log


# --- Serializers (documentation and output) ------------------------------------------------------------------


class EntrySerializer(serializers.Serializer[LogEntry]):
    index = serializers.IntegerField()
    kind = serializers.CharField()
    algorithmId = serializers.IntegerField(source="algorithm_id", allow_null=True)  # noqa: N815
    decisionId = serializers.CharField(source="decision_id", allow_null=True)  # noqa: N815
    decidedAt = serializers.DateTimeField(source="decided_at", allow_null=True)  # noqa: N815
    leafHash = serializers.SerializerMethodField()  # noqa: N815
    entry = serializers.SerializerMethodField(help_text="The entry's JSON object, exactly as hashed.")

    def get_leafHash(self, entry: LogEntry) -> str:  # noqa: N802
        return b64(entry.leaf_hash)

    def get_entry(self, entry: LogEntry) -> dict[str, Any]:
        return selectors.entry_fields(entry)


class CheckpointSerializer(serializers.Serializer[Checkpoint]):
    size = serializers.IntegerField()
    rootHash = serializers.SerializerMethodField()  # noqa: N815
    note = serializers.CharField(help_text="The signed note (C2SP tlog-checkpoint).")
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815

    def get_rootHash(self, checkpoint: Checkpoint) -> str:  # noqa: N802
        return b64(checkpoint.root_hash)


def _report_response(report: services.AppendReport, *, single: bool) -> Response:
    data = report.as_json()
    if report.accepted == 0 and not report.duplicates:
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            title=_("No record was appended."),
            detail=_("Every record was rejected; see errors.") if not report.atomic or not single else "",
            invalidParams=[
                {
                    "name": error.field or "record",
                    "code": "invalid",
                    "reason": error.reason,
                    "line": error.line,
                }
                for error in report.errors
            ],
            **data,
        )
    if report.atomic and report.errors:
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            title=_("The batch was rejected: it is all or nothing and has invalid records."),
            **data,
        )
    if single:
        if report.accepted:
            return Response(
                {"index": report.first_index, "treeSize": report.tree_size, "duplicate": False},
                status=status.HTTP_201_CREATED,
            )
        return Response(
            {"index": report.duplicates[0].index, "treeSize": report.tree_size, "duplicate": True}
        )
    return Response(data)


class DecisionListAPI(generics.GenericAPIView[LogEntry]):
    """Report decisions of one algorithm (POST), or list them (GET, staff)."""

    authentication_classes = [AlgorithmKeyAuthentication, APITokenAuthentication, SessionAuthentication]
    serializer_class = EntrySerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [CanAppendDecisions()]
        return [HasOrganisationPermission()]

    permission = Permission.VIEW_DECISION_LOG
    permissions_by_method: dict[str, Permission] = {}

    def get_organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self._organisation

    def get_algorithm(self) -> Algorithm:
        return get_object_or_404(
            Algorithm, organisation=self.get_organisation(), pk=self.kwargs["algorithm_id"]
        )

    def get_queryset(self) -> Any:
        log = selectors.decision_log_for(organisation=self.get_organisation())
        if log is None:
            return LogEntry.objects.none()
        return selectors.entries_of(
            log=log,
            algorithm=self.get_algorithm(),
            decision_id=self.request.query_params.get("decisionId", ""),
        )

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("decisionId", str, description="only the entry with this decision_id")],
        responses=EntrySerializer(many=True),
    )
    def get(self, request: Request, slug: str, algorithm_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EntrySerializer(cast(Any, page), many=True).data)

    @extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter(
                "atomic", bool, description="all or nothing: one invalid record rejects the whole batch"
            )
        ],
        request={
            "application/json": OpenApiRequest(OpenApiTypes.OBJECT),
            "application/x-ndjson": OpenApiRequest(OpenApiTypes.STR),
        },
        responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT},
        description="One decision record (JSON) or a batch (NDJSON, one record a line, up to 10,000). "
        "The record's JSON Schema is at /api/v1/decision-log/record-schema. A batch answers with a report: "
        "accepted records got the consecutive indexes firstIndex to lastIndex in line order; duplicates (a "
        "decision_id already in the log) and errors are listed with their line. The answer comes after the "
        "commit: a 2xx means the records are stored.",
    )
    # A batch's objects all live until the answer: the collector's passes over them would free nothing.
    @collector_paused()
    def post(self, request: Request, slug: str, algorithm_id: int) -> Response:
        organisation = self.get_organisation()
        algorithm = self.get_algorithm()
        atomic = request.query_params.get("atomic", "").lower() in ("1", "true", "yes")
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        body = request._request.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            return problem_response(
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                title=_("The request is too large."),
                detail=_("Send at most %(size)s MiB per request.") % {"size": MAX_BODY_BYTES // 2**20},
            )
        key = request.auth if isinstance(request.auth, AlgorithmAPIKey) else None
        source = f"key:{key.pk}" if key else f"user:{request.user.pk}"
        if content_type in NDJSON_TYPES:
            records, errors = parse_ndjson(body.splitlines())
            if len(records) + len(errors) > services.MAX_BATCH_RECORDS:
                return problem_response(
                    status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                    title=_("The batch is too large."),
                    detail=_("Send at most %(count)s records per request.")
                    % {"count": services.MAX_BATCH_RECORDS},
                )
            single = False
        elif content_type in ("application/json", ""):
            if len(body) > MAX_LINE_BYTES:
                raise exceptions.ValidationError({"record": [_("A record is at most 512 KiB.")]})
            try:
                record = parse_line(body)
            except (ValueError, UnicodeDecodeError) as error:
                raise exceptions.ParseError(
                    _("The body is not JSON: %(error)s") % {"error": error}
                ) from error
            records, errors, single = [(1, record)], [], True
        else:
            raise exceptions.UnsupportedMediaType(content_type)
        report = services.decisions_append(
            organisation=organisation,
            algorithm=algorithm,
            records=records,
            source=source,
            atomic=atomic,
            api_key=key,
            parse_errors=errors,
        )
        return _report_response(report, single=single)


class LogAPI(OrganisationScopedAPIView):
    """The organisation's log: origin, size, root, latest checkpoint and the number of entries per kind."""

    permission = Permission.VIEW_DECISION_LOG

    @extend_schema(tags=[TAG], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, slug: str) -> Response:
        log = services.decision_log_of(self.get_organisation())
        checkpoint = selectors.latest_checkpoint(log=log)
        return Response(
            {
                "origin": log.origin,
                "treeSize": log.size,
                "rootHash": b64(log.root_hash),
                "latestCheckpoint": CheckpointSerializer(checkpoint).data if checkpoint else None,
                "entriesPerKind": selectors.kind_counts(log=log),
            }
        )


class EntryListAPI(generics.ListAPIView[LogEntry], OrganisationScopedAPIView):
    """The log's entries, newest first; filter by ``kind``, ``algorithmId`` and ``decisionId``."""

    permission = Permission.VIEW_DECISION_LOG
    serializer_class = EntrySerializer

    def get_queryset(self) -> Any:
        log = services.decision_log_of(self.get_organisation())
        entries = selectors.entries_of(
            log=log,
            kind=self.request.query_params.get("kind", ""),
            decision_id=self.request.query_params.get("decisionId", ""),
        )
        algorithm_id = self.request.query_params.get("algorithmId", "")
        if algorithm_id.isdigit():
            entries = entries.filter(algorithm_id=int(algorithm_id))
        return entries

    @extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter(
                "kind", str, enum=["decision", "later-fact", "governance", "retention", "erasure"]
            ),
            OpenApiParameter("algorithmId", int),
            OpenApiParameter("decisionId", str),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class EntryDetailAPI(OrganisationScopedAPIView):
    """One entry, its bytes as hashed, and its inclusion proof; ``personalData=true`` adds the payload (only
    with the ``view_decision_personal_data`` permission, and recorded in the audit trail)."""

    permission = Permission.VIEW_DECISION_LOG

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("personalData", bool), OpenApiParameter("treeSize", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, slug: str, index: int) -> Response:
        organisation = self.get_organisation()
        log = services.decision_log_of(organisation)
        entry = selectors.entry_at(log=log, index=index)
        if entry is None:
            raise Http404
        data: dict[str, Any] = dict(EntrySerializer(entry).data)
        data["entryBytes"] = b64(entry.entry)
        proof = _inclusion(log, index, request.query_params.get("treeSize"))
        data["inclusionProof"] = proof
        if request.query_params.get("personalData", "").lower() in ("1", "true", "yes"):
            if not core_selectors.user_has_permission(
                user=request.user,
                organisation=organisation,
                permission=Permission.VIEW_DECISION_PERSONAL_DATA,
            ):
                raise exceptions.PermissionDenied(_("You may not see the personal data in the decision log."))
            services.personal_data_view_record(
                actor=acting_user(request), log=log, indexes=[index], purpose="API"
            )
            payload = selectors.payload_of(entry=entry)
            data["personalData"] = {
                "state": payload.state,
                "payload": payload.payload,
                "erasedAt": payload.erased_at,
                "erasure": payload.erasure_reference or None,
            }
        return Response(data)


def _int_param(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as error:
        raise exceptions.ValidationError({name: [_("Give a whole number.")]}) from error


def _inclusion(log: DecisionLog, index: int, tree_size: str | None) -> dict[str, Any]:
    try:
        proof = selectors.inclusion_proof_of(
            log=log, index=index, tree_size=_int_param(tree_size, "treeSize")
        )
    except (selectors.ProofUnavailableError, ProofError) as error:
        raise exceptions.NotFound(str(error)) from error
    return {
        "index": proof["index"],
        "treeSize": proof["tree_size"],
        "leafHash": b64(proof["leaf_hash"]),
        "proof": [b64(item) for item in proof["proof"]],
        "rootHash": b64(proof["root_hash"]),
        "checkpoint": proof["checkpoint"],
    }


class CheckpointListAPI(PublicLogAPIView):
    """The signed checkpoints, newest first (public); POST signs one now (``manage_decision_log``)."""

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self.request is not None and self.request.method == "POST":
            return [APITokenAuthentication(), SessionAuthentication()]
        return []

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [HasOrganisationPermission()]
        return [AllowAny()]

    permission = Permission.MANAGE_DECISION_LOG
    permissions_by_method: dict[str, Permission] = {}

    def get_organisation(self) -> Organisation:
        return get_object_or_404(Organisation, slug=self.kwargs["slug"])

    @extend_schema(tags=[TAG], responses=CheckpointSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        log = self.get_log(slug)
        checkpoints = selectors.checkpoints_of(log=log)[:100]
        return Response(CheckpointSerializer(cast(Any, checkpoints), many=True).data)

    @extend_schema(tags=[TAG], request=None, responses={201: CheckpointSerializer, 200: CheckpointSerializer})
    def post(self, request: Request, slug: str) -> Response:
        log = services.decision_log_of(self.get_organisation())
        made = services.checkpoint_create(log=log)
        latest = made or selectors.latest_checkpoint(log=log)
        if latest is None:  # an empty log: sign the empty tree
            latest = services.checkpoint_create(log=log, force=True)
        return Response(
            CheckpointSerializer(latest).data, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK
        )


class KeyListAPI(PublicLogAPIView):
    """Every checkpoint key the log has used: the current one and those rotated out (public)."""

    @extend_schema(tags=[TAG], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, slug: str) -> Response:
        log = self.get_log(slug)
        return Response(
            [
                {
                    "keyId": key.key_id,
                    "verifierKey": selectors.verifier_key(log=log, key=key).to_string(),
                    "status": "current" if key.retired_at is None else "rotated",
                    "createdAt": key.created_at,
                    "rotatedAt": key.retired_at,
                }
                for key in selectors.signing_keys_of(log=log)
            ]
        )


class InclusionProofAPI(PublicLogAPIView):
    """The RFC 9162 inclusion proof of an entry: by default in the latest checkpoint that holds it."""

    @extend_schema(tags=[TAG], parameters=[OpenApiParameter("treeSize", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, slug: str, index: int) -> Response:
        return Response(_inclusion(self.get_log(slug), index, request.query_params.get("treeSize")))


class ConsistencyProofAPI(PublicLogAPIView):
    """The RFC 9162 consistency proof between two tree sizes: by default the two latest checkpoints."""

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("oldSize", int), OpenApiParameter("newSize", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, slug: str) -> Response:
        log = self.get_log(slug)
        try:
            proof = selectors.consistency_proof_of(
                log=log,
                old_size=_int_param(request.query_params.get("oldSize"), "oldSize"),
                new_size=_int_param(request.query_params.get("newSize"), "newSize"),
            )
        except (selectors.ProofUnavailableError, ProofError) as error:
            raise exceptions.NotFound(str(error)) from error
        return Response(
            {
                "oldSize": proof["old_size"],
                "newSize": proof["new_size"],
                "proof": [b64(item) for item in proof["proof"]],
                "oldRootHash": b64(proof["old_root_hash"]),
                "newRootHash": b64(proof["new_root_hash"]),
                "oldCheckpoint": proof["old_checkpoint"],
                "newCheckpoint": proof["new_checkpoint"],
            }
        )


class RecordSchemaAPI(APIView):
    """The JSON Schema of a decision record: the contract of the ingestion API."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(tags=[TAG], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(record_schema(), content_type="application/schema+json")


ARGUMENTS_ALGORITHM = ("slug", "algorithm_id")
API_ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "Decisions of an algorithm",
        "api",
        "GET",
        "api:decisionlog-decisions",
        Permission.VIEW_DECISION_LOG,
        ARGUMENTS_ALGORITHM,
    ),
    Endpoint(
        "Report decisions (AI systems: an algorithm's API key)",
        "api",
        "POST",
        "api:decisionlog-decisions",
        Permission.APPEND_DECISIONS,
        ARGUMENTS_ALGORITHM,
    ),
    Endpoint("Decision log", "api", "GET", "api:decisionlog-log", Permission.VIEW_DECISION_LOG),
    Endpoint("Decision log entries", "api", "GET", "api:decisionlog-entries", Permission.VIEW_DECISION_LOG),
    Endpoint(
        "Decision log entry with proof",
        "api",
        "GET",
        "api:decisionlog-entry",
        Permission.VIEW_DECISION_LOG,
        ("slug", "index"),
    ),
    Endpoint("Decision log checkpoints", "api", "GET", "api:decisionlog-checkpoints", Access.PUBLIC),
    Endpoint(
        "Sign a checkpoint now", "api", "POST", "api:decisionlog-checkpoints", Permission.MANAGE_DECISION_LOG
    ),
    Endpoint("Decision log public keys", "api", "GET", "api:decisionlog-keys", Access.PUBLIC),
    Endpoint(
        "Inclusion proof", "api", "GET", "api:decisionlog-inclusion-proof", Access.PUBLIC, ("slug", "index")
    ),
    Endpoint("Consistency proof", "api", "GET", "api:decisionlog-consistency-proof", Access.PUBLIC),
    Endpoint("Decision record JSON Schema", "api", "GET", "api:decisionlog-record-schema", Access.PUBLIC, ()),
]
