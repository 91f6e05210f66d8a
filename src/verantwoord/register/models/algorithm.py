from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.register.choices import (
    AIActRiskClass,
    AlgorithmKind,
    EffectOnPeople,
    LifecyclePhase,
    LinkGroup,
    PublicationCategory,
    PublicationState,
    RegisterStatus,
    Sourcing,
)


class Algorithm(models.Model):
    """An algorithm in an organisation's register: every field of publication standard 1.0 (the working copy that
    is published as an immutable Publication) plus the internal facts the rest of the platform needs."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="algorithms", verbose_name=_("organisation")
    )

    # --- Publication standard 1.0 (public once published) ---
    name = models.CharField(_("name"), max_length=500)
    description_short = models.TextField(_("short description"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)  # theme codes, see standard.py
    status = models.CharField(
        _("status"), max_length=20, choices=RegisterStatus.choices, default=RegisterStatus.IN_DEVELOPMENT
    )
    begin_date = models.CharField(
        _("start date"), max_length=7, blank=True, help_text=_("Year and month: 2024-05")
    )
    end_date = models.CharField(
        _("end date"), max_length=7, blank=True, help_text=_("Year and month: 2026-12")
    )
    contact_email = models.TextField(_("contact details"), blank=True)
    website = models.URLField(_("link to public page"), max_length=1000, blank=True)
    publication_category = models.CharField(
        _("publication category"), max_length=20, choices=PublicationCategory.choices, blank=True
    )
    url = models.URLField(_("link to source registration"), max_length=1000, blank=True)
    goal = models.TextField(_("goal and impact"), blank=True)
    proportionality = models.TextField(_("considerations"), blank=True)
    human_intervention = models.TextField(_("human intervention"), blank=True)
    risks = models.TextField(_("risk management"), blank=True)
    lawful_basis = models.TextField(_("legal basis"), blank=True)
    process_index_url = models.URLField(
        _("link to register of processing activities"), max_length=1000, blank=True
    )
    impacttoetsen = models.TextField(_("explanation of impact assessments"), blank=True)
    source_data = models.TextField(_("data"), blank=True)
    methods_and_models = models.TextField(_("technical operation"), blank=True)
    provider = models.CharField(_("supplier (public)"), max_length=500, blank=True)
    publiccode = models.URLField(_("link to source code"), max_length=1000, blank=True)
    tags = models.TextField(_("search terms"), blank=True)
    source_id = models.CharField(_("source ID"), max_length=100, blank=True)
    lang = models.CharField(_("language"), max_length=3, default="nld")
    standard_version = models.CharField(_("publication standard version"), max_length=10, default="1.0")
    lars = models.CharField(_("algorithm ID (national register)"), max_length=20, blank=True)

    # --- Internal (never public) ---
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_algorithms",
        verbose_name=_("owner"),
    )
    accountable_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accountable_algorithms",
        verbose_name=_("accountable manager"),
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    lifecycle_phase = models.CharField(
        _("lifecycle phase"),
        max_length=40,
        choices=LifecyclePhase.choices,
        default=LifecyclePhase.PROBLEM_ANALYSIS,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AlgorithmKind.choices, default=AlgorithmKind.RULE_BASED
    )
    sourcing = models.CharField(
        _("built or bought"), max_length=20, choices=Sourcing.choices, default=Sourcing.IN_HOUSE
    )
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    personal_data = models.BooleanField(_("processes personal data"), default=False)
    special_categories = models.BooleanField(
        _("processes special categories of personal data"), default=False
    )
    automated_decisions = models.BooleanField(
        _("automated individual decisions (GDPR art. 22)"), default=False
    )
    groups_affected = models.TextField(_("groups affected"), blank=True)
    effect_on_people = models.CharField(
        _("effect on people"), max_length=30, choices=EffectOnPeople.choices, default=EffectOnPeople.NONE
    )
    next_review_date = models.DateField(_("next review date"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    ai_act_risk_class = models.CharField(
        _("AI Act risk class"), max_length=30, choices=AIActRiskClass.choices, blank=True
    )

    # --- Publication workflow ---
    publication_state = models.CharField(
        _("publication state"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("algorithm")
        verbose_name_plural = _("algorithms")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_id"],
                condition=~Q(source_id=""),
                name="algorithm_unique_source_id",
            ),
            models.UniqueConstraint(fields=["lars"], condition=~Q(lars=""), name="algorithm_unique_lars"),
        ]
        indexes = [models.Index(fields=["organisation", "publication_state"], name="algorithm_org_state_idx")]

    def __str__(self) -> str:
        return self.name


class AlgorithmLink(models.Model):
    """One {title, link} item of a grouping field of the standard (legal basis, impact assessments, data)."""

    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.CASCADE, related_name="links", verbose_name=_("algorithm")
    )
    group = models.CharField(_("group"), max_length=30, choices=LinkGroup.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    link = models.URLField(_("link"), max_length=1000, blank=True)

    class Meta:
        ordering = ["group", "position", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.title
