"""The annual review: of the AI policy (per organisation) and of each algorithm. A review is drafted, then
recorded; a recorded review never changes (a later review is a new record)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm

DEFAULT_REMINDER_DAYS = 30
DEFAULT_INTERVAL_MONTHS = 12


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded")


class ReviewCycle(models.Model):
    """How an organisation plans its reviews: the next review of its AI policy, how many months lie between two
    reviews and how many days ahead reminders go out."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="review_cycle", verbose_name=_("organisation")
    )
    # Empty until set here or by a recorded policy review.
    next_policy_review_date = models.DateField(_("next review of the AI policy"), null=True, blank=True)
    interval_months = models.PositiveSmallIntegerField(
        _("months between two reviews"), default=DEFAULT_INTERVAL_MONTHS
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days ahead to send a reminder"), default=DEFAULT_REMINDER_DAYS
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")

    def __str__(self) -> str:
        return str(self.organisation)


class Review(models.Model):
    """One review. Without an algorithm it is the yearly review of the organisation's AI policy."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("organisation")
    )
    algorithm = models.ForeignKey(
        Algorithm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("algorithm"),
    )
    review_date = models.DateField(_("review date"))
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reviews", blank=True, verbose_name=_("reviewers")
    )
    findings = models.TextField(_("findings"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    planned_changes_text = models.TextField(_("planned changes"), blank=True)
    next_review_date = models.DateField(_("next review date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-review_date", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            models.Index(fields=["organisation", "status", "review_date"], name="review_org_status_date_idx")
        ]

    def __str__(self) -> str:
        return f"{self.algorithm or self.organisation} {self.review_date:%Y-%m-%d}"

    @property
    def is_policy_review(self) -> bool:
        return self.algorithm_id is None


class PlannedChange(models.Model):
    """A change the review decided on, with who does it by when. On an algorithm review it becomes a compliance
    task when the review is recorded."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="planned_changes")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("change"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    task = models.ForeignKey(
        ComplianceTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("planned change")
        verbose_name_plural = _("planned changes")

    def __str__(self) -> str:
        return self.description


class ReminderKind(models.TextChoices):
    AHEAD = "ahead", _("Ahead of the date")
    OVERDUE = "overdue", _("Overdue")


class ReviewReminder(models.Model):
    """That a reminder went out for a due date, so the worker does not send it again. `subject` is "policy" or
    "algorithm:<id>" (not a nullable foreign key: NULLs would not make the unique constraint bite)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=40)
    due_date = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "subject", "due_date", "kind"], name="review_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.due_date:%Y-%m-%d} {self.kind}"
