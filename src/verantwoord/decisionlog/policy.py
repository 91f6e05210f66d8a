"""What the decision log adds to the AI policy: the check that the log is sealed by signed checkpoints, and the
live block of section 8 (which algorithms log, how long their data is kept, the checkpoints and public keys)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verantwoord.core.models import Organisation
from verantwoord.decisionlog.jobs import CHECKPOINT_INTERVAL
from verantwoord.decisionlog.models import (
    AlgorithmAPIKey,
    Checkpoint,
    EntryKind,
    LogEntry,
    LogSigningKey,
    RetentionPolicy,
)
from verantwoord.decisionlog.selectors import decision_log_for, latest_checkpoint
from verantwoord.decisionlog.services import RETENTION_MINIMUM_DAYS
from verantwoord.policy.checklist import CheckOutcome, ComplianceCheck, ConcernedItem, Severity
from verantwoord.policy.live_blocks import LiveBlock, LiveContent, Table
from verantwoord.register.models import Algorithm

# The worker signs a checkpoint within seconds of an append; a day without one means it does not run.
CHECKPOINT_MAX_AGE = datetime.timedelta(hours=24)


def _checkpoints_url(organisation: Organisation) -> str:
    return reverse("decisionlog:checkpoints", kwargs={"slug": organisation.slug})


def _moment_of(today: datetime.date) -> datetime.datetime:
    """Now, or the end of `today` when the checklist is run for another day."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))


def checkpoint_overdue(organisation: Organisation, today: datetime.date) -> CheckOutcome:
    """The log holds entries after its last signed checkpoint, and no checkpoint was signed for a day."""
    log = decision_log_for(organisation=organisation)
    if log is None or log.size == 0:
        return CheckOutcome(count=0, not_applicable=True)
    latest = latest_checkpoint(log=log)
    unsigned = log.size - (latest.size if latest else 0)
    since = latest.created_at if latest else log.created_at
    if unsigned <= 0 or since >= _moment_of(today) - CHECKPOINT_MAX_AGE:
        return CheckOutcome(count=0)
    if latest is None:
        label = _("%(count)s entries, and no checkpoint was ever signed") % {"count": unsigned}
    else:
        label = _("%(count)s entries after the last checkpoint, signed on %(date)s") % {
            "count": unsigned,
            "date": date_format(timezone.localtime(latest.created_at).date(), "DATE_FORMAT"),
        }
    return CheckOutcome(count=1, items=[ConcernedItem(label, _checkpoints_url(organisation))])


COMPLIANCE_CHECKS = [
    ComplianceCheck(
        key="decisionlog.checkpoint_overdue",
        title=gettext_lazy("Decision log without a recent signed checkpoint"),
        explanation=gettext_lazy(
            "Signed checkpoints seal the decision log: with them anyone can prove that no decision was changed or "
            "removed later. New entries have waited more than a day for a checkpoint, so the worker that signs "
            "them probably does not run. Start the worker (verantwoord worker) and check the signing key."
        ),
        source=gettext_lazy(
            "AI Act art. 12 and art. 26(6) (logs of high-risk AI); the organisation's AI policy"
        ),
        severity=Severity.MEDIUM,
        run=checkpoint_overdue,
        fix_url=_checkpoints_url,
    )
]


def setup_block(organisation: Organisation, moment: datetime.datetime) -> LiveContent:
    """Section 8: the decision log's set-up at `moment`. The entries counted are those sealed by the checkpoints
    signed by then; API keys and signing keys count when they were active then. Retention periods have no
    history, so the table shows the current periods."""
    log = decision_log_for(organisation=organisation)
    if log is None:
        return LiveContent(paragraphs=[_("This organisation has no decision log yet.")])
    checkpoints = Checkpoint.objects.filter(log=log, created_at__lte=moment).aggregate(
        number=Count("id"), size=Max("size"), last=Max("created_at")
    )
    sealed = checkpoints["size"] or 0
    decisions = dict(
        LogEntry.objects.filter(log=log, index__lt=sealed, kind=EntryKind.DECISION, algorithm__isnull=False)
        .values_list("algorithm")
        .annotate(count=Count("id"))
        .order_by()
    )
    active_keys = dict(
        AlgorithmAPIKey.objects.filter(organisation=organisation, created_at__lte=moment)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment))
        .values_list("algorithm")
        .annotate(count=Count("id"))
        .order_by()
    )
    retention = dict(
        RetentionPolicy.objects.filter(algorithm__organisation=organisation).values_list(
            "algorithm", "retention_days"
        )
    )
    algorithms = Algorithm.objects.filter(
        organisation=organisation, pk__in=set(decisions) | set(active_keys)
    ).order_by("name", "pk")
    rows = [
        [
            algorithm.name,
            str(decisions.get(algorithm.pk, 0)),
            str(active_keys.get(algorithm.pk, 0)),
            str(retention.get(algorithm.pk, RETENTION_MINIMUM_DAYS)),
        ]
        for algorithm in algorithms
    ]
    signing_keys = (
        LogSigningKey.objects.filter(log=log, created_at__lte=moment)
        .filter(Q(retired_at__isnull=True) | Q(retired_at__gt=moment))
        .count()
    )
    paragraphs = [
        _(
            "AI systems send every decision to the decision log with their own API key. The log is a Merkle tree: "
            "a worker signs a checkpoint of it every %(seconds)s seconds after it grew, and the checkpoints and "
            "public keys are published on %(page)s, so anyone can check that no entry was changed or removed."
        )
        % {
            "seconds": int(CHECKPOINT_INTERVAL.total_seconds()),
            "page": reverse("decisionlog:public", kwargs={"slug": organisation.slug}),
        },
        _(
            "On %(date)s the log held %(entries)s sealed entries. Signed checkpoints: %(checkpoints)s; signing "
            "keys in use: %(keys)s."
        )
        % {
            "date": date_format(moment.date(), "DATE_FORMAT"),
            "entries": sealed,
            "checkpoints": checkpoints["number"],
            "keys": signing_keys,
        },
        _(
            "The personal data of a decision is erased after the retention period of its algorithm; the log itself "
            "stays. The minimum is %(minimum)s days (AI Act art. 26(6)); the organisation's maximum is %(maximum)s."
        )
        % {
            "minimum": RETENTION_MINIMUM_DAYS,
            "maximum": _("%(days)s days") % {"days": log.max_retention_days}
            if log.max_retention_days
            else _("not set"),
        },
    ]
    if not rows:
        paragraphs.append(_("No algorithm logged decisions yet."))
        return LiveContent(paragraphs=paragraphs)
    return LiveContent(
        paragraphs=paragraphs,
        tables=[
            Table(
                _("Algorithms that log their decisions"),
                [_("Algorithm"), _("Decisions logged"), _("Active API keys"), _("Retention (days)")],
                rows,
            )
        ],
    )


LIVE_BLOCKS = [
    LiveBlock(
        key="decisionlog.setup",
        section=8,
        title=gettext_lazy("The decision log"),
        build=setup_block,
        order=20,
    )
]
