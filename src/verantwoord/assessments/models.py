from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.register.models import Algorithm


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RETURNED = "returned", _("Returned for changes")
    SUBMITTED = "submitted", _("Submitted for review")
    ADVISED = "advised", _("Advice given")
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Superseded by a newer version")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")


class AdviceOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    POSITIVE_WITH_CONDITIONS = "positive_with_conditions", _("Positive with conditions")
    NEGATIVE = "negative", _("Negative")


class Advisor(models.TextChoices):
    PRIVACY_OFFICER = "privacy_officer", _("Data protection officer (FG)")
    ETHICS_COMMITTEE = "ethics_committee", _("Ethics committee")


class Assessment(models.Model):
    """One version of an assessment (pre-scan, DPIA, IAMA, ethics review, supplier questionnaire) of an algorithm,
    filled in from a template version. Once decided it is immutable: its content hash is kept and recorded in the
    audit trail; a change makes a new version linked to this one through `previous`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="assessments")
    template_key = models.CharField(_("template"), max_length=40)
    template_version = models.CharField(_("template version"), max_length=20)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Decided when it was started: an IAMA of a high-risk AI system goes to the ethics committee for advice.
    high_risk = models.BooleanField(_("high-risk AI system"), default=False)
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("decision explanation"), blank=True)
    # [{"text": …, "owner": user id or None, "due_date": "YYYY-MM-DD" or None}]
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    review_date = models.DateField(_("re-assessment date"), null=True, blank=True)
    review_reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    summary_published_at = models.DateTimeField(_("summary published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["algorithm", "template_key", "-version"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["organisation", "state"], name="assessment_org_state_idx"),
            models.Index(fields=["algorithm", "template_key"], name="assessment_alg_template_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} v{self.version}: {self.algorithm}"


class Answer(models.Model):
    """The answer to one question. `revision` counts saves, for optimistic locking: a save names the revision it
    started from and is refused when someone saved in between."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(_("question"), max_length=80)
    value = models.JSONField(_("value"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assessment", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question_id"], name="answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.question_id}"


class Comment(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    question_id = models.CharField(_("question"), max_length=80)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Private storage: never under STATIC or a public URL; served only by a permission-checked view.
    return f"assessments/{instance.assessment.organisation_id}/{instance.assessment_id}/{filename}"


class Attachment(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attachments")
    question_id = models.CharField(_("question"), max_length=80)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    name = models.CharField(_("file name"), max_length=300)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Advice(models.Model):
    """Advice of the FG (DPIA, GDPR art. 35(2)) or the ethics committee on a submitted assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="advice")
    advisor_kind = models.CharField(_("advisor"), max_length=30, choices=Advisor.choices)
    outcome = models.CharField(_("advice"), max_length=30, choices=AdviceOutcome.choices)
    text = models.TextField(_("explanation"))
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return f"{self.get_advisor_kind_display()}: {self.get_outcome_display()}"


class AssessmentPolicy(models.Model):
    """The organisation's own rules on which assessments are required, beyond what the law requires."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="assessment_policy"
    )
    iama_for_impactful = models.BooleanField(_("IAMA for every impactful algorithm"), default=False)
    dpia_for_all_personal_data = models.BooleanField(
        _("DPIA for every algorithm that processes personal data"), default=False
    )
    ethics_for_high_risk = models.BooleanField(
        _("Ethics review for every high-risk AI system"), default=False
    )
    review_months = models.PositiveIntegerField(_("re-assess after (months)"), default=24)

    class Meta:
        verbose_name = _("assessment policy")
        verbose_name_plural = _("assessment policies")

    def __str__(self) -> str:
        return str(self.organisation)


class GateOverride(models.Model):
    """A beheerder's recorded exception: the algorithm may be in use although a required assessment is not
    approved. Audited and shown on the algorithm page; revoking keeps the record."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="assessment_overrides")
    requirement = models.CharField(_("required assessment"), max_length=20)
    justification = models.TextField(_("justification"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gate override")
        verbose_name_plural = _("gate overrides")

    def __str__(self) -> str:
        return f"{self.algorithm}: {self.requirement}"
