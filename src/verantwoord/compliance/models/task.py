from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.compliance.choices import EvidenceKind, TaskStatus
from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm


class ComplianceTask(models.Model):
    """Something the organisation must do for one algorithm, with owner, due date, status and evidence.

    Made by a source (the AI Act obligations, an assessment's action points, …) under a stable key, so that when
    the source changes its mind (re-classification) the same task is updated rather than duplicated.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="compliance_tasks")
    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="compliance_tasks")
    source = models.CharField(_("source"), max_length=40)
    source_key = models.CharField(_("source key"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    references = models.JSONField(_("legal references"), default=list, blank=True)
    applies_from = models.DateField(_("applies from"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compliance_tasks",
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    closed_reason = models.TextField(_("reason closed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "title", "id"]
        verbose_name = _("compliance task")
        verbose_name_plural = _("compliance tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "source", "source_key"], name="task_unique_source_key"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="task_org_status_due_idx")
        ]

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: "TaskEvidence", filename: str) -> str:
    # Private storage: never under STATIC or a public URL; served only by a permission-checked view.
    return f"evidence/{instance.task.organisation_id}/{instance.task_id}/{filename}"


class TaskEvidence(models.Model):
    task = models.ForeignKey(ComplianceTask, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=500)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title
