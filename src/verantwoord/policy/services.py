"""Writes of the policy area. Every write checks the workflow table and is audited in its transaction."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.core import selectors as core_selectors
from verantwoord.core.audit import audit_record
from verantwoord.core.models import Organisation, User
from verantwoord.policy import selectors
from verantwoord.policy.builder import capture_snapshot
from verantwoord.policy.models import DecisionBody, PolicyVersion, TextBlock, VersionState
from verantwoord.policy.sections import LANGUAGES, document_template
from verantwoord.policy.workflow import EDITABLE_STATES, step_between


class EditConflictError(Exception):
    """Someone else saved this text block after the revision the editor started from."""

    def __init__(self, block: TextBlock) -> None:
        super().__init__("edit conflict")
        self.block = block


def _locked(version: PolicyVersion) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().select_related("organisation").get(pk=version.pk)


def _require_step(version: PolicyVersion, to_state: VersionState, actor: User | None) -> None:
    step = step_between(version.state, to_state)
    if step is None:
        raise ValidationError(
            _("A policy version cannot go from %(from)s to %(to)s.")
            % {"from": VersionState(version.state).label, "to": to_state.label}
        )
    if actor is not None and not any(
        core_selectors.user_has_permission(
            user=actor, organisation=version.organisation, permission=permission
        )
        for permission in step.permissions
    ):
        raise ValidationError(_("Your role does not allow this step."))


def content_hash(version: PolicyVersion) -> str:
    """SHA-256 over what the version says: every text block, the frozen live blocks and checklist, and the
    decision. Recorded in the audit trail at adoption, so a later change to the stored version shows."""
    payload: dict[str, Any] = {
        "organisation": version.organisation.slug,
        "number": version.number,
        "template_version": version.template_version,
        "texts": [
            [block.key, block.language, block.markdown]
            for block in TextBlock.objects.filter(version=version).order_by("key", "language")
        ],
        "snapshot": version.snapshot,
        "decision": [
            version.decision_body,
            version.decision_date.isoformat() if version.decision_date else None,
            version.decision_reference,
        ],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def policy_version_start(
    *, actor: User | None, organisation: Organisation, reason: str = ""
) -> PolicyVersion:
    """Start the next version. The first starts from the section templates; a later one copies the text blocks
    of the last version and adds the template blocks it does not have yet. One open version at a time."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if selectors.open_version(organisation=organisation) is not None:
        raise ValidationError(
            _("There is already a version being written or reviewed; finish that one first.")
        )
    previous = selectors.latest_version(organisation=organisation)
    template = document_template()
    version = PolicyVersion.objects.create(
        organisation=organisation,
        number=(previous.number + 1) if previous is not None else 1,
        previous=previous,
        template_version=template.version,
        created_by=actor,
    )
    existing: dict[tuple[str, str], TextBlock] = {}
    if previous is not None:
        existing = {(b.key, b.language): b for b in TextBlock.objects.filter(version=previous)}
    blocks = [
        TextBlock(
            version=version,
            key=b.key,
            section=b.section,
            language=b.language,
            markdown=b.markdown,
            updated_by=actor,
        )
        for b in existing.values()
    ]
    blocks += [
        TextBlock(
            version=version,
            key=block.key,
            section=block.section,
            language=language,
            markdown=block.text_for(language, organisation.name),
            updated_by=actor,
        )
        for block in template.blocks()
        for language in LANGUAGES
        if (block.key, language) not in existing
    ]
    TextBlock.objects.bulk_create(blocks)
    audit_record(
        actor=actor,
        action="policy.version_started",
        instance=version,
        organisation=organisation,
        changes={
            "number": version.number,
            "previous": previous.number if previous is not None else None,
            "template_version": template.version,
        },
        reason=reason,
    )
    return version


@transaction.atomic
def text_block_save(
    *, actor: User | None, block: TextBlock, markdown: str, base_revision: int, replaces_own: bool = False
) -> TextBlock:
    """Save a text block of a draft. Refused (EditConflictError) when someone saved since ``base_revision``.
    ``replaces_own``: a save by the same actor since is no conflict — the page's form may be sent while its own
    autosave is still on its way, and the form is the editor's last word."""
    version = _locked(block.version)
    if version.state not in EDITABLE_STATES:
        raise ValidationError(
            _("This version is %(state)s and can no longer be changed; start a new version.")
            % {"state": VersionState(version.state).label.lower()}
        )
    current = TextBlock.objects.select_for_update().get(pk=block.pk)
    own = replaces_own and actor is not None and current.updated_by_id == actor.pk
    if current.revision != base_revision and not own:
        raise EditConflictError(current)
    markdown = markdown.replace("\r\n", "\n")
    if current.markdown == markdown:
        return current
    before = current.markdown
    current.markdown = markdown
    current.revision += 1
    current.updated_by = actor
    current.save(update_fields=["markdown", "revision", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action="policy.text_saved",
        instance=version,
        organisation=version.organisation,
        changes={"block": current.key, "language": current.language, "markdown": [before, markdown]},
    )
    return current


@transaction.atomic
def policy_version_submit(
    *, actor: User | None, version: PolicyVersion, at: datetime.datetime | None = None
) -> PolicyVersion:
    """Send a draft for review: its live blocks and the checklist are frozen as of now (or ``at``)."""
    version = _locked(version)
    _require_step(version, VersionState.IN_REVIEW, actor)
    moment = at or timezone.now()
    version.snapshot = capture_snapshot(version.organisation, moment)
    version.as_of = datetime.date.fromisoformat(version.snapshot["as_of"])
    version.state = VersionState.IN_REVIEW
    version.submitted_by = actor
    version.submitted_at = moment
    version.return_reason = ""
    version.save()
    audit_record(
        actor=actor,
        action="policy.version_submitted",
        instance=version,
        organisation=version.organisation,
        changes={"state": [VersionState.DRAFT, VersionState.IN_REVIEW], "as_of": version.as_of},
    )
    return version


@transaction.atomic
def policy_version_return(*, actor: User | None, version: PolicyVersion, reason: str) -> PolicyVersion:
    """Send a version in review back to draft; it shows live data again until it is submitted anew."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the version goes back to draft.")})
    version = _locked(version)
    _require_step(version, VersionState.DRAFT, actor)
    version.state = VersionState.DRAFT
    version.snapshot = {}
    version.as_of = None
    version.return_reason = reason.strip()
    version.save()
    audit_record(
        actor=actor,
        action="policy.version_returned",
        instance=version,
        organisation=version.organisation,
        changes={"state": [VersionState.IN_REVIEW, VersionState.DRAFT]},
        reason=version.return_reason,
    )
    return version


@transaction.atomic
def policy_version_adopt(
    *,
    actor: User | None,
    version: PolicyVersion,
    decision_body: str,
    decision_date: datetime.date,
    decision_reference: str,
) -> PolicyVersion:
    """Record that the board (or council) adopted the version in review. The previously adopted version is
    superseded. The version keeps the snapshot it was reviewed with: the board adopts what it read."""
    errors: dict[str, str] = {}
    if decision_body not in DecisionBody.values:
        errors["decision_body"] = _("Choose who adopted the policy.")
    if decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision date cannot be in the future.")
    if not decision_reference.strip():
        errors["decision_reference"] = _(
            "Give the reference of the decision, e.g. its number in the minutes."
        )
    if errors:
        raise ValidationError(errors)
    version = _locked(version)
    _require_step(version, VersionState.ADOPTED, actor)
    now = timezone.now()
    for older in PolicyVersion.objects.select_for_update().filter(
        organisation=version.organisation, state=VersionState.ADOPTED
    ):
        older.state = VersionState.SUPERSEDED
        older.superseded_at = now
        older.save(update_fields=["state", "superseded_at", "updated_at"])
        audit_record(
            actor=actor,
            action="policy.version_superseded",
            instance=older,
            organisation=older.organisation,
            changes={"state": [VersionState.ADOPTED, VersionState.SUPERSEDED], "by_version": version.number},
        )
    version.state = VersionState.ADOPTED
    version.decision_body = decision_body
    version.decision_date = decision_date
    version.decision_reference = decision_reference.strip()
    version.adopted_by = actor
    version.adopted_at = now
    version.content_hash = content_hash(version)
    version.save()
    audit_record(
        actor=actor,
        action="policy.version_adopted",
        instance=version,
        organisation=version.organisation,
        changes={
            "state": [VersionState.IN_REVIEW, VersionState.ADOPTED],
            "decision_body": decision_body,
            "decision_date": decision_date,
            "decision_reference": version.decision_reference,
            "content_hash": version.content_hash,
        },
    )
    return version
