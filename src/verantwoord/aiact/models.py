from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm


class AlgorithmClassification(models.Model):
    """One AI Act classification of an algorithm: immutable, kept as a version.

    `answers` and `justifications` are what the person gave; `result` is the engine's outcome, path and
    obligations at that moment, with the decision tree and dates versions used, so the record still says what
    was decided after the tree or the dates change.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ai_act_classifications"
    )
    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="ai_act_classifications")
    version = models.PositiveIntegerField(_("version"))
    answers = models.JSONField(_("answers"))
    justifications = models.JSONField(_("justifications"), default=dict, blank=True)
    result = models.JSONField(_("result"))
    outcome_id = models.CharField(_("outcome"), max_length=100)
    risk_class = models.CharField(_("risk class"), max_length=40, blank=True)
    tree_version = models.CharField(_("decision tree version"), max_length=40)
    dates_version = models.CharField(_("dates of application version"), max_length=40)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    classified_at = models.DateTimeField(_("classified at"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("AI Act classification")
        verbose_name_plural = _("AI Act classifications")
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "version"], name="classification_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm} v{self.version}: {self.outcome_id}"


class ClassificationDraft(models.Model):
    """The answers being given in the wizard, kept between pages and sessions (one per algorithm)."""

    algorithm = models.OneToOneField(Algorithm, on_delete=models.CASCADE, related_name="ai_act_draft")
    answers = models.JSONField(_("answers"), default=dict)
    justifications = models.JSONField(_("justifications"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("classification in progress")
        verbose_name_plural = _("classifications in progress")

    def __str__(self) -> str:
        return f"{self.algorithm} (draft)"
