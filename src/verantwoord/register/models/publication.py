from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.register.choices import AIActRiskClass
from verantwoord.register.models.algorithm import Algorithm


class Publication(models.Model):
    """One published version of an algorithm: immutable.

    `content` holds the public fields exactly as the standard's submission body (its keys, Dutch values), so public
    pages, open data and the public API all read the same published facts. A few values are copied into columns
    for filtering and search. The public register shows, per algorithm, the latest publication that is not
    withdrawn.
    """

    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.PROTECT, related_name="publications", verbose_name=_("algorithm")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="publications", verbose_name=_("organisation")
    )
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.JSONField(_("content"))
    is_current = models.BooleanField(_("current"), default=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    # Copies of published values, for filters, sorting and search.
    name = models.CharField(_("name"), max_length=500)
    status = models.CharField(_("status"), max_length=20, db_index=True)
    publication_category = models.CharField(_("publication category"), max_length=20, db_index=True)
    themes = models.CharField(_("themes"), max_length=500, blank=True)  # "|code|code|" for a LIKE filter
    ai_act_risk_class = models.CharField(
        _("AI Act risk class"), max_length=30, choices=AIActRiskClass.choices, blank=True, db_index=True
    )
    search_document = models.TextField(_("search text"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "version"], name="publication_unique_version"),
        ]
        indexes = [models.Index(fields=["is_current", "name"], name="publication_current_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
