"""The decision log API: ingestion by API key (one record, NDJSON batches, all-or-nothing), the public
checkpoints, keys and proofs, and the staff endpoints with their audited view of personal data."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.decisionlog.conftest import record
from verantwoord.core import services as core_services
from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.decisionlog import services
from verantwoord.decisionlog.checkpoints import VerifierKey, open_checkpoint
from verantwoord.decisionlog.merkle import verify_consistency, verify_inclusion
from verantwoord.decisionlog.models import AlgorithmAPIKey, DecisionLog, LogEntry
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


def url(organisation: Organisation, algorithm: Algorithm) -> str:
    return f"/api/v1/organisations/{organisation.slug}/algorithms/{algorithm.pk}/decisions"


@pytest.fixture
def api_key(algorithm: Algorithm, beheerder: User) -> tuple[AlgorithmAPIKey, str]:
    return services.api_key_create(actor=beheerder, algorithm=algorithm, name="Bronsysteem")


def post(client: Client, target: str, key: str, body: Any, *, ndjson: bool = False, query: str = "") -> Any:
    if ndjson:
        data = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in body) + "\n"
        content_type = "application/x-ndjson"
    else:
        data, content_type = json.dumps(body), "application/json"
    return client.post(target + query, data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_one_record_is_appended_and_a_retry_answers_with_the_same_index(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    key, secret = api_key
    response = post(Client(), url(organisation, algorithm), secret, record(1))
    assert response.status_code == 201, response.content
    body = response.json()
    entry = LogEntry.objects.get(decision_id="BIJ-00001")
    assert body == {"index": entry.index, "treeSize": entry.index + 1, "duplicate": False}
    assert json.loads(entry.entry)["source"] == f"key:{key.pk}"
    again = post(Client(), url(organisation, algorithm), secret, record(1))
    assert (
        again.status_code == 200
        and again.json()["duplicate"] is True
        and again.json()["index"] == entry.index
    )
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert response["API-Version"] and response["Cache-Control"] == "no-store"


def test_an_invalid_record_is_a_problem_with_every_field(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    response = post(Client(), url(organisation, algorithm), api_key[1], {"decision_id": "", "output": []})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {param["name"] for param in response.json()["invalidParams"]}
    assert {"decision_id", "decided_at", "output", "model_version", "decision"} <= names
    bad_json = Client().post(
        url(organisation, algorithm),
        "{nope",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_key[1]}",
    )
    assert bad_json.status_code == 400


def test_an_ndjson_batch_reports_bad_lines_and_keeps_the_good_ones(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    lines: list[Any] = [record(number) for number in range(1, 101)]
    lines[9] = "{not json"
    lines[49] = record(50, decided_at="gisteren")
    lines.insert(20, "")
    response = post(Client(), url(organisation, algorithm), api_key[1], lines, ndjson=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["records"] == 100 and body["accepted"] == 98 and body["rejected"] == 2
    assert [(error["line"], error["field"]) for error in body["errors"]] == [(10, ""), (51, "decided_at")]
    first = LogEntry.objects.get(decision_id="BIJ-00001").index
    assert (body["firstIndex"], body["lastIndex"]) == (first, first + 97)
    assert LogEntry.objects.get(decision_id="BIJ-00100").index == first + 97


def test_an_atomic_batch_with_a_bad_line_appends_nothing(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    size = services.decision_log_of(organisation).size
    lines = [record(1), record(2, output={"x": 1}), record(3)]
    response = post(
        Client(), url(organisation, algorithm), api_key[1], lines, ndjson=True, query="?atomic=true"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 2 and response.json()["accepted"] == 0
    assert DecisionLog.objects.get(organisation=organisation).size == size
    ok = post(
        Client(),
        url(organisation, algorithm),
        api_key[1],
        [record(1), record(3)],
        ndjson=True,
        query="?atomic=1",
    )
    assert ok.status_code == 200 and ok.json()["accepted"] == 2


def test_a_batch_of_ten_thousand_records_is_accepted(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    lines = [record(number) for number in range(1, 10_001)]
    response = post(Client(), url(organisation, algorithm), api_key[1], lines, ndjson=True)
    assert response.status_code == 200 and response.json()["accepted"] == 10_000
    too_many = post(Client(), url(organisation, algorithm), api_key[1], [*lines, record(10_001)], ndjson=True)
    assert too_many.status_code == 413


def test_keys_are_scoped_to_their_algorithm_and_revocable(
    organisation: Organisation,
    algorithm: Algorithm,
    api_key: tuple[AlgorithmAPIKey, str],
    beheerder: User,
) -> None:
    other = Algorithm.objects.create(organisation=organisation, name="Chatbot")
    assert post(Client(), url(organisation, other), api_key[1], record(1)).status_code == 403
    assert post(Client(), url(organisation, algorithm), "vwdl_wrong", record(1)).status_code == 401
    anonymous = Client().post(
        url(organisation, algorithm), json.dumps(record(1)), content_type="application/json"
    )
    assert anonymous.status_code == 401
    services.api_key_revoke(actor=beheerder, api_key=api_key[0])
    assert post(Client(), url(organisation, algorithm), api_key[1], record(1)).status_code == 401
    # An algorithm key reads nothing.
    _key, fresh = services.api_key_create(actor=beheerder, algorithm=algorithm, name="Nieuw")
    assert Client().get(url(organisation, algorithm), HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 403
    assert LogEntry.objects.filter(kind="decision").count() == 0


def test_a_beheerder_may_upload_with_a_personal_token(
    organisation: Organisation, algorithm: Algorithm, beheerder: User, member_of: Callable[..., User]
) -> None:
    _token, raw = core_services.api_token_create(actor=beheerder, user=beheerder, name="cli")
    response = Client().post(
        url(organisation, algorithm),
        json.dumps(record(1)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}",
    )
    assert response.status_code == 201
    assert json.loads(LogEntry.objects.get(decision_id="BIJ-00001").entry)["source"] == f"user:{beheerder.pk}"
    auditor = member_of(organisation, Role.AUDITOR)
    client = Client()
    client.force_login(auditor)
    refused = client.post(
        url(organisation, algorithm), json.dumps(record(2)), content_type="application/json"
    )
    assert refused.status_code == 403


def test_public_checkpoints_keys_and_proofs_let_anyone_check_the_log(
    organisation: Organisation, algorithm: Algorithm, api_key: tuple[AlgorithmAPIKey, str]
) -> None:
    post(Client(), url(organisation, algorithm), api_key[1], [record(n) for n in range(1, 30)], ndjson=True)
    log = services.decision_log_of(organisation)
    services.checkpoint_create(log=log)
    post(Client(), url(organisation, algorithm), api_key[1], [record(n) for n in range(30, 50)], ndjson=True)
    services.checkpoint_create(log=log)
    base = f"/api/v1/organisations/{organisation.slug}/decision-log"
    anonymous = Client()
    keys = anonymous.get(f"{base}/keys").json()
    verifiers = [VerifierKey.from_string(key["verifierKey"]) for key in keys]
    checkpoints = anonymous.get(f"{base}/checkpoints").json()
    assert [checkpoint["size"] for checkpoint in checkpoints] == sorted(
        (checkpoint["size"] for checkpoint in checkpoints), reverse=True
    )
    newest, older = (
        open_checkpoint(c["note"].encode(), verifiers, origin=log.origin)[0] for c in checkpoints[:2]
    )
    entry = LogEntry.objects.get(decision_id="BIJ-00007")
    proof = anonymous.get(f"{base}/proofs/inclusion/{entry.index}").json()
    assert proof["treeSize"] == newest.size
    verify_inclusion(
        bytes(entry.leaf_hash),
        entry.index,
        newest.size,
        [base64.b64decode(p) for p in proof["proof"]],
        newest.root_hash,
    )
    consistency = anonymous.get(f"{base}/proofs/consistency").json()
    assert (consistency["oldSize"], consistency["newSize"]) == (older.size, newest.size)
    verify_consistency(
        older.size,
        newest.size,
        [base64.b64decode(p) for p in consistency["proof"]],
        older.root_hash,
        newest.root_hash,
    )
    assert anonymous.get(f"{base}/proofs/inclusion/999999").status_code == 404
    assert anonymous.get(f"{base}/proofs/consistency?oldSize=5&newSize=2").status_code == 404
    assert anonymous.get(f"{base}/proofs/consistency?oldSize=x").status_code == 400
    assert anonymous.get("/api/v1/organisations/onbekend/decision-log/keys").status_code == 404
    schema = anonymous.get("/api/v1/decision-log/record-schema")
    assert schema.status_code == 200 and schema.json()["title"] == "Verantwoord decision record"


def test_staff_read_entries_and_personal_data_only_with_the_right_and_audited(
    organisation: Organisation,
    algorithm: Algorithm,
    api_key: tuple[AlgorithmAPIKey, str],
    member_of: Callable[..., User],
) -> None:
    post(Client(), url(organisation, algorithm), api_key[1], record(1))
    index = LogEntry.objects.get(decision_id="BIJ-00001").index
    base = f"/api/v1/organisations/{organisation.slug}/decision-log"
    ciso, owner = member_of(organisation, Role.CISO), member_of(organisation, Role.ALGORITHM_OWNER)
    client = Client()
    client.force_login(ciso)
    body = client.get(f"{base}/entries/{index}").json()
    assert body["entry"]["decision_id"] == "BIJ-00001" and "personalData" not in body
    assert base64.b64decode(body["entryBytes"]) == bytes(LogEntry.objects.get(decision_id="BIJ-00001").entry)
    assert body["inclusionProof"]["index"] == index
    assert client.get(f"{base}/entries/{index}?personalData=true").status_code == 403
    assert client.get(f"{base}?").json()["entriesPerKind"]["decision"] == 1
    listed = client.get(f"{base}/entries?kind=decision&algorithmId={algorithm.pk}").json()
    assert [item["decisionId"] for item in listed["results"]] == ["BIJ-00001"]
    assert client.get(url(organisation, algorithm) + "?decisionId=BIJ-00001").json()["count"] == 1
    client.force_login(owner)
    personal = client.get(f"{base}/entries/{index}?personalData=true").json()["personalData"]
    assert personal["state"] == "present" and personal["payload"]["reviewer"] == "consulent-07"
    trail = AuditRecord.objects.get(action="decisionlog.personal_data_view")
    assert trail.actor == owner and trail.changes == {"entries": [[index, index]]}
    assert LogEntry.objects.filter(audit_record_id=trail.pk).exists()


def test_a_checkpoint_can_be_signed_on_demand(organisation: Organisation, beheerder: User) -> None:
    client = Client()
    client.force_login(beheerder)
    base = f"/api/v1/organisations/{organisation.slug}/decision-log/checkpoints"
    first = client.post(base)
    assert first.status_code == 201
    assert client.post(base).status_code == 200
    assert Client().post(base).status_code == 401


def test_the_openapi_document_describes_the_decision_log(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/organisations/{slug}/algorithms/{algorithm_id}/decisions" in document["paths"]
    assert "/api/v1/decision-log/record-schema" in document["paths"]
