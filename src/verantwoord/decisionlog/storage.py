"""The log in the database: appending under the head-row lock, and reading nodes and entries for proofs.

Appending is the one place where order is decided. :class:`LockedLog` locks the log's head row for the rest
of the transaction — ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the connection's ``BEGIN IMMEDIATE``
(see settings) already holds the database's single write lock — then gives the next indexes, hashes the new
tree nodes and writes entries, nodes, payloads and the new head in that same transaction. Two writers can
therefore never take the same index or leave a gap, and a crash before the commit leaves nothing behind.

Rows go in with one batched statement per table (``executemany`` on SQLite, ``COPY`` on PostgreSQL), with
primary keys given by us so payload rows can name their entries without reading them back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, overload

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from verantwoord.decisionlog.merkle import HASH_SIZE, NodeID, TreeBuilder, fold, node_hash, root_nodes
from verantwoord.decisionlog.models import (
    NODE_INDEX_BITS,
    STORED_NODE_MIN_LEVEL,
    DecisionLog,
    GroupAttributes,
    LogEntry,
    LogNode,
    PersonalPayload,
    node_key,
)

# Below this many rows a plain INSERT is cheaper on PostgreSQL than setting up a COPY.
COPY_THRESHOLD = 32


def _split_border(border: bytes, size: int) -> list[bytes]:
    border = bytes(border)
    if len(border) != HASH_SIZE * size.bit_count():
        raise RuntimeError(f"the head's compact range does not fit a tree of size {size}")
    return [border[i : i + HASH_SIZE] for i in range(0, len(border), HASH_SIZE)]


class Appendable(Protocol):
    """What an entry to append must tell: :class:`NewEntry` and ``records.PreparedRecord`` do."""

    @property
    def kind(self) -> str: ...
    @property
    def entry(self) -> bytes: ...
    @property
    def leaf_hash(self) -> bytes: ...
    @property
    def algorithm_id(self) -> int | None: ...
    @property
    def decision_id(self) -> str | None: ...
    @property
    def decision(self) -> str | None: ...
    @property
    def pseudonym(self) -> str | None: ...
    @property
    def decided_at(self) -> datetime.datetime | None: ...
    @property
    def refers_to_index(self) -> int | None: ...
    @property
    def audit_record_id(self) -> int | None: ...
    @property
    def salt(self) -> bytes | None: ...
    @property
    def payload(self) -> str | None: ...
    @property
    def group_salt(self) -> bytes | None: ...
    @property
    def group_sealed(self) -> bytes | None: ...


@dataclass(slots=True)
class NewEntry:
    """One entry to append, with what is stored beside it."""

    kind: str
    entry: bytes
    leaf_hash: bytes
    algorithm_id: int | None = None
    decision_id: str | None = None
    decision: str | None = None
    pseudonym: str | None = None
    decided_at: datetime.datetime | None = None
    refers_to_index: int | None = None
    audit_record_id: int | None = None
    salt: bytes | None = None
    payload: str | None = None
    group_salt: bytes | None = None
    group_sealed: bytes | None = None


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a concrete column")
    return field.column


@cache
def _insert_sql(model: type[Model], names: tuple[str, ...], vendor: str, copy: bool) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in names)
    if copy:
        return f"COPY {table} ({columns}) FROM STDIN"
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608


def bulk_insert(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows in one batched statement: COPY on PostgreSQL, executemany elsewhere.

    Values must already be what the driver takes (datetimes through :func:`db_datetime`).
    """
    if not rows:
        return
    copy = connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD
    sql = _insert_sql(model, tuple(names), connection.vendor, copy)
    with connection.cursor() as cursor:
        if copy:
            with cursor.cursor.copy(sql) as writer:
                for row in rows:
                    writer.write_row(row)
        elif len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def db_datetime() -> Callable[[datetime.datetime | None], Any]:
    """The value the database driver takes for an aware datetime (SQLite keeps naive UTC text)."""
    if connection.vendor == "sqlite":

        def to_sqlite(moment: datetime.datetime | None) -> Any:
            return None if moment is None else str(moment.astimezone(datetime.UTC).replace(tzinfo=None))

        return to_sqlite
    return lambda moment: moment


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``; call with the log locked (on SQLite: the database)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: this transaction holds the only write lock, so nobody else takes ids meanwhile.
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608 — a model's table
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


@cache
def _update_head_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    meta = DecisionLog._meta
    columns = [quote(_column(DecisionLog, name)) for name in ("size", "border", "root_hash", "updated_at")]
    assignments = ", ".join(f"{column} = %s" for column in columns)
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608


ENTRY_COLUMNS = (
    "id",
    "log",
    "index",
    "kind",
    "entry",
    "leaf_hash",
    "algorithm",
    "decision_id",
    "decision",
    "pseudonym",
    "decided_at",
    "refers_to_index",
    "audit_record_id",
)


class LockedLog:
    """A log's head, locked until the end of the current transaction; appends keep one gapless order."""

    def __init__(self, log_id: int | None = None, *, organisation_id: int | None = None) -> None:
        """Lock the log ``log_id``, or the log of ``organisation_id``; DoesNotExist when there is none."""
        if not connection.in_atomic_block:
            raise RuntimeError("a log is locked inside a transaction")
        heads = DecisionLog.objects.select_for_update()
        if log_id is not None:
            heads = heads.filter(pk=log_id)
        elif organisation_id is not None:
            heads = heads.filter(organisation_id=organisation_id)
        else:
            raise TypeError("give log_id or organisation_id")
        self.log_id, size, border = heads.values_list("pk", "size", "border").get()
        self.size: int = size
        self._builder = TreeBuilder(size, _split_border(bytes(border), size))

    def append(self, entries: Sequence[Appendable]) -> int:
        """Append ``entries`` in order; return the index of the first. Writes the head too.

        If an insert fails (say a decision_id the algorithm already has), the exception propagates and
        this object stays as it was, so the caller may roll back to a savepoint and append again.
        """
        first = self.size
        if not entries:
            return first
        log_id = self.log_id
        builder = TreeBuilder(first, self._builder.border)
        to_db = db_datetime()
        ids = allocate_ids(LogEntry, len(entries))
        node_rows = [
            (log_id, (level << NODE_INDEX_BITS) | index, value)
            for level, index, value in builder.append_leaf_hashes(
                [item.leaf_hash for item in entries], STORED_NODE_MIN_LEVEL
            )
        ]
        entry_rows = [
            (
                entry_id,
                log_id,
                index,
                item.kind,
                item.entry,
                item.leaf_hash,
                item.algorithm_id,
                item.decision_id,
                item.decision,
                item.pseudonym,
                to_db(item.decided_at),
                item.refers_to_index,
                item.audit_record_id,
            )
            for index, entry_id, item in zip(range(first, first + len(entries)), ids, entries, strict=True)
        ]
        payload_rows = [
            (entry_id, item.salt, item.payload, None, None)
            for entry_id, item in zip(ids, entries, strict=True)
            if item.salt is not None
        ]
        group_rows = [
            (entry_id, item.group_salt, item.group_sealed)
            for entry_id, item in zip(ids, entries, strict=True)
            if item.group_sealed is not None
        ]
        bulk_insert(LogEntry, ENTRY_COLUMNS, entry_rows)
        bulk_insert(LogNode, ("log", "key", "hash"), node_rows)
        bulk_insert(PersonalPayload, ("entry", "salt", "payload", "erased_at", "erasure"), payload_rows)
        bulk_insert(GroupAttributes, ("entry", "salt", "sealed"), group_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                _update_head_sql(connection.vendor),
                [builder.size, b"".join(builder.border), builder.root(), to_db(timezone.now()), log_id],
            )
        self._builder, self.size = builder, builder.size
        return first


# --- Reading -----------------------------------------------------------------------------------------


def _merged(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class DatabaseNodeStore:
    """A :class:`~verantwoord.decisionlog.merkle.NodeReader` over the stored tree of one log.

    Level 0 are the entries' leaf hashes, levels from ``STORED_NODE_MIN_LEVEL`` up are ``LogNode`` rows,
    and the levels in between are rebuilt from at most ``2 ** STORED_NODE_MIN_LEVEL`` leaves. Any set of
    nodes costs at most two queries. ``size`` bounds what may be read: no node beyond it is ever trusted.
    """

    def __init__(self, log_id: int, size: int) -> None:
        self.log_id, self.size = log_id, size

    def _check(self, level: int, index: int) -> None:
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise KeyError((level, index))

    def get_nodes(self, ids: Sequence[NodeID]) -> list[bytes]:
        for level, index in ids:
            self._check(level, index)
        stored = [
            (level << NODE_INDEX_BITS) | index for level, index in ids if level >= STORED_NODE_MIN_LEVEL
        ]
        low = [(level, index) for level, index in ids if level < STORED_NODE_MIN_LEVEL]
        spans = _merged({(index << level, (index + 1) << level) for level, index in low})
        nodes, leaves = self._fetch(stored, spans)
        found: dict[NodeID, bytes] = {
            (key >> NODE_INDEX_BITS, key & ((1 << NODE_INDEX_BITS) - 1)): value
            for key, value in nodes.items()
        }
        for level, index in low:
            start = index << level
            try:
                hashes = [leaves[i] for i in range(start, start + (1 << level))]
            except KeyError as error:
                raise KeyError(f"leaf {error.args[0]} of log {self.log_id} is not stored") from error
            while len(hashes) > 1:
                hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
            found[(level, index)] = hashes[0]
        try:
            return [found[node] for node in ids]
        except KeyError as error:
            raise KeyError(f"node {error.args[0]} of log {self.log_id} is not stored") from error

    def _fetch(
        self, keys: Sequence[int], spans: Sequence[tuple[int, int]]
    ) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """Stored nodes by key and leaf hashes by index, in one query (a proof is one round trip)."""
        if not keys and not spans:
            return {}, {}
        quote = connection.ops.quote_name
        parts: list[str] = []
        params: list[Any] = []
        key_params: list[Any]
        if keys:
            if connection.vendor == "postgresql":
                condition, key_params = "key = ANY(%s)", [list(keys)]
            else:
                condition, key_params = f"key IN ({', '.join(['%s'] * len(keys))})", list(keys)
            parts.append(
                f"SELECT 1, key, hash FROM {quote(LogNode._meta.db_table)} WHERE log_id = %s AND {condition}"  # noqa: S608
            )
            params += [self.log_id, *key_params]
        if spans:
            ranges = " OR ".join([f"({quote('index')} >= %s AND {quote('index')} < %s)"] * len(spans))
            parts.append(
                f"SELECT 0, {quote('index')}, leaf_hash FROM {quote(LogEntry._meta.db_table)} "  # noqa: S608
                f"WHERE log_id = %s AND ({ranges})"
            )
            params += [self.log_id, *(bound for span in spans for bound in span)]
        nodes: dict[int, bytes] = {}
        leaves: dict[int, bytes] = {}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for is_node, position, value in cursor.fetchall():
                (nodes if is_node else leaves)[position] = bytes(value)
        return nodes, leaves

    def get_range(self, level: int, start: int, count: int) -> bytes:
        """``count`` consecutive hashes of a level, concatenated: a tile for the export."""
        if count == 0:
            return b""
        self._check(level, start + count - 1)
        if level == 0:
            rows = (
                LogEntry.objects.filter(log_id=self.log_id, index__gte=start, index__lt=start + count)
                .order_by("index")
                .values_list("leaf_hash", flat=True)
            )
            data = b"".join(bytes(value) for value in rows)
        elif level >= STORED_NODE_MIN_LEVEL:
            node_rows = (
                LogNode.objects.filter(
                    log_id=self.log_id,
                    key__gte=node_key(level, start),
                    key__lt=node_key(level, start + count),
                )
                .order_by("key")
                .values_list("hash", flat=True)
            )
            data = b"".join(bytes(value) for value in node_rows)
        else:
            data = b"".join(self.get_nodes([(level, start + i) for i in range(count)]))
        if len(data) != count * HASH_SIZE:
            raise KeyError((level, start, count))
        return data

    def root(self, size: int) -> bytes:
        return fold(self.get_nodes(root_nodes(size)))


class LazyEntries(Sequence[bytes]):
    """The canonical bytes of a log's first ``size`` entries, read from the database a block at a time."""

    def __init__(self, log_id: int, size: int, block: int = 256) -> None:
        self.log_id, self.size, self.block = log_id, size, block
        self._cached_block = -1
        self._cached: list[bytes] = []

    def __len__(self) -> int:
        return self.size

    def _load(self, block: int) -> list[bytes]:
        if block != self._cached_block:
            start = block * self.block
            rows = (
                LogEntry.objects.filter(log_id=self.log_id, index__gte=start, index__lt=start + self.block)
                .order_by("index")
                .values_list("index", "entry")
            )
            loaded = []
            for expected, (index, value) in enumerate(rows, start=start):
                if index != expected:
                    raise LookupError(f"entry {expected} of log {self.log_id} is missing")
                loaded.append(bytes(value))
            self._cached_block, self._cached = block, loaded
        return self._cached

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        block, offset = divmod(index, self.block)
        cached = self._load(block)
        if offset >= len(cached):
            raise LookupError(f"entry {index} of log {self.log_id} is missing")
        return cached[offset]

    def __iter__(self) -> Iterator[bytes]:
        for index in range(self.size):
            yield self[index]
