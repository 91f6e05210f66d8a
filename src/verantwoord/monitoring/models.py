"""Bias and quality monitoring: a check configuration per algorithm, the stored runs, and findings.

Group attributes are special-category data (GDPR art. 9): the decision log keeps them encrypted and apart;
this app reads them only in a check run, and stores nothing but aggregates in which groups smaller than the
minimum group size are suppressed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.monitoring import metrics as engine
from verantwoord.register.models import Algorithm


class PredictionSource(models.TextChoices):
    DECISION = "decision", _("The decision taken")
    SCORE = "score", _("The score (output) and a threshold")


class Window(models.TextChoices):
    ROLLING_90 = "rolling-90", _("Rolling 90 days")
    ROLLING_30 = "rolling-30", _("Rolling 30 days")
    MONTH = "month", _("Previous calendar month")


METRIC_CHOICES = [
    (engine.SELECTION_RATE, _("Selection rate")),
    (engine.TRUE_POSITIVE_RATE, _("True positive rate")),
    (engine.FALSE_POSITIVE_RATE, _("False positive rate")),
    (engine.TRUE_NEGATIVE_RATE, _("True negative rate")),
    (engine.FALSE_NEGATIVE_RATE, _("False negative rate")),
    (engine.PRECISION, _("Precision")),
    (engine.ACCURACY, _("Accuracy")),
]


def default_metrics() -> list[str]:
    return [engine.SELECTION_RATE]


class MonitoringConfig(models.Model):
    """How an algorithm's decisions are checked for bias. Every change raises ``version``; runs keep it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    algorithm = models.OneToOneField(
        Algorithm, on_delete=models.CASCADE, related_name="monitoring_config", verbose_name=_("algorithm")
    )
    enabled = models.BooleanField(_("checks enabled"), default=True)
    legal_basis = models.TextField(
        _("legal basis for the group attributes"),
        help_text=_(
            "The exception of GDPR art. 9(2) (and the Dutch implementation act) under which special-category "
            "data is processed to detect bias. Without it the group attributes are not read."
        ),
    )
    positive_decision = models.CharField(
        _("decision counted as selected"),
        max_length=200,
        blank=True,
        help_text=_(
            "The decision value whose rate is compared, e.g. “onderzoek” (selected for investigation)."
        ),
    )
    positive_is_favourable = models.BooleanField(
        _("being selected is favourable"),
        default=False,
        help_text=_("Off when being selected disadvantages a person, such as an investigation."),
    )
    prediction_source = models.CharField(
        _("prediction from"),
        max_length=12,
        choices=PredictionSource.choices,
        default=PredictionSource.DECISION,
    )
    score_threshold = models.FloatField(
        _("score threshold"),
        null=True,
        blank=True,
        help_text=_("A score at or above this counts as selected."),
    )
    truth_positive = models.JSONField(
        _("outcomes that confirm the selection"),
        default=list,
        blank=True,
        help_text=_("Decision values of later outcome records that mean the selection was right."),
    )
    truth_negative = models.JSONField(
        _("outcomes that refute the selection"),
        default=list,
        blank=True,
        help_text=_("Decision values of later outcome records that mean the selection was wrong."),
    )
    group_attributes = models.JSONField(_("group attributes"), default=list)
    intersections = models.JSONField(_("intersections"), default=list, blank=True)  # [[a, b], …]
    reference_groups = models.JSONField(_("reference groups"), default=dict, blank=True)  # {attribute: group}
    metrics = models.JSONField(_("metrics"), default=default_metrics)
    ratio_threshold = models.FloatField(_("ratio threshold"), null=True, blank=True, default=0.8)
    difference_threshold = models.FloatField(_("difference threshold"), null=True, blank=True, default=0.05)
    alpha = models.FloatField(_("significance level"), default=0.05)
    min_group_size = models.PositiveIntegerField(_("minimum group size"), default=10)
    window = models.CharField(
        _("time window"), max_length=12, choices=Window.choices, default=Window.ROLLING_90
    )
    notify_emails = models.TextField(
        _("AI team e-mail addresses"), blank=True, help_text=_("Notified of a breach, with the owner.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monitoring configuration")
        verbose_name_plural = _("monitoring configurations")

    def __str__(self) -> str:
        return f"{self.algorithm} v{self.version}"

    def thresholds(self) -> engine.Thresholds:
        return engine.Thresholds(
            ratio=self.ratio_threshold, difference=self.difference_threshold, alpha=self.alpha
        )


class RunStatus(models.TextChoices):
    OK = "ok", _("No disparity flagged")
    BREACH = "breach", _("Disparity flagged")
    NO_DATA = "no-data", _("No decisions in the window")


class CheckRun(models.Model):
    """One check of one window: the configuration it used, the counts and metrics (aggregates only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.CASCADE, related_name="monitoring_runs", verbose_name=_("algorithm")
    )
    config = models.ForeignKey(MonitoringConfig, on_delete=models.CASCADE, related_name="runs")
    config_version = models.PositiveIntegerField(_("configuration version"))
    config_settings = models.JSONField(_("configuration used"))
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    trigger = models.CharField(_("trigger"), max_length=12)  # schedule, page, cli, demo
    decisions = models.PositiveIntegerField(_("decisions"), default=0)
    with_outcome = models.PositiveIntegerField(_("decisions with a known outcome"), default=0)
    results = models.JSONField(_("results"), default=dict)  # {attribute or "A|B": FairnessResult JSON}
    flagged_count = models.PositiveIntegerField(_("disparities flagged"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices)
    seconds = models.FloatField(_("duration (s)"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        indexes = [models.Index(fields=["algorithm", "-created_at"], name="monitoring_run_latest")]

    def __str__(self) -> str:
        return f"{self.algorithm} {self.window_start:%Y-%m-%d} - {self.window_end:%Y-%m-%d}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Being investigated")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed (no bias)")


OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.INVESTIGATING)
TRANSITIONS: dict[str, set[str]] = {
    FindingStatus.OPEN: {FindingStatus.INVESTIGATING, FindingStatus.RESOLVED, FindingStatus.DISMISSED},
    FindingStatus.INVESTIGATING: {FindingStatus.RESOLVED, FindingStatus.DISMISSED},
    FindingStatus.RESOLVED: set(),
    FindingStatus.DISMISSED: set(),
}


class Finding(models.Model):
    """A flagged disparity: one open finding per algorithm, attribute, metric and group, updated by repeats."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.CASCADE, related_name="monitoring_findings", verbose_name=_("algorithm")
    )
    attribute = models.CharField(_("group attribute"), max_length=110)
    metric = models.CharField(_("metric"), max_length=40, choices=METRIC_CHOICES)
    group = models.CharField(_("group"), max_length=210)
    reference = models.CharField(_("compared with"), max_length=210)
    value = models.FloatField(_("value"))
    value_ci = models.JSONField(_("95% interval"), null=True, blank=True)
    reference_value = models.FloatField(_("reference value"))
    ratio = models.FloatField(_("ratio"), null=True, blank=True)
    difference = models.FloatField(_("difference"))
    p_value = models.FloatField(_("p-value"))
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    first_run = models.ForeignKey(CheckRun, on_delete=models.SET_NULL, null=True, related_name="+")
    last_run = models.ForeignKey(CheckRun, on_delete=models.SET_NULL, null=True, related_name="+")
    occurrences = models.PositiveIntegerField(_("times flagged"), default=1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "attribute", "metric", "group"],
                condition=Q(status__in=["open", "investigating"]),
                name="monitoring_one_open_finding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}: {self.metric} {self.attribute}={self.group}"
