from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """State of one periodic job of the worker; the database is the queue (no broker on the embedded default)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run at"), db_index=True)
    # A worker that claims the job sets this; another worker skips the job until it has passed, so a crashed
    # worker's claim expires by itself.
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_status = models.CharField(_("last status"), max_length=20, blank=True)
    last_message = models.TextField(_("last message"), blank=True)
    run_count = models.PositiveIntegerField(_("runs"), default=0)
    failure_count = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
