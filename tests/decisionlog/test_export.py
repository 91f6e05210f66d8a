"""`verantwoord log …` on the command line, and exports that the stand-alone verifier accepts — after key
rotation, erasure and a retention purge too — and an altered log that cannot be exported as intact."""

from __future__ import annotations

import base64
import datetime
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.decisionlog.conftest import BSN, OTHER_BSN, record
from verantwoord.core.models import Organisation, User
from verantwoord.decisionlog import selectors, services
from verantwoord.decisionlog.merkle import verify_inclusion
from verantwoord.decisionlog.models import Checkpoint, LogEntry, LogSigningKey
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "verify"
Append = Callable[..., services.AppendReport]


def run(
    *args: str,
    stdin: bytes | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
    out: io.StringIO | None = None,
) -> str:
    """`verantwoord log ARGS`; its output, also in ``out`` (to read it when the command fails)."""
    out = out if out is not None else io.StringIO()
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("log", *args, stdout=out)
    return out.getvalue()


def appending(organisation: Organisation, algorithm: str) -> tuple[str, ...]:
    """The arguments of `log append --json` for one algorithm (its ID, source ID or LARS ID)."""
    return ("append", "--organisation", organisation.slug, "--algorithm", algorithm, "--json")


def verify(directory: Path, *args: str) -> tuple[int, str]:
    """The stand-alone verifier, run from its own directory as an auditor runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "verantwoord_verify", str(directory), *args],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def history(
    organisation: Organisation, algorithm: Algorithm, append: Append, beheerder: User
) -> Organisation:
    """A log with a life: decisions, later facts, checkpoints, a key rotation, an erasure and a purge."""
    now = timezone.now()
    old = (now - datetime.timedelta(days=300)).isoformat()
    append(*[record(number, decided_at=old) for number in range(1, 40)])
    append(
        {
            "decision_id": "F/2",
            "decided_at": "2026-03-05T10:00:00Z",
            "refers_to": "BIJ-00002",
            "fact": "objection",
        }
    )
    log = services.decision_log_of(organisation)
    services.checkpoint_create(log=log)
    append(*[record(number) for number in range(40, 300)])
    services.checkpoint_create(log=log)
    services.signing_key_rotate(actor=beheerder, log=log)
    services.subject_erase(actor=beheerder, organisation=organisation, subject=OTHER_BSN, reference="AVG-1")
    services.retention_purge()
    append(*[record(number) for number in range(300, 320)])
    return organisation


def test_the_export_of_a_lived_log_verifies(history: Organisation, tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    summary = json.loads(run("export", "--organisation", history.slug, str(target), "--json"))
    log = services.decision_log_of(history)
    assert summary["treeSize"] == log.size == Checkpoint.objects.filter(log=log).latest("size").size
    current = LogSigningKey.objects.get(log=log, retired_at__isnull=True)
    trusted = selectors.verifier_key(log=log, key=current).to_string()
    code, output = verify(target, "--key", trusted)
    assert code == 0, output
    assert "INTACT" in output
    # Every earlier checkpoint is in the bundle and the log is consistent with it.
    earlier = sorted((target / "checkpoints").iterdir())
    assert len(earlier) == Checkpoint.objects.filter(log=log).count() - 1 >= 3
    for checkpoint in earlier:
        code, output = verify(target, "--consistency", str(checkpoint), "--key", trusted)
        assert code == 0, output
    code, output = verify(target, "--inclusion", "5", "--inclusion", str(log.size - 1))
    assert code == 0, output
    lines = [json.loads(line) for line in (target / "payloads.jsonl").read_text().splitlines()]
    erased = [line["index"] for line in lines if line.get("erased")]
    assert len(erased) > 100  # the request and the purge
    text = (target / "payloads.jsonl").read_text()
    assert BSN not in text and OTHER_BSN not in text and "nationaliteit" not in text
    keys = json.loads((target / "manifest.json").read_text())["keys"]
    assert sorted(key["status"] for key in keys) == ["current", "rotated"]


def test_a_bundle_without_payloads_verifies_too(history: Organisation, tmp_path: Path) -> None:
    target = tmp_path / "bundle"
    run("export", "--organisation", history.slug, str(target), "--no-payloads")
    assert not (target / "payloads.jsonl").exists()
    code, output = verify(target)
    assert code == 0, output


def test_an_altered_log_exports_as_evidence_that_the_verifier_rejects(
    history: Organisation, tmp_path: Path
) -> None:
    """The export does not hide tampering: it writes what is stored, and the verifier names the entry."""
    log = services.decision_log_of(history)
    entry = LogEntry.objects.get(log=log, decision_id="BIJ-00100")
    LogEntry.objects.filter(pk=entry.pk).update(entry=bytes(entry.entry).replace(b"3.1.0", b"3.1.1"))
    run("export", "--organisation", history.slug, str(tmp_path / "bundle"), "--at-latest-checkpoint")
    code, output = verify(tmp_path / "bundle")
    assert code == 1 and f"entry {entry.index}" in output, output
    with pytest.raises(CommandError) as raised:
        run("verify", "--organisation", history.slug)
    assert raised.value.returncode == 1


def test_log_verify_on_the_cli(history: Organisation) -> None:
    report = json.loads(run("verify", "--organisation", history.slug, "--json"))
    assert report["intact"] is True and report["errors"] == []
    assert "INTACT" in run("verify", "--organisation", history.slug)


def test_append_from_standard_input(
    organisation: Organisation, algorithm: Algorithm, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = b"\n".join(json.dumps(record(number)).encode() for number in range(1, 6)) + b"\n{broken\n"
    with pytest.raises(CommandError) as raised:
        run(*appending(organisation, str(algorithm.pk)), stdin=lines, monkeypatch=monkeypatch)
    assert raised.value.returncode == 1
    assert LogEntry.objects.filter(kind="decision").count() == 5
    algorithm.source_id = "VBS-009"
    algorithm.save()
    summary = json.loads(
        run(
            *appending(organisation, "VBS-009"), stdin=lines.rsplit(b"{broken", 1)[0], monkeypatch=monkeypatch
        )
    )
    assert summary["accepted"] == 0 and len(summary["duplicates"]) == 5
    with pytest.raises(CommandError) as unknown:
        run(
            "append",
            "--organisation",
            organisation.slug,
            "--algorithm",
            "nope",
            stdin=b"",
            monkeypatch=monkeypatch,
        )
    assert unknown.value.returncode == 2


def test_append_numbers_lines_across_the_chunks_it_reads(
    organisation: Organisation, algorithm: Algorithm, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("verantwoord.decisionlog.management.commands.log.CLI_CHUNK", 3)
    lines = [json.dumps(record(number)).encode() for number in range(1, 5)]
    lines += [b"", b"{broken", json.dumps(record(5)).encode(), json.dumps(record(5)).encode()]
    out = io.StringIO()
    with pytest.raises(CommandError):
        run(
            *appending(organisation, str(algorithm.pk)),
            stdin=b"\n".join(lines) + b"\n",
            monkeypatch=monkeypatch,
            out=out,
        )
    summary = json.loads(out.getvalue())
    assert summary["records"] == 7 and summary["accepted"] == 5
    assert [error["line"] for error in summary["errors"]] == [6]
    assert [duplicate["line"] for duplicate in summary["duplicates"]] == [8]
    assert list(
        LogEntry.objects.filter(kind="decision").order_by("index").values_list("decision_id", flat=True)
    ) == [f"BIJ-{number:05d}" for number in range(1, 6)]


def test_checkpoint_proof_erase_and_rotate_on_the_cli(organisation: Organisation, append: Append) -> None:
    append(*[record(number) for number in range(1, 20)])
    made = json.loads(run("checkpoint", "--organisation", organisation.slug, "--json"))
    assert made["created"] is True
    assert json.loads(run("checkpoint", "--organisation", organisation.slug, "--json"))["created"] is False
    entry = LogEntry.objects.get(decision_id="BIJ-00004")
    algorithm_id = str(entry.algorithm_id)
    proof = json.loads(
        run(
            "proof",
            "--organisation",
            organisation.slug,
            "--decision-id",
            "BIJ-00004",
            "--algorithm",
            algorithm_id,
            "--json",
        )
    )
    assert proof["index"] == entry.index and proof["treeSize"] == made["size"]
    verify_inclusion(
        bytes(entry.leaf_hash),
        entry.index,
        proof["treeSize"],
        [base64.b64decode(p) for p in proof["proof"]],
        base64.b64decode(made["rootHash"]),
    )
    consistency = json.loads(
        run("proof", "--organisation", organisation.slug, "--consistency", "3", str(made["size"]), "--json")
    )
    assert consistency["newRootHash"] == made["rootHash"]
    with pytest.raises(CommandError):
        run("proof", "--organisation", organisation.slug, "--index", "100000")
    erased = json.loads(
        run("erase", "--organisation", organisation.slug, "--subject", BSN, "--reference", "AVG-2", "--json")
    )
    assert erased == {"reference": "AVG-2", "erased": 10}
    rotated = json.loads(run("rotate-key", "--organisation", organisation.slug, "--json"))
    assert rotated["verifierKey"].startswith("verantwoord.example/testdorp+")
    with pytest.raises(CommandError):
        run("checkpoint", "--organisation", "onbekend")


def test_the_worker_job_signs_checkpoints(organisation: Organisation, append: Append) -> None:
    from verantwoord.core.jobs import run_due_jobs

    append(record(1))
    results = {result.name: result for result in run_due_jobs()}
    assert results["decisionlog.checkpoints"].status == "ok"
    assert Checkpoint.objects.filter(log__organisation=organisation).exists()
    assert results["decisionlog.retention_purge"].status == "ok"
