"""Choices of the register's own fields. Values of the standard's fields are codes from standard.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterStatus(models.TextChoices):
    """The standard's `status` field (Dutch value in exports: In ontwikkeling / In gebruik / Buiten gebruik)."""

    IN_DEVELOPMENT = "in_development", _("In development")
    IN_USE = "in_use", _("In use")
    OUT_OF_USE = "out_of_use", _("Out of use")


class PublicationCategory(models.TextChoices):
    HIGH_RISK_AI = "high_risk_ai", _("High-risk AI system")
    IMPACTFUL = "impactful", _("Impactful algorithms")
    OTHER = "other", _("Other algorithms")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY_FOR_REVIEW = "ready_for_review", _("Ready for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LifecyclePhase(models.TextChoices):
    """The nine phases of the algorithm lifecycle (Algoritmekader)."""

    ORGANISATIONAL_RESPONSIBILITIES = "organisational_responsibilities", _("Organisational responsibilities")
    PROBLEM_ANALYSIS = "problem_analysis", _("Problem analysis")
    DESIGN = "design", _("Design")
    DATA_EXPLORATION = "data_exploration", _("Data exploration and preparation")
    DEVELOPMENT = "development", _("Development")
    VERIFICATION_VALIDATION = "verification_validation", _("Verification and validation")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring and management")
    PHASING_OUT = "phasing_out", _("Phasing out")


class AlgorithmKind(models.TextChoices):
    RULE_BASED = "rule_based", _("Rule-based")
    MACHINE_LEARNING = "machine_learning", _("Machine learning")
    GPAI_BASED = "gpai_based", _("Based on general-purpose AI")
    OTHER = "other", _("Other")


class Sourcing(models.TextChoices):
    IN_HOUSE = "in_house", _("Built in-house")
    SUPPLIED = "supplied", _("Supplied")


class EffectOnPeople(models.TextChoices):
    NONE = "none", _("No effect on people")
    LEGAL = "legal", _("Legal effect")
    SIMILARLY_SIGNIFICANT = "similarly_significant", _("Similarly significant effect")


class AIActRiskClass(models.TextChoices):
    """Filled by the AI Act classification; blank until an algorithm is classified."""

    PROHIBITED = "prohibited", _("Prohibited")
    HIGH_RISK = "high_risk", _("High-risk")
    NOT_HIGH_RISK_DEROGATION = "not_high_risk_derogation", _("Not high-risk (art. 6(3))")
    LIMITED = "transparency", _("Transparency obligations")
    MINIMAL = "minimal", _("Not high-risk")
    NOT_AI = "not_ai", _("Not an AI system")


class LinkGroup(models.TextChoices):
    """The standard's grouping fields: lists of {title, link}."""

    LAWFUL_BASIS = "lawful_basis_grouping", _("Links to legal basis")
    IMPACT_ASSESSMENTS = "impacttoetsen_grouping", _("Impact assessments")
    SOURCE_DATA = "source_data_grouping", _("Links to data sources")
