"""The record contract: the fast validator agrees with the published JSON Schema, and prepared entries are
canonical JSON exactly as the core library would write them."""

from __future__ import annotations

import copy
import datetime
import gc
import hashlib
import json
import random
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from tests.decisionlog.conftest import BSN, record
from verantwoord.decisionlog.canonical import canonical_json, decode_entry, parse_canonical_json
from verantwoord.decisionlog.crypto import (
    PURPOSE_GROUP_ATTRIBUTES,
    Pseudonymiser,
    SealError,
    is_valid_bsn,
    normalise_subject,
    seal,
    unseal,
)
from verantwoord.decisionlog.merkle import leaf_hash
from verantwoord.decisionlog.records import (
    RecordPreparer,
    iter_ndjson,
    parse_line,
    parse_ndjson,
    record_problems,
    record_schema,
)

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def _mutations() -> list[tuple[str, Any]]:
    long = "x" * 201
    return [
        ("drop", "decision_id"),
        ("drop", "decided_at"),
        ("drop", "model_version"),
        ("drop", "output"),
        ("drop", "decision"),
        ("drop", "subject"),
        ("drop", "inputs"),
        ("drop", "human_review"),
        ("drop", "group_attributes"),
        ("drop", "explanation"),
        ("set", ("decision_id", 17)),
        ("set", ("decision_id", "")),
        ("set", ("decision_id", long)),
        ("set", ("decision_id", "tab\there")),
        ("set", ("decided_at", "2026-03-01")),
        ("set", ("decided_at", "2026-03-01T10:00:00")),
        ("set", ("decided_at", "2026-03-01 10:00:00Z")),
        ("set", ("decided_at", "2026-03-01T10:00:00.1234567Z")),
        ("set", ("decided_at", "2026-03-01T10:00:00.123+02:00")),
        ("set", ("decided_at", 1_700_000_000)),
        ("set", ("subject", "")),
        ("set", ("subject", "y" * 101)),
        ("set", ("subject", 123456782)),
        ("set", ("model_version", "v" * 101)),
        ("set", ("inputs", [1, 2])),
        ("set", ("inputs", {"nested": {"deep": [1, {"a": None}]}})),
        ("set", ("output", True)),
        ("set", ("output", "label")),
        ("set", ("output", "z" * 201)),
        ("set", ("output", None)),
        ("set", ("output", {"score": 1})),
        ("set", ("output", 7)),
        ("set", ("decision", "")),
        ("set", ("decision", ["a"])),
        ("set", ("human_review", {"overridden": True})),
        ("set", ("human_review", {"reviewed": "yes"})),
        ("set", ("human_review", {"reviewed": True, "extra": 1})),
        ("set", ("human_review", {"reviewed": False, "reviewer": "r" * 201})),
        ("set", ("human_review", "reviewed")),
        ("set", ("explanation", "e" * 10_001)),
        ("set", ("explanation", 3)),
        ("set", ("group_attributes", {"bad key!": "x"})),
        ("set", ("group_attributes", {"ok": {"nested": 1}})),
        ("set", ("group_attributes", {"ok": "v" * 101})),
        ("set", ("group_attributes", {f"k{i}": i for i in range(21)})),
        ("set", ("group_attributes", {"leeftijd": 34, "actief": True, "onbekend": None})),
        ("set", ("group_attributes", [])),
        ("set", ("unknown_field", 1)),
        ("set", ("fact", "outcome")),
        ("set", ("refers_to", "BIJ-1")),
        ("later", ("outcome", True)),
        ("later", ("objection", False)),
        ("later", ("verdict", True)),
    ]


def _mutate(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for kind, argument in rng.sample(_mutations(), rng.randint(1, 3)):
        if kind == "drop":
            result.pop(argument, None)
        elif kind == "set":
            name, value = argument
            result[name] = value
        else:
            fact, strip = argument
            result.update(refers_to="BIJ-00001", fact=fact)
            if strip:
                for name in ("model_version", "output", "decision"):
                    result.pop(name, None)
    return result


def test_the_fast_validator_gives_the_verdict_of_the_published_schema() -> None:
    validator = jsonschema.Draft202012Validator(record_schema())
    rng = random.Random(6)
    checked = {True: 0, False: 0}
    for number in range(3000):
        candidate = _mutate(record(number), rng) if number % 5 else record(number)
        expected = validator.is_valid(candidate)
        assert (record_problems(candidate) == []) is expected, (candidate, record_problems(candidate))
        checked[expected] += 1
    assert checked[True] > 500 and checked[False] > 500


def test_the_schema_itself_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(record_schema())


def test_problems_name_every_field_at_once() -> None:
    problems = dict(record_problems({"decision_id": "", "output": [], "fact": "x", "extra": 1}))
    assert set(problems) == {
        "decision_id",
        "decided_at",
        "model_version",
        "decision",
        "output",
        "fact",
        "extra",
    }
    assert record_problems([1]) == [("", "a record is a JSON object")]


def _preparer(now: datetime.datetime = NOW) -> RecordPreparer:
    return RecordPreparer(
        algorithm_id=17, source="key:3", pseudonymiser=Pseudonymiser(b"s" * 32), received_at=now
    )


@pytest.mark.parametrize("seed", range(5))
def test_prepared_entries_are_the_canonical_json_of_their_fields(seed: int, settings: Any) -> None:
    rng = random.Random(seed)
    items = []
    for number in range(200):
        data = record(number)
        if rng.random() < 0.3:
            data["inputs"] = {"é": 'ü\u2028"\\', "n": [1, 2.5, -0.0, 1e-7, None, True], "z": {"b": 1, "a": 2}}
        if rng.random() < 0.3:
            data.update(refers_to="BIJ-00001", fact=rng.choice(["outcome", "objection"]))
        if rng.random() < 0.2:
            data["output"] = rng.choice([True, False, "hoog", 3, 0.1, 1e21])
        if rng.random() < 0.2:
            data["decision_id"] = "Ω-\u00e9-\U0001f600-" + str(number)
        if rng.random() < 0.2:
            data.pop("human_review")
        items.append((number + 1, data))
    prepared, errors = _preparer().prepare(items)
    assert errors == []
    for item in prepared:
        fields = decode_entry(item.entry)  # raises unless the bytes are canonical
        assert canonical_json(fields) == item.entry
        assert item.leaf_hash == leaf_hash(item.entry)
        payload = parse_canonical_json(item.payload.encode())
        assert hashlib.sha256(item.salt + item.payload.encode()).hexdigest() == fields["payload_digest"]
        assert "subject" not in fields and BSN not in item.entry.decode()
        assert payload.get("pseudonym") == item.pseudonym
        assert fields["algorithm"] == 17 and fields["source"] == "key:3" and fields["v"] == 1
        assert fields["received_at"] == "2026-03-10T12:00:00.000Z"
        if item.group_sealed is not None and item.group_salt is not None:
            attributes = unseal(PURPOSE_GROUP_ATTRIBUTES, item.group_sealed, f"17:{item.decision_id}")
            assert hashlib.sha256(item.group_salt + attributes).hexdigest() == fields["group_digest"]


def test_decided_at_is_normalised_to_utc_and_checked() -> None:
    prepared, errors = _preparer().prepare(
        [
            (1, record(1, decided_at="2026-03-01T10:00:00.250+01:00")),
            (2, record(2, decided_at="2026-02-30T10:00:00Z")),
            (3, record(3, decided_at="2026-03-12T12:00:01Z")),
            (4, record(4, decided_at="2026-03-11T11:00:00Z")),
        ]
    )
    assert decode_entry(prepared[0].entry)["decided_at"] == "2026-03-01T09:00:00.250000Z"
    assert [(error.line, error.field) for error in errors] == [(2, "decided_at"), (3, "decided_at")]
    assert "future" in errors[1].reason
    assert len(prepared) == 2


def test_values_without_a_canonical_form_are_refused_per_record() -> None:
    prepared, errors = _preparer().prepare(
        [
            (1, record(1, inputs={"big": 2**60})),
            (2, record(2, output=2**60)),
            (3, record(3, explanation="lone \ud800 surrogate")),
            (4, record(4)),
        ]
    )
    assert [error.line for error in errors] == [1, 2, 3]
    assert len(prepared) == 1


def test_ndjson_lines_are_numbered_and_bad_json_reported() -> None:
    lines = [b'{"a": 1}', b"", b"{bad", b"NaN", b'{"b": Infinity}', b"[1]"]
    parsed = list(iter_ndjson(lines))
    assert [(line, error == "") for line, _value, error in parsed] == [
        (1, True),
        (3, False),
        (4, False),
        (5, False),
        (6, True),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"a": [1, 2.5, "\\u00e9", null, true]}', {"a": [1, 2.5, "\u00e9", None, True]}),
        (b' \t{"a": 1} \r', {"a": 1}),
        ('{"a": "é"}'.encode(), {"a": "é"}),
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),  # a UTF-8 byte order mark, as json.loads allows
        ('{"a": 1}', {"a": 1}),
        (b"[]", []),
        (b'"text"', "text"),
    ],
)
def test_a_line_is_read_as_json_loads_reads_it(line: bytes | str, expected: object) -> None:
    assert parse_line(line) == expected == json.loads(line)


@pytest.mark.parametrize(
    "line",
    [
        b'{"a": 1} {"b": 2}',
        b'{"a": 1},',
        b'{"a": 1}x',
        b"",
        b"   ",
        b'{"a": NaN}',
        b"-Infinity",
        b'{"a": 1',
        b"\xff",
    ],
)
def test_a_line_that_is_not_one_json_value_is_refused(line: bytes) -> None:
    with pytest.raises((ValueError, UnicodeDecodeError)):
        parse_line(line)


def test_a_batch_is_read_with_the_collector_paused_and_lines_numbered_from_start() -> None:
    seen: list[bool] = []

    def lines() -> Iterator[bytes]:
        for line in (b'{"a": 1}', b"", b"{bad", b'{"b": 2}'):
            seen.append(gc.isenabled())
            yield line

    was_enabled = gc.isenabled()
    records, errors = parse_ndjson(lines(), 10_001)
    assert records == [(10_001, {"a": 1}), (10_004, {"b": 2})]
    assert [(error.line, error.field) for error in errors] == [(10_003, "")]
    assert errors[0].reason.startswith("not JSON: ")
    assert seen == [False] * 4 and gc.isenabled() == was_enabled


def test_pseudonyms_are_keyed_and_normalised() -> None:
    first, second = Pseudonymiser(b"a" * 32), Pseudonymiser(b"b" * 32)
    assert first("111222333") == first(" 111.222.333 ") == first("111-222-333")
    assert first("012345672") == first("12345672")
    assert first("111222333") != second("111222333")
    assert len(first("x")) == 64
    assert json.dumps(first("111222333")).strip('"').isalnum()
    assert is_valid_bsn("111222333") and not is_valid_bsn("111222334") and not is_valid_bsn("abc")
    assert normalise_subject("1234 5678") == "012345678"


def test_sealed_values_open_only_in_their_place_and_with_fallback_keys(settings: Any) -> None:
    sealed = seal("signing-key", b"secret", "1:abcd")
    assert unseal("signing-key", sealed, "1:abcd") == b"secret"
    with pytest.raises(SealError):
        unseal("signing-key", sealed, "2:abcd")  # copied to another row
    with pytest.raises(SealError):
        unseal("pseudonym-secret", sealed, "1:abcd")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-of-sufficient-length-0123456789"
    with pytest.raises(SealError):
        unseal("signing-key", sealed, "1:abcd")
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert unseal("signing-key", sealed, "1:abcd") == b"secret"
