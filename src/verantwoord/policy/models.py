from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded by a newer version")


class DecisionBody(models.TextChoices):
    """Who adopted the policy: in a Dutch municipality the board (college van B&W) adopts it and presents it to
    the council (gemeenteraad); some councils adopt it themselves."""

    BOARD = "board", _("Municipal executive (college van B&W)")
    COUNCIL = "council", _("Municipal council (gemeenteraad)")
    OTHER = "other", _("Other governing body")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class PolicyVersion(models.Model):
    """One version of an organisation's AI policy document (AI-beleid). A draft is edited; in review and after
    adoption it is immutable: its live blocks are frozen in `snapshot` and its content hash is kept. A change
    makes a new version that starts from the last one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_versions")
    number = models.PositiveIntegerField(_("version"))
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    # The version of the section templates (policy/data/sections.yaml) the version started from.
    template_version = models.CharField(_("template version"), max_length=20)
    # The live blocks and the checklist annex as they were when the version went to review, per language:
    # {"as_of": "YYYY-MM-DD", "blocks": {lang: {key: {"title", "section", "order", "content"}}},
    #  "checklist": {lang: [row, ...]}}. Empty while a draft: a draft shows the data as of today.
    snapshot = models.JSONField(_("frozen live blocks"), default=dict, blank=True)
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    decision_body = models.CharField(_("adopted by"), max_length=20, choices=DecisionBody.choices, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation", "-number"]
        verbose_name = _("AI policy version")
        verbose_name_plural = _("AI policy versions")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="policy_version_unique_number"),
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="policy_version_org_state_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} AI policy v{self.number}"


class TextBlock(models.Model):
    """One editable text block of a version in one language (Markdown). `key` names the block in the section
    templates; `revision` counts saves, for optimistic locking: a save names the revision it started from and is
    refused when someone saved in between."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="text_blocks")
    key = models.CharField(_("block"), max_length=80)
    section = models.PositiveSmallIntegerField(_("section"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    markdown = models.TextField(_("text"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["version", "section", "key", "language"]
        verbose_name = _("policy text block")
        verbose_name_plural = _("policy text blocks")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key", "language"], name="policy_text_block_unique_key_language"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version.number} {self.key} ({self.language})"
