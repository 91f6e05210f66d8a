"""Storage of the decision log: one append-only Merkle tree per organisation.

What is hashed into the tree is ``LogEntry.entry``, stored byte for byte. Personal data never enters an
entry: the entry carries a salted digest of it, and the data and its salt live in ``PersonalPayload``,
whose row can be emptied (erasure, retention) without touching the tree. Special-category data for bias
monitoring (``GroupAttributes``) is kept apart again, encrypted, and read only by the monitoring selector.

The tree is stored as its complete subtree hashes (see ``merkle``): level 0 is ``LogEntry.leaf_hash``;
``LogNode`` keeps the nodes from ``STORED_NODE_MIN_LEVEL`` up (about one node per eight entries). The few
nodes below are recomputed from at most ``2 ** STORED_NODE_MIN_LEVEL`` leaf hashes when a proof needs them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.decisionlog.merkle import EMPTY_ROOT
from verantwoord.register.models import Algorithm

# Nodes below this level are not stored: at most 2**4 = 16 leaf hashes rebuild any of them.
STORED_NODE_MIN_LEVEL = 4
# A node's key: level in the high bits, index in the low 48 (a level's nodes form one key range).
NODE_INDEX_BITS = 48


def node_key(level: int, index: int) -> int:
    return (level << NODE_INDEX_BITS) | index


class EntryKind(models.TextChoices):
    # "Beslissing" (a decision an AI system made), not "Besluit" (the formal decision of an assessment).
    DECISION = "decision", pgettext_lazy("decision log", "Decision")
    LATER_FACT = "later-fact", _("Later fact")
    GOVERNANCE = "governance", _("Governance")
    RETENTION = "retention", _("Retention purge")
    ERASURE = "erasure", _("Erasure")


class ErasureKind(models.TextChoices):
    REQUEST = "request", _("Erasure request (GDPR art. 17)")
    RETENTION = "retention", _("Retention period ended")


class DecisionLog(models.Model):
    """The head of an organisation's log: its size and the compact range of the tree (locked to append)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="decision_log", verbose_name=_("organisation")
    )
    # The checkpoint origin, fixed at creation: a later change of the organisation's slug does not change
    # the log's identity, which published checkpoints name.
    origin = models.CharField(_("origin"), max_length=200, unique=True)
    size = models.BigIntegerField(_("tree size"), default=0)
    # TreeBuilder's compact range: the hashes of root_nodes(size), concatenated, largest subtree first.
    border = models.BinaryField(_("compact range"), default=b"")
    root_hash = models.BinaryField(_("root hash"), default=EMPTY_ROOT)
    # HMAC key of the subject pseudonyms, sealed with the key-encryption key (see crypto.py).
    pseudonym_secret = models.BinaryField(_("pseudonym secret (encrypted)"), null=True, blank=True)
    max_retention_days = models.PositiveIntegerField(
        _("maximum retention (days)"),
        null=True,
        blank=True,
        help_text=_("The longest retention period the organisation's policy allows; empty for no maximum."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("decision log")
        verbose_name_plural = _("decision logs")

    def __str__(self) -> str:
        return self.origin


class LogEntry(models.Model):
    """One entry of the log: its canonical bytes exactly as hashed, and columns to find it by."""

    log = models.ForeignKey(
        DecisionLog, on_delete=models.CASCADE, related_name="entries", db_index=False, verbose_name=_("log")
    )
    index = models.BigIntegerField(_("index"))
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    entry = models.BinaryField(_("entry (canonical JSON)"))
    leaf_hash = models.BinaryField(_("leaf hash"))
    algorithm = models.ForeignKey(
        Algorithm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="log_entries",
        db_index=False,
        verbose_name=_("algorithm"),
    )
    decision_id = models.CharField(_("decision ID"), max_length=200, null=True, blank=True)
    # The decision taken, as in the entry: kept as a column for the charts and the bias checks.
    decision = models.CharField(_("decision"), max_length=200, null=True, blank=True)
    # Personal data (a keyed pseudonym): emptied when the entry's payload is erased.
    pseudonym = models.CharField(_("pseudonym"), max_length=64, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refers_to_index = models.BigIntegerField(_("refers to entry"), null=True, blank=True)
    # The AuditRecord a governance entry was made from (no foreign key: the trail table has its own life).
    audit_record_id = models.BigIntegerField(_("audit record"), null=True, blank=True)

    class Meta:
        ordering = ["log", "index"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints = [
            models.UniqueConstraint(fields=["log", "index"], name="decisionlog_entry_index"),
            models.UniqueConstraint(
                fields=["algorithm", "decision_id"],
                condition=Q(decision_id__isnull=False),
                name="decisionlog_entry_decision_id",
            ),
        ]
        indexes = [
            models.Index(
                fields=["log", "pseudonym"],
                condition=Q(pseudonym__isnull=False),
                name="decisionlog_entry_pseudonym",
            ),
            models.Index(fields=["algorithm", "decided_at"], name="decisionlog_entry_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.log_id}#{self.index} {self.kind}"


class LogNode(models.Model):
    """A complete subtree hash at level ``STORED_NODE_MIN_LEVEL`` or above; written once, never changed."""

    log = models.ForeignKey(DecisionLog, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.BigIntegerField(_("level and index"))
    hash = models.BinaryField(_("hash"))

    class Meta:
        verbose_name = _("tree node")
        verbose_name_plural = _("tree nodes")
        constraints = [models.UniqueConstraint(fields=["log", "key"], name="decisionlog_node_key")]

    def __str__(self) -> str:
        return f"{self.log_id} node ({self.level}, {self.node_index})"

    @property
    def level(self) -> int:
        return self.key >> NODE_INDEX_BITS

    @property
    def node_index(self) -> int:
        return self.key & ((1 << NODE_INDEX_BITS) - 1)


class Erasure(models.Model):
    """One erasure: a resident's request (GDPR art. 17) or a retention purge; itself an entry in the log."""

    log = models.ForeignKey(DecisionLog, on_delete=models.CASCADE, related_name="erasures")
    kind = models.CharField(_("kind"), max_length=12, choices=ErasureKind.choices)
    algorithm = models.ForeignKey(
        Algorithm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("algorithm"),
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The case number of the erasure request.")
    )
    cutoff = models.DateTimeField(_("decided before"), null=True, blank=True)
    entry_count = models.PositiveIntegerField(_("entries erased"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference or self.pk} ({self.entry_count})"


class PersonalPayload(models.Model):
    """An entry's personal data and salt; emptied, never deleted, on erasure (the row records the erasure)."""

    entry = models.OneToOneField(
        LogEntry, on_delete=models.CASCADE, primary_key=True, related_name="personal_payload"
    )
    salt = models.BinaryField(_("salt"), null=True, blank=True)
    # The canonical JSON text whose SHA-256 (after the salt) the entry carries as payload_digest.
    payload = models.TextField(_("payload"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    erasure = models.ForeignKey(
        Erasure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("erasure")
    )

    class Meta:
        verbose_name = _("personal payload")
        verbose_name_plural = _("personal payloads")

    def __str__(self) -> str:
        return f"payload of {self.entry_id}"


class GroupAttributes(models.Model):
    """Special-category data for bias monitoring (GDPR art. 9), encrypted; only the monitoring reads it.

    The entry carries ``group_digest = SHA-256(salt ‖ canonical attributes)``, so the attributes are
    tamper-evident; deleting the row erases them.
    """

    entry = models.OneToOneField(
        LogEntry, on_delete=models.CASCADE, primary_key=True, related_name="group_attributes"
    )
    salt = models.BinaryField(_("salt"))
    sealed = models.BinaryField(_("attributes (encrypted)"))

    class Meta:
        verbose_name = _("group attributes")
        verbose_name_plural = _("group attributes")

    def __str__(self) -> str:
        return f"group attributes of {self.entry_id}"


class LogSigningKey(models.Model):
    """An Ed25519 checkpoint key; the private half sealed at rest and wiped when the key is rotated out."""

    log = models.ForeignKey(DecisionLog, on_delete=models.CASCADE, related_name="signing_keys")
    key_id = models.CharField(_("key ID"), max_length=8)
    public_key = models.BinaryField(_("public key"))
    sealed_private_key = models.BinaryField(_("private key (encrypted)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("rotated out at"), null=True, blank=True)

    class Meta:
        ordering = ["log", "-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(fields=["log", "key_id"], name="decisionlog_signing_key_id"),
            models.UniqueConstraint(
                fields=["log"], condition=Q(retired_at__isnull=True), name="decisionlog_one_current_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.log_id} key {self.key_id}"


class Checkpoint(models.Model):
    """A signed C2SP checkpoint note of the log at ``size``."""

    log = models.ForeignKey(DecisionLog, on_delete=models.CASCADE, related_name="checkpoints")
    size = models.BigIntegerField(_("tree size"))
    root_hash = models.BinaryField(_("root hash"))
    note = models.TextField(_("signed note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["log", "-size", "-id"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        indexes = [models.Index(fields=["log", "-size", "-id"], name="decisionlog_checkpoint_size")]

    def __str__(self) -> str:
        return f"{self.log_id} checkpoint {self.size}"


class AlgorithmAPIKey(models.Model):
    """The key an AI system reports its decisions with: one algorithm only; only a SHA-256 is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.CASCADE, related_name="decision_log_keys", verbose_name=_("algorithm")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("algorithm API key")
        verbose_name_plural = _("algorithm API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RetentionPolicy(models.Model):
    """How long an algorithm's decision payloads are kept; without a row, the legal minimum applies."""

    algorithm = models.OneToOneField(
        Algorithm, on_delete=models.CASCADE, primary_key=True, related_name="decision_log_retention"
    )
    retention_days = models.PositiveIntegerField(_("retention (days)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.algorithm_id}: {self.retention_days} days"
