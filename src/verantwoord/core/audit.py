"""The audit trail of changes: the convention every service follows.

A service changes data and calls `audit_record` inside the same `transaction.atomic` block, so the trail can
never disagree with the data. `field_changes` computes the field diffs to record.

Apps that keep the trail elsewhere too (the decision log appends every record to the organisation's
tamper-evident log) register a sink with `register_audit_sink`; each sink is called with the new record inside
the same transaction, so a failing sink rolls the whole write back.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models, transaction

from verantwoord.core.models import AuditRecord, Organisation, User

SYSTEM_ACTOR_LABEL = "system"

AuditSink = Callable[[AuditRecord], None]
_sinks: list[AuditSink] = []


def register_audit_sink(sink: AuditSink) -> None:
    """Called in an AppConfig.ready(): `sink(record)` runs after every audit record, in its transaction."""
    if sink not in _sinks:
        _sinks.append(sink)


def _json_value(value: Any) -> Any:
    """A JSON-safe rendering of a field value for the trail."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, JSON-safe, for comparison after a change."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _json_value(getattr(instance, attname))
    return values


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def object_type_of(instance: models.Model) -> str:
    return instance._meta.label_lower


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    organisation: Organisation | None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditRecord:
    """Record one write. Must be called inside the service's transaction; refuses to run outside one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.atomic block.")
    record = AuditRecord.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=(actor.get_full_name() if actor is not None else SYSTEM_ACTOR_LABEL)[:200],
        action=action,
        object_type=object_type_of(instance),
        object_id=str(instance.pk),
        object_label=str(instance)[:300],
        changes={key: _json_value(value) for key, value in (changes or {}).items()},
        reason=reason,
    )
    for sink in _sinks:
        sink(record)
    return record
