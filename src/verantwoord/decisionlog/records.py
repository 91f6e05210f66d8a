"""The decision record contract: validation against the published JSON Schema, and the log entry it becomes.

``data/decision-record.schema.json`` is the contract external systems code against. Checking ten thousand
records a second with a general JSON Schema validator would cost more than storing them, so
:func:`record_problems` checks the same rules directly (a test runs both over many records and requires the
same verdict), plus what a schema cannot say: a real moment in time, I-JSON integers, a size limit.

:func:`prepare_records` does all the work that needs no lock — pseudonyms, payload commitments, the
canonical entry bytes and their leaf hashes — so that concurrent requests overlap it, and only the tree
update and the inserts happen while the log is locked.

An entry never holds personal data. A decision entry (keys in canonical order)::

    {"algorithm":17,"decided_at":"2026-03-01T09:00:00Z","decision":"onderzoek","decision_id":"BIJ-1",
     "group_digest":"…","human_review":{"overridden":false,"reviewed":true},"kind":"decision",
     "model_version":"2.3.1","output":0.82,"payload_digest":"…","received_at":"2026-03-01T09:00:01.250Z",
     "source":"key:3","v":1}

and its payload, stored apart with its salt: ``{"explanation":…,"inputs":{…},"pseudonym":"…","reviewer":…}``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import json.encoder
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring
from operator import attrgetter
from pathlib import Path
from typing import Any

from verantwoord.decisionlog.canonical import MAX_SAFE_INTEGER, SALT_SIZE, CanonicalJSONError, canonical_json
from verantwoord.decisionlog.collector import collector_paused
from verantwoord.decisionlog.crypto import NONCE_SIZE, PURPOSE_GROUP_ATTRIBUTES, sealer
from verantwoord.decisionlog.merkle import LEAF_PREFIX

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "decision-record.schema.json"
ENTRY_VERSION = 1
MAX_PAYLOAD_BYTES = 256 * 1024
MAX_LINE_BYTES = 512 * 1024
FUTURE_TOLERANCE = datetime.timedelta(days=1)
KIND_DECISION = "decision"
KIND_LATER_FACT = "later-fact"
RANDOM_PER_RECORD = 2 * SALT_SIZE + NONCE_SIZE
FACTS = ("outcome", "objection", "appeal", "correction", "review", "other")

_TEXT_200 = re.compile(r"[^\x00-\x1f\x7f]{1,200}")
_TEXT_100 = re.compile(r"[^\x00-\x1f\x7f]{1,100}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_GROUP_KEY = re.compile(r"[A-Za-z0-9_.-]{1,50}")
_KEYS = frozenset(
    {
        "decision_id",
        "decided_at",
        "subject",
        "model_version",
        "inputs",
        "output",
        "decision",
        "human_review",
        "explanation",
        "group_attributes",
        "refers_to",
        "fact",
    }
)
_REVIEW_KEYS = frozenset({"reviewed", "overridden", "reviewer"})
_UTC = datetime.UTC
# Long digit runs may be integers beyond I-JSON's range: such values take the slow, exact path.
_LONG_NUMBER = re.compile(r"[0-9]{16}")
# One C encoder with canonical settings, made once (json.dumps builds a new one per call).
_C_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # CPython's C encoder; absent elsewhere
_ENCODER = (
    _C_MAKE_ENCODER(None, None, encode_basestring, None, ":", ",", True, False, False)
    if _C_MAKE_ENCODER is not None
    else None
)

Problem = tuple[str, str]  # (field, reason)


@cache
def record_schema() -> dict[str, Any]:
    """The published JSON Schema of a decision record."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


# --- Validation ----------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(record: dict[str, Any], name: str, pattern: re.Pattern[str], problems: list[Problem]) -> None:
    value = record.get(name)
    if value is None and name not in record:
        return
    if not isinstance(value, str):
        problems.append((name, "must be a string"))
    elif pattern.fullmatch(value) is None:
        limit = 100 if pattern is _TEXT_100 else 200
        problems.append((name, f"must be 1 to {limit} characters without control characters"))


def _number_problem(value: float, name: str) -> Problem | None:
    if isinstance(value, float) and not math.isfinite(value):
        return (name, "must be a finite number")
    if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
        return (name, "integer is outside ±(2^53 - 1); send it as a string")
    return None


def parse_decided_at(value: str, now: datetime.datetime) -> datetime.datetime | str:
    """The moment in UTC, or the reason it is not acceptable."""
    if _DATE_TIME.fullmatch(value) is None:
        return "must be ISO 8601 with seconds and a time zone, e.g. 2026-03-01T10:00:00+01:00"
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return "is not a real date and time"
    moment = moment.astimezone(_UTC)
    if moment > now + FUTURE_TOLERANCE:
        return "lies more than a day in the future"
    return moment


def record_problems(record: object) -> list[Problem]:
    """Every way ``record`` breaks the schema (empty when it conforms); dates are checked in preparation."""
    if not isinstance(record, dict):
        return [("", "a record is a JSON object")]
    problems: list[Problem] = []
    for name in record.keys() - _KEYS:
        problems.append((str(name), "is not a field of a decision record"))
    for name in ("decision_id", "decided_at"):
        if name not in record:
            problems.append((name, "is required"))
    later = "refers_to" in record
    if later:
        if "fact" not in record:
            problems.append(("fact", "is required for a later fact (a record with refers_to)"))
    else:
        for name in ("model_version", "output", "decision"):
            if name not in record:
                problems.append((name, "is required for a decision (a later fact gives refers_to and fact)"))
        if "fact" in record:
            problems.append(("fact", "is only for a later fact: give refers_to too"))
    _text(record, "decision_id", _TEXT_200, problems)
    _text(record, "refers_to", _TEXT_200, problems)
    _text(record, "decision", _TEXT_200, problems)
    _text(record, "model_version", _TEXT_100, problems)
    _text(record, "subject", _TEXT_100, problems)
    decided_at = record.get("decided_at")
    if "decided_at" in record and not isinstance(decided_at, str):
        problems.append(("decided_at", "must be a string"))
    elif isinstance(decided_at, str) and _DATE_TIME.fullmatch(decided_at) is None:
        problems.append(
            ("decided_at", "must be ISO 8601 with seconds and a time zone, e.g. 2026-03-01T10:00:00+01:00")
        )
    if "inputs" in record and not isinstance(record["inputs"], dict):
        problems.append(("inputs", "must be an object"))
    if "output" in record:
        output = record["output"]
        if isinstance(output, str):
            if len(output) > 200:
                problems.append(("output", "a label is at most 200 characters"))
        elif _is_number(output):
            problem = _number_problem(output, "output")
            if problem:
                problems.append(problem)
        elif not isinstance(output, bool):
            problems.append(("output", "must be a number, a string or a boolean"))
    if "human_review" in record:
        _review_problems(record["human_review"], problems)
    if "explanation" in record:
        explanation = record["explanation"]
        if not isinstance(explanation, str):
            problems.append(("explanation", "must be a string"))
        elif len(explanation) > 10_000:
            problems.append(("explanation", "is at most 10,000 characters"))
    if "group_attributes" in record:
        _group_problems(record["group_attributes"], problems)
    if "fact" in record and record["fact"] not in FACTS:
        problems.append(("fact", f"must be one of {', '.join(FACTS)}"))
    return problems


def _review_problems(review: object, problems: list[Problem]) -> None:
    if not isinstance(review, dict):
        problems.append(("human_review", "must be an object"))
        return
    for name in review.keys() - _REVIEW_KEYS:
        problems.append((f"human_review.{name}", "is not a field of human_review"))
    if "reviewed" not in review:
        problems.append(("human_review.reviewed", "is required"))
    for name in ("reviewed", "overridden"):
        if name in review and not isinstance(review[name], bool):
            problems.append((f"human_review.{name}", "must be true or false"))
    if "reviewer" in review:
        reviewer = review["reviewer"]
        if not isinstance(reviewer, str) or len(reviewer) > 200:
            problems.append(("human_review.reviewer", "must be a string of at most 200 characters"))


def _group_problems(group: object, problems: list[Problem]) -> None:
    if not isinstance(group, dict):
        problems.append(("group_attributes", "must be an object"))
        return
    if len(group) > 20:
        problems.append(("group_attributes", "has at most 20 attributes"))
    for key, value in group.items():
        if _GROUP_KEY.fullmatch(key) is None:
            problems.append((f"group_attributes.{key}", "names are 1 to 50 letters, digits, _ . or -"))
        if isinstance(value, str):
            if len(value) > 100:
                problems.append((f"group_attributes.{key}", "a value is at most 100 characters"))
        elif _is_number(value):
            problem = _number_problem(value, f"group_attributes.{key}")
            if problem:
                problems.append(problem)
        elif value is not None and not isinstance(value, bool):
            problems.append((f"group_attributes.{key}", "must be a string, number, boolean or null"))


# --- Parsing NDJSON ------------------------------------------------------------------------------------


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


# One decoder for every line: json.loads with an option builds a new decoder per call, which cost as much
# as a third of the parsing of a ten-thousand-line batch.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]  # not in the stubs
_JSON_WHITESPACE = " \t\r\n"


def parse_line(line: bytes | str) -> object:
    """One JSON value, as ``json.loads`` reads it; NaN and Infinity refused (they have no JSON form)."""
    text = line.decode(json.detect_encoding(line), "surrogatepass") if isinstance(line, bytes) else line
    value_text = text.strip(_JSON_WHITESPACE)
    try:
        value, end = _SCAN(value_text, 0)
    except StopIteration:
        end = -1
    if end == len(value_text):
        return value
    return _DECODER.decode(text)  # raises, with json's own message of what is wrong where


def iter_ndjson(lines: Iterable[bytes], start: int = 1) -> Iterator[tuple[int, object | None, str]]:
    """(line number, record or None, error): blank lines are skipped, numbering counts them."""
    for number, raw in enumerate(lines, start=start):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            yield number, None, f"the line is longer than {MAX_LINE_BYTES // 1024} KiB"
            continue
        try:
            yield number, parse_line(raw), ""
        except (ValueError, UnicodeDecodeError) as error:
            yield number, None, f"not JSON: {error}"


@collector_paused()
def parse_ndjson(
    lines: Iterable[bytes], start: int = 1
) -> tuple[list[tuple[int, object]], list[RecordError]]:
    """A batch's lines read: (line number, record) of each JSON line, and an error for each other line.

    The collector is paused: with it running, its passes over the records read so far, which all live on,
    cost twice the parsing itself.
    """
    records: list[tuple[int, object]] = []
    errors: list[RecordError] = []
    for line, record, error in iter_ndjson(lines, start):
        if error:
            errors.append(RecordError(line, "", error))
        else:
            records.append((line, record))
    return records, errors


# --- Preparation: everything that needs no lock --------------------------------------------------------


@dataclass(slots=True)
class PreparedRecord:
    """A valid record turned into what the log stores, except its index and tree nodes.

    It has every attribute ``storage.LockedLog.append`` reads, so it is appended as it is.
    """

    line: int
    kind: str
    decision_id: str
    decision: str | None
    refers_to: str | None
    pseudonym: str | None
    decided_at: datetime.datetime
    entry: bytes
    leaf_hash: bytes
    salt: bytes
    payload: str
    algorithm_id: int
    group_salt: bytes | None = None
    group_sealed: bytes | None = None
    refers_to_index: int | None = None
    audit_record_id: int | None = None

    def __reduce__(self) -> tuple[type[PreparedRecord], tuple[Any, ...]]:
        # Sent from the preparing child as plain arguments: half the cost of the slots' default state.
        return PreparedRecord, _PREPARED_FIELDS(self)


_PREPARED_FIELDS = attrgetter(*PreparedRecord.__slots__)


@dataclass(frozen=True, slots=True)
class RecordError:
    line: int
    field: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "reason": self.reason}


def utc_text(moment: datetime.datetime, *, milliseconds: bool = False) -> str:
    """ISO 8601 in UTC with a Z: the one text form of a moment in an entry (microseconds when not zero)."""
    naive = moment.astimezone(_UTC).replace(tzinfo=None)
    if milliseconds:
        return naive.isoformat(timespec="milliseconds") + "Z"
    return naive.isoformat() + "Z"


def canonical_text(value: Any) -> str:
    """:func:`canonical_json` as text, fast for what ``json.loads`` gives; exact checks when in doubt."""
    if _ENCODER is None:
        return canonical_json(value).decode("utf-8")
    try:
        text = "".join(_ENCODER(value, 0))
    except (ValueError, TypeError, RecursionError) as error:
        raise CanonicalJSONError(str(error)) from error
    if _LONG_NUMBER.search(text):
        canonical_json(value)  # raises for integers outside the exact range
    return text


def _json_scalar(value: object) -> str:
    # The text json.dumps gives, which is canonical for these scalars (record_problems checked ranges).
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return float.__repr__(value)
    raise CanonicalJSONError(f"{type(value).__name__} is not a scalar of a decision record")


class RecordPreparer:
    """Turns validated records of one algorithm into :class:`PreparedRecord` (see the module docstring)."""

    def __init__(
        self,
        *,
        algorithm_id: int,
        source: str,
        pseudonymiser: Callable[[str], str],
        received_at: datetime.datetime,
    ) -> None:
        self.algorithm_id = algorithm_id
        self._algorithm = str(algorithm_id)
        self._source = encode_basestring(source)
        self._pseudonymise = pseudonymiser
        self._received = encode_basestring(utc_text(received_at, milliseconds=True))
        self._now = received_at
        self._random = b""
        self._seal_group = sealer(PURPOSE_GROUP_ATTRIBUTES)
        self._version = f',"v":{ENTRY_VERSION}}}'

    def prepare(self, items: Iterable[tuple[int, object]]) -> tuple[list[PreparedRecord], list[RecordError]]:
        """Validate and prepare (line, record) pairs, in line order."""
        items = list(items)
        # Randomness for the batch in one call: per record a payload salt, a group salt and a nonce.
        self._random = os.urandom(RANDOM_PER_RECORD * len(items))
        prepared: list[PreparedRecord] = []
        errors: list[RecordError] = []
        for position, (line, record) in enumerate(items):
            problems = record_problems(record)
            if problems:
                errors.extend(RecordError(line, field, reason) for field, reason in problems)
                continue
            assert isinstance(record, dict)  # noqa: S101 — record_problems guarantees it
            try:
                result = self._prepare_one(line, record, position * RANDOM_PER_RECORD)
            except (CanonicalJSONError, UnicodeEncodeError) as error:
                reason = error.reason if isinstance(error, UnicodeEncodeError) else str(error)
                errors.append(RecordError(line, "", f"cannot be stored as canonical JSON: {reason}"))
                continue
            if isinstance(result, RecordError):
                errors.append(result)
            else:
                prepared.append(result)
        return prepared, errors

    def _prepare_one(self, line: int, record: dict[str, Any], offset: int) -> PreparedRecord | RecordError:
        # Written for speed (ten thousand records a request): no helper calls where an expression does.
        decided_at = parse_decided_at(record["decided_at"], self._now)
        if isinstance(decided_at, str):
            return RecordError(line, "decided_at", decided_at)
        random_bytes = self._random
        salt = random_bytes[offset : offset + SALT_SIZE]
        get = record.get
        decision_id: str = record["decision_id"]
        refers_to: str | None = get("refers_to")
        subject = get("subject")
        pseudonym = None if subject is None else self._pseudonymise(subject)
        review = get("human_review")
        explanation = get("explanation")
        inputs = get("inputs")

        # The payload: personal data, committed to by a salted digest (keys in canonical order).
        payload = (
            "{"
            + ",".join(
                part
                for part in (
                    None if explanation is None else '"explanation":' + encode_basestring(explanation),
                    None if inputs is None else '"inputs":' + canonical_text(inputs),
                    None if pseudonym is None else f'"pseudonym":"{pseudonym}"',
                    None
                    if review is None or "reviewer" not in review
                    else '"reviewer":' + encode_basestring(review["reviewer"]),
                )
                if part is not None
            )
            + "}"
        )
        payload_bytes = payload.encode("utf-8")
        if len(payload_bytes) > MAX_PAYLOAD_BYTES:
            return RecordError(line, "inputs", f"the payload is larger than {MAX_PAYLOAD_BYTES // 1024} KiB")
        sha256 = hashlib.sha256

        group_salt = group_sealed = None
        group_part = ""
        group = get("group_attributes")
        if group is not None:
            group_bytes = canonical_text(group).encode("utf-8")
            group_salt = random_bytes[offset + SALT_SIZE : offset + 2 * SALT_SIZE]
            group_part = f',"group_digest":"{sha256(group_salt + group_bytes).hexdigest()}"'
            group_sealed = self._seal_group(
                group_bytes,
                f"{self.algorithm_id}:{decision_id}",
                random_bytes[offset + 2 * SALT_SIZE : offset + RANDOM_PER_RECORD],
            )
        if review is None:
            review_part = ""
        elif "overridden" in review:
            review_part = (
                f',"human_review":{{"overridden":{"true" if review["overridden"] else "false"},'
                f'"reviewed":{"true" if review["reviewed"] else "false"}}}'
            )
        else:
            review_part = f',"human_review":{{"reviewed":{"true" if review["reviewed"] else "false"}}}'
        decision = get("decision")
        model_version = get("model_version")
        fact = get("fact")
        kind = KIND_DECISION if refers_to is None else KIND_LATER_FACT
        naive = decided_at.replace(tzinfo=None)

        # The entry, keys in code-point order (tests compare it with canonical_json of the same object).
        entry = "".join(
            (
                '{"algorithm":',
                self._algorithm,
                ',"decided_at":"',
                naive.isoformat(),
                'Z"',
                "" if decision is None else ',"decision":' + encode_basestring(decision),
                ',"decision_id":',
                encode_basestring(decision_id),
                "" if fact is None else ',"fact":"' + fact + '"',
                group_part,
                review_part,
                ',"kind":"',
                kind,
                '"',
                "" if model_version is None else ',"model_version":' + encode_basestring(model_version),
                "" if "output" not in record else ',"output":' + _json_scalar(record["output"]),
                ',"payload_digest":"',
                sha256(salt + payload_bytes).hexdigest(),
                '","received_at":',
                self._received,
                "" if refers_to is None else ',"refers_to":' + encode_basestring(refers_to),
                ',"source":',
                self._source,
                self._version,
            )
        ).encode("utf-8")
        return PreparedRecord(
            line,
            kind,
            decision_id,
            decision,
            refers_to,
            pseudonym,
            decided_at,
            entry,
            sha256(LEAF_PREFIX + entry).digest(),
            salt,
            payload,
            self.algorithm_id,
            group_salt,
            group_sealed,
        )
