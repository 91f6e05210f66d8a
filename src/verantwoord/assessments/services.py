"""Writes of the assessments area. Every write checks the workflow table and is audited in its transaction."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verantwoord.assessments import selectors
from verantwoord.assessments.evaluation import (
    action_points,
    clean_value,
    progress,
    stop_points,
)
from verantwoord.assessments.models import (
    Advice,
    AdviceOutcome,
    Advisor,
    Answer,
    Assessment,
    AssessmentPolicy,
    Attachment,
    Comment,
    Decision,
    GateOverride,
    State,
)
from verantwoord.assessments.questionnaire import current_template
from verantwoord.assessments.workflow import (
    ADVISOR_ROLES,
    EDITABLE_STATES,
    advisor_for,
    next_steps,
    step_between,
)
from verantwoord.compliance import services as compliance_services
from verantwoord.compliance.files import sniff_content_type
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core import selectors as core_selectors
from verantwoord.core.audit import audit_record
from verantwoord.core.models import Membership, User
from verantwoord.register.choices import AIActRiskClass
from verantwoord.register.models import Algorithm

TASK_SOURCE_PREFIX = "assessment-"
ALLOWED_FILE_KINDS = {
    "pdf": ("application/pdf",),
    "office": ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument."),
    "image": ("image/png", "image/jpeg"),
    "text": ("text/plain",),
}


class EditConflictError(Exception):
    """Someone else saved this answer after the version the editor started from."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("edit conflict")
        self.answer = answer


def _language() -> str:
    return get_language() or "nl"


def _require_step(assessment: Assessment, to_state: State, actor: User | None) -> None:
    step = step_between(assessment.state, to_state)
    if step is None or to_state not in next_steps(assessment):
        raise ValidationError(
            _("An assessment cannot go from %(from)s to %(to)s.")
            % {"from": State(assessment.state).label, "to": to_state.label}
        )
    if actor is not None and not any(
        core_selectors.user_has_permission(
            user=actor, organisation=assessment.organisation, permission=permission
        )
        for permission in step.permissions
    ):
        raise ValidationError(_("Your role does not allow this step."))


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("algorithm", "organisation")
        .get(pk=assessment.pk)
    )


def _require_editable(assessment: Assessment) -> None:
    if assessment.state not in EDITABLE_STATES:
        raise ValidationError(
            _("This assessment is %(state)s and can no longer be changed.")
            % {"state": State(assessment.state).label.lower()}
        )


@transaction.atomic
def assessment_start(
    *, actor: User | None, algorithm: Algorithm, template_key: str, reason: str = ""
) -> Assessment:
    """Start an assessment from the newest version of a template. One open version per template and algorithm."""
    try:
        template = current_template(template_key)
    except ValueError as error:
        raise ValidationError({"template": _("Unknown template.")}) from error
    Algorithm.objects.select_for_update().filter(pk=algorithm.pk).first()
    if selectors.open_assessment(algorithm=algorithm, template_key=template_key) is not None:
        raise ValidationError(
            {
                "template": _("This algorithm already has a %(title)s in progress.")
                % {"title": template.title.get(_language())}
            }
        )
    latest = selectors.latest_decided(algorithm=algorithm, template_key=template_key)
    if latest is not None:
        return assessment_new_version(actor=actor, assessment=latest, reason=reason)
    assessment = Assessment.objects.create(
        organisation=algorithm.organisation,
        algorithm=algorithm,
        template_key=template.key,
        template_version=template.version,
        high_risk=algorithm.ai_act_risk_class == AIActRiskClass.HIGH_RISK,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="assessment.start",
        instance=assessment,
        organisation=algorithm.organisation,
        changes={"template": [None, f"{template.key} {template.version}"], "version": [None, 1]},
        reason=reason,
    )
    return assessment


@transaction.atomic
def answer_save(
    *,
    actor: User | None,
    assessment: Assessment,
    question_id: str,
    value: Any,
    expected_revision: int | None,
    replaces_own: bool = False,
) -> Answer:
    """Save one answer. `expected_revision` is the revision the editor started from; when someone saved the
    answer since, EditConflictError carries their answer and nothing is overwritten. None skips the check (the
    system, imports). `replaces_own`: a save by the same actor since is no conflict — the section's form is sent
    while that page's own autosave may still be on its way, and the form is the editor's last word."""
    assessment = _locked(assessment)
    _require_editable(assessment)
    template = selectors.template_of(assessment)
    question = template.question(question_id)
    if question is None:
        raise ValidationError({question_id: _("Unknown question.")})
    try:
        cleaned = clean_value(question, value)
    except ValidationError as error:
        raise ValidationError({question_id: error.messages}) from error
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, question_id=question_id
    )
    if answer.value == cleaned:
        return answer  # saving the same answer again is no change, and no conflict
    own = replaces_own and actor is not None and answer.updated_by_id == actor.pk
    if expected_revision is not None and answer.revision != expected_revision and not own:
        raise EditConflictError(answer)
    old = answer.value
    answer.value, answer.updated_by = cleaned, actor
    answer.revision += 1
    answer.save()
    audit_record(
        actor=actor,
        action="assessment.answer",
        instance=assessment,
        organisation=assessment.organisation,
        changes={question_id: [old, cleaned]},
    )
    return answer


def _check_upload(upload: UploadedFile[Any], *, max_mb: int, kinds: Sequence[str]) -> tuple[bytes, str]:
    limit = max_mb * 1024 * 1024
    message = _("The file is too large: at most %(limit)s MB.") % {"limit": max_mb}
    if upload.size is not None and upload.size > limit:
        raise ValidationError(message)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(message)
    if not data:
        raise ValidationError(_("The file is empty."))
    content_type = sniff_content_type(data)  # from the bytes, never the name or the browser's claim
    allowed = tuple(prefix for kind in kinds for prefix in ALLOWED_FILE_KINDS[kind])
    if content_type is None or not content_type.startswith(allowed):
        raise ValidationError(
            _("This kind of file is not allowed here. Allowed: %(kinds)s.") % {"kinds": ", ".join(kinds)}
        )
    return data, content_type


@transaction.atomic
def attachment_add(
    *, actor: User | None, assessment: Assessment, question_id: str, upload: UploadedFile[Any]
) -> Attachment:
    """Store an attachment privately, after checking its size and its real type against the question's limits."""
    assessment = _locked(assessment)
    _require_editable(assessment)
    question = selectors.template_of(assessment).question(question_id)
    if question is None or question.type != "file":
        raise ValidationError({question_id: _("This question takes no files.")})
    try:
        data, content_type = _check_upload(upload, max_mb=question.max_file_mb, kinds=question.file_types)
    except ValidationError as error:
        raise ValidationError({question_id: error.messages}) from error
    name = (upload.name or "attachment").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        assessment=assessment,
        question_id=question_id,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="assessment.attachment_add",
        instance=assessment,
        organisation=assessment.organisation,
        changes={question_id: [None, {"name": name, "sha256": attachment.sha256, "type": content_type}]},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User | None, attachment: Attachment) -> None:
    assessment = _locked(attachment.assessment)
    _require_editable(assessment)
    audit_record(
        actor=actor,
        action="assessment.attachment_remove",
        instance=assessment,
        organisation=assessment.organisation,
        changes={attachment.question_id: [{"name": attachment.name, "sha256": attachment.sha256}, None]},
    )
    # The file itself stays: a copy made for a newer version may point at it.
    attachment.delete()


@transaction.atomic
def comment_add(*, actor: User | None, assessment: Assessment, question_id: str, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if selectors.template_of(assessment).question(question_id) is None:
        raise ValidationError({"question": _("Unknown question.")})
    comment = Comment.objects.create(
        assessment=assessment, question_id=question_id, author=actor, text=text[:5000]
    )
    audit_record(
        actor=actor,
        action="assessment.comment",
        instance=assessment,
        organisation=assessment.organisation,
        changes={question_id: [None, comment.text]},
    )
    return comment


def _condition_rows(raw: Sequence[Mapping[str, Any]], assessment: Assessment) -> list[dict[str, Any]]:
    """Check conditions: a text, an owner with a role in the organisation, a due date."""
    rows = []
    for item in raw:
        text = str(item.get("text") or "").strip()
        if not text:
            continue
        owner = item.get("owner")
        if (
            owner not in (None, "")
            and not Membership.objects.filter(user_id=owner, organisation=assessment.organisation).exists()
        ):
            raise ValidationError(
                {"conditions": _("The owner of a condition must have a role in this organisation.")}
            )
        due = item.get("due_date")
        if isinstance(due, datetime.date):
            due = due.isoformat()
        if due:
            try:
                datetime.date.fromisoformat(str(due))
            except ValueError as error:
                raise ValidationError(
                    {"conditions": _("Give a date as YYYY-MM-DD, for example 2026-03-31.")}
                ) from error
        rows.append(
            {
                "text": text[:1000],
                "owner": int(owner) if owner not in (None, "") else None,
                "due_date": due or None,
            }
        )
    return rows


def _task_source(assessment: Assessment) -> str:
    return f"{TASK_SOURCE_PREFIX}{selectors.chain_root(assessment).pk}"


def tasks_sync_for(
    *, actor: User | None, assessment: Assessment, reason: str = "", today: datetime.date | None = None
) -> None:
    """Make the compliance tasks of this assessment's chain match: action points of the newest version, the
    conditions of its advice and decision, and a re-assessment task once the review date has come."""
    chain = selectors.versions_of(assessment=assessment)
    newest = chain[0]
    language = _language()
    template = selectors.template_of(newest)
    title = template.title.get(language)
    wanted: list[compliance_services.TaskSpec] = []
    owners: dict[str, int] = {}
    for point in action_points(template, selectors.answers_of(assessment=newest), language):
        wanted.append(
            compliance_services.TaskSpec(
                key=f"action:{point.key}",
                title=point.title,
                explanation=_("Action point of the %(title)s: %(question)s")
                % {"title": title, "question": point.explanation},
                references=point.references,
                due_date=point.due_date,
            )
        )
    decided = next((version for version in chain if version.state in (State.DECIDED, State.SUPERSEDED)), None)
    condition_sources: list[tuple[str, list[dict[str, Any]]]] = []
    if decided is not None:
        for advice in selectors.advice_of(assessment=decided):
            condition_sources.append((f"advice{advice.pk}", advice.conditions))
        condition_sources.append(("decision", decided.conditions))
    for prefix, conditions in condition_sources:
        for index, condition in enumerate(conditions):
            key = f"condition:{prefix}:{index}"
            wanted.append(
                compliance_services.TaskSpec(
                    key=key,
                    title=condition["text"][:300],
                    explanation=_("Condition of the %(title)s (version %(version)s).")
                    % {"title": title, "version": decided.version if decided else ""},
                    due_date=datetime.date.fromisoformat(condition["due_date"])
                    if condition.get("due_date")
                    else None,
                )
            )
            if condition.get("owner"):
                owners[key] = int(condition["owner"])
    if (
        newest.state == State.DECIDED
        and newest.review_date
        and newest.review_date <= (today or timezone.localdate())
    ):
        wanted.append(
            compliance_services.TaskSpec(
                key=f"review:{newest.version}",
                title=_("Re-assess: %(title)s") % {"title": title},
                explanation=_("The re-assessment date of this assessment has come: start a new version."),
                due_date=newest.review_date,
            )
        )
    result = compliance_services.tasks_sync(
        actor=actor,
        algorithm=assessment.algorithm,
        source=_task_source(assessment),
        wanted=wanted,
        close_reason=_("No longer an action point or condition of the assessment."),
        reason=reason,
    )
    for task in result.created:
        owner_id = owners.get(task.source_key)
        if owner_id is not None:
            compliance_services.task_update(
                actor=actor, task=task, data={"owner": User.objects.get(pk=owner_id)}, reason=reason
            )


def tasks_of(*, assessment: Assessment) -> list[ComplianceTask]:
    return list(
        ComplianceTask.objects.filter(
            algorithm=assessment.algorithm, source=_task_source(assessment)
        ).select_related("owner")
    )


@transaction.atomic
def assessment_submit(*, actor: User | None, assessment: Assessment, reason: str = "") -> Assessment:
    """Submit for review: every required question that shows must be answered."""
    assessment = _locked(assessment)
    _require_step(assessment, State.SUBMITTED, actor)
    template = selectors.template_of(assessment)
    sections = progress(
        template,
        selectors.answers_of(assessment=assessment),
        selectors.attachment_counts(assessment=assessment),
    )
    missing = [question for section in sections for question in section.missing_required]
    if missing:
        language = _language()
        raise ValidationError(
            [
                _("Not answered yet: %(question)s") % {"question": question.text.get(language)}
                for question in missing
            ]
        )
    before = assessment.state
    assessment.state = State.SUBMITTED
    assessment.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.submit",
        instance=assessment,
        organisation=assessment.organisation,
        changes={"state": [before, State.SUBMITTED.value]},
        reason=reason,
    )
    tasks_sync_for(actor=actor, assessment=assessment, reason=reason)
    return assessment


@transaction.atomic
def assessment_advise(
    *,
    actor: User | None,
    assessment: Assessment,
    outcome: str,
    text: str,
    conditions: Sequence[Mapping[str, Any]] = (),
) -> Advice:
    """The FG's or the ethics committee's advice; only a person in the matching role gives it."""
    assessment = _locked(assessment)
    _require_step(assessment, State.ADVISED, actor)
    advisor = advisor_for(assessment)
    if advisor is None:  # next_steps offers advice only where it is required
        raise ValidationError(_("This assessment needs no advice."))
    if (
        actor is not None
        and not actor.is_superuser
        and not Membership.objects.filter(
            user=actor, organisation=assessment.organisation, role=ADVISOR_ROLES[advisor]
        ).exists()
    ):
        raise ValidationError(
            _("This advice is given by the %(advisor)s.") % {"advisor": Advisor(advisor).label}
        )
    errors: dict[str, str] = {}
    if outcome not in AdviceOutcome.values:
        errors["outcome"] = _("Choose the advice.")
    if not text.strip():
        errors["text"] = _("Explain the advice.")
    rows = _condition_rows(conditions, assessment)
    if outcome == AdviceOutcome.POSITIVE_WITH_CONDITIONS and not rows:
        errors["conditions"] = _("Give at least one condition.")
    if errors:
        raise ValidationError(errors)
    advice = Advice.objects.create(
        assessment=assessment,
        advisor_kind=advisor,
        outcome=outcome,
        text=text.strip(),
        conditions=rows,
        given_by=actor,
    )
    before = assessment.state
    assessment.state = State.ADVISED
    assessment.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.advise",
        instance=assessment,
        organisation=assessment.organisation,
        changes={
            "state": [before, State.ADVISED.value],
            "advice": [
                None,
                {"advisor": advisor.value, "outcome": outcome, "text": advice.text, "conditions": rows},
            ],
        },
    )
    return advice


@transaction.atomic
def assessment_return(*, actor: User | None, assessment: Assessment, reason: str) -> Assessment:
    """Send back for changes from any review step, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what needs to change.")})
    assessment = _locked(assessment)
    _require_step(assessment, State.RETURNED, actor)
    before = assessment.state
    assessment.state, assessment.return_reason = State.RETURNED, reason.strip()
    assessment.save(update_fields=["state", "return_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.return",
        instance=assessment,
        organisation=assessment.organisation,
        changes={"state": [before, State.RETURNED.value]},
        reason=reason.strip(),
    )
    return assessment


def canonical_content(assessment: Assessment) -> dict[str, Any]:
    """Everything the decision is about, as plain data: answers, attachments' hashes, advice and decision."""
    return {
        "organisation": assessment.organisation.slug,
        "algorithm": assessment.algorithm_id,
        "template": {"key": assessment.template_key, "version": assessment.template_version},
        "version": assessment.version,
        "previous": assessment.previous.content_hash if assessment.previous else None,
        "answers": selectors.answers_of(assessment=assessment),
        "attachments": sorted(
            [item.question_id, item.name, item.sha256]
            for item in selectors.attachments_of(assessment=assessment)
        ),
        "advice": [
            {
                "advisor": advice.advisor_kind,
                "outcome": advice.outcome,
                "text": advice.text,
                "conditions": advice.conditions,
                "by": advice.given_by_id,
                "at": advice.given_at.isoformat(),
            }
            for advice in selectors.advice_of(assessment=assessment)
        ],
        "decision": {
            "outcome": assessment.decision,
            "note": assessment.decision_note,
            "conditions": assessment.conditions,
            "by": assessment.decided_by_id,
            "at": assessment.decided_at.isoformat() if assessment.decided_at else None,
            "review_date": assessment.review_date.isoformat() if assessment.review_date else None,
        },
    }


def content_hash(assessment: Assessment) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of `canonical_content`."""
    data = json.dumps(
        canonical_content(assessment), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    return day


@transaction.atomic
def assessment_decide(
    *,
    actor: User | None,
    assessment: Assessment,
    decision: str,
    note: str,
    conditions: Sequence[Mapping[str, Any]] = (),
    review_date: datetime.date | None = None,
) -> Assessment:
    """The accountable manager's decision. Afterwards the assessment is immutable: its content hash is recorded in
    the audit trail, the previous decided version is superseded, and conditions become tasks."""
    assessment = _locked(assessment)
    _require_step(assessment, State.DECIDED, actor)
    manager = assessment.algorithm.accountable_manager_id
    if actor is not None and manager is not None and actor.pk != manager and not actor.is_superuser:
        raise ValidationError(
            _("Only the accountable manager named on the algorithm decides on its assessments.")
        )
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose the decision.")
    if not note.strip():
        errors["note"] = _("Explain the decision.")
    rows = _condition_rows(conditions, assessment)
    if decision == Decision.APPROVED_WITH_CONDITIONS and not rows:
        errors["conditions"] = _("Give at least one condition.")
    if decision in (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS):
        stops = stop_points(
            selectors.template_of(assessment), selectors.answers_of(assessment=assessment), _language()
        )
        if stops:
            errors["decision"] = " ".join(stop.message for stop in stops)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    policy = selectors.policy_of(organisation=assessment.organisation)
    assessment.decision, assessment.decision_note, assessment.conditions = decision, note.strip(), rows
    assessment.decided_by, assessment.decided_at = actor, now
    assessment.review_date = review_date or _add_months(timezone.localdate(), policy.review_months)
    before = assessment.state
    assessment.state = State.DECIDED
    assessment.content_hash = content_hash(assessment)
    assessment.save()
    audit_record(
        actor=actor,
        action="assessment.decide",
        instance=assessment,
        organisation=assessment.organisation,
        changes={
            "state": [before, State.DECIDED.value],
            "decision": [None, decision],
            "conditions": [None, rows],
            "review_date": [None, assessment.review_date.isoformat()],
            "content_hash": [None, assessment.content_hash],
        },
        reason=assessment.decision_note,
    )
    previous = assessment.previous
    if previous is not None and previous.state == State.DECIDED:
        previous = _locked(previous)
        previous.state = State.SUPERSEDED
        previous.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="assessment.supersede",
            instance=previous,
            organisation=previous.organisation,
            changes={
                "state": [State.DECIDED.value, State.SUPERSEDED.value],
                "superseded_by": [None, assessment.pk],
            },
        )
    tasks_sync_for(actor=actor, assessment=assessment)
    return assessment


@transaction.atomic
def assessment_new_version(*, actor: User | None, assessment: Assessment, reason: str = "") -> Assessment:
    """A new draft version of a decided assessment, with its answers and attachments, on the newest template
    version. The decided version stays as it is until the new one is decided."""
    assessment = _locked(assessment)
    if assessment.state != State.DECIDED:
        raise ValidationError(_("Only a decided assessment gets a new version."))
    if Assessment.objects.filter(previous=assessment).exists():
        raise ValidationError(_("A newer version of this assessment already exists."))
    template = current_template(assessment.template_key)
    new = Assessment.objects.create(
        organisation=assessment.organisation,
        algorithm=assessment.algorithm,
        template_key=assessment.template_key,
        template_version=template.version,
        version=assessment.version + 1,
        previous=assessment,
        high_risk=assessment.algorithm.ai_act_risk_class == AIActRiskClass.HIGH_RISK,
        created_by=actor,
    )
    known = {question.id for question in template.questions()}
    Answer.objects.bulk_create(
        Answer(
            assessment=new, question_id=answer.question_id, value=answer.value, updated_by=answer.updated_by
        )
        for answer in Answer.objects.filter(assessment=assessment)
        if answer.question_id in known
    )
    for attachment in selectors.attachments_of(assessment=assessment):
        if attachment.question_id in known:
            Attachment.objects.create(
                assessment=new,
                question_id=attachment.question_id,
                file=attachment.file.name,
                name=attachment.name,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=attachment.sha256,
                uploaded_by=attachment.uploaded_by,
            )
    audit_record(
        actor=actor,
        action="assessment.new_version",
        instance=new,
        organisation=new.organisation,
        changes={"version": [assessment.version, new.version], "previous": [None, assessment.pk]},
        reason=reason,
    )
    return new


@transaction.atomic
def summary_publish(*, actor: User | None, assessment: Assessment, summary: str) -> Assessment:
    """Publish the public summary of a decided DPIA or IAMA: it shows on the algorithm's public page and goes into
    the register export (impacttoetsen_grouping) with the next publication of the algorithm."""
    assessment = _locked(assessment)
    if assessment.template_key not in selectors.PUBLIC_SUMMARY_TEMPLATES or assessment.state != State.DECIDED:
        raise ValidationError(_("Only the summary of a decided DPIA or IAMA can be published."))
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary.")})
    before = [assessment.public_summary, assessment.summary_published_at]
    assessment.public_summary, assessment.summary_published_at = summary.strip(), timezone.now()
    assessment.save(update_fields=["public_summary", "summary_published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.summary_publish",
        instance=assessment,
        organisation=assessment.organisation,
        changes={"public_summary": [before[0], assessment.public_summary]},
    )
    return assessment


@transaction.atomic
def summary_withdraw(*, actor: User | None, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    if assessment.summary_published_at is None:
        return assessment
    assessment.summary_published_at = None
    assessment.save(update_fields=["summary_published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.summary_withdraw",
        instance=assessment,
        organisation=assessment.organisation,
        changes={"summary_published": [True, False]},
    )
    return assessment


@transaction.atomic
def override_record(
    *, actor: User | None, algorithm: Algorithm, requirement: str, justification: str
) -> GateOverride:
    """A beheerder lets the algorithm be in use although a required assessment is not approved."""
    from verantwoord.assessments.requirements import GATED_KINDS

    errors: dict[str, str] = {}
    if requirement not in GATED_KINDS:
        errors["requirement"] = _("Choose the required assessment.")
    if len(justification.strip()) < 20:
        errors["justification"] = _("Give a justification of at least 20 characters.")
    if errors:
        raise ValidationError(errors)
    override = GateOverride.objects.create(
        organisation=algorithm.organisation,
        algorithm=algorithm,
        requirement=requirement,
        justification=justification.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="assessment.gate_override",
        instance=algorithm,
        organisation=algorithm.organisation,
        changes={"override": [None, {"requirement": requirement, "justification": override.justification}]},
        reason=override.justification,
    )
    return override


@transaction.atomic
def override_revoke(*, actor: User | None, override: GateOverride, reason: str = "") -> GateOverride:
    if override.revoked_at is not None:
        return override
    override.revoked_at = timezone.now()
    override.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="assessment.gate_override_revoke",
        instance=override.algorithm,
        organisation=override.organisation,
        changes={"override": [{"requirement": override.requirement}, None]},
        reason=reason,
    )
    return override


POLICY_FIELDS = ("iama_for_impactful", "dpia_for_all_personal_data", "ethics_for_high_risk", "review_months")


@transaction.atomic
def policy_update(
    *, actor: User | None, organisation: Any, data: Mapping[str, Any], reason: str = ""
) -> AssessmentPolicy:
    unknown = set(data) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    policy, _created = AssessmentPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name, value in data.items():
        setattr(policy, name, value)
    if not 1 <= int(policy.review_months) <= 120:
        raise ValidationError({"review_months": _("Between 1 and 120 months.")})
    after = {name: getattr(policy, name) for name in POLICY_FIELDS}
    changes = {name: [before[name], after[name]] for name in POLICY_FIELDS if before[name] != after[name]}
    if changes:
        policy.save()
        audit_record(
            actor=actor,
            action="assessment.policy_update",
            instance=policy,
            organisation=organisation,
            changes=changes,
            reason=reason,
        )
    return policy


@dataclass(frozen=True)
class ReminderRun:
    reminded: int


def review_reminders(*, today: datetime.date | None = None) -> ReminderRun:
    """The periodic job: a re-assessment task for each decided assessment whose review date has come."""
    today = today or timezone.localdate()
    reminded = 0
    for assessment in selectors.reviews_due(today=today).filter(review_reminded_on__isnull=True):
        with transaction.atomic():
            tasks_sync_for(
                actor=None, assessment=assessment, reason="Re-assessment date reached", today=today
            )
            Assessment.objects.filter(pk=assessment.pk).update(review_reminded_on=today)
            audit_record(
                actor=None,
                action="assessment.review_reminder",
                instance=assessment,
                organisation=assessment.organisation,
                changes={
                    "review_date": [
                        None,
                        assessment.review_date.isoformat() if assessment.review_date else None,
                    ]
                },
            )
        reminded += 1
    return ReminderRun(reminded=reminded)
