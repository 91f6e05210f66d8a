"""The policy version workflow through the services: the transitions of the one table, every step audited, the
snapshot frozen at review, immutability of an adopted version and its content hash, optimistic locking, a new
version copies the last one."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from verantwoord.core.models import AuditRecord, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.policy import selectors, services
from verantwoord.policy.builder import build_document
from verantwoord.policy.models import DecisionBody, PolicyVersion, TextBlock, VersionState
from verantwoord.policy.sections import document_template
from verantwoord.policy.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def adopt(version: PolicyVersion, actor: User | None = None, reference: str = "B&W 2026/12") -> PolicyVersion:
    version = services.policy_version_submit(actor=actor, version=version)
    return services.policy_version_adopt(
        actor=actor,
        version=version,
        decision_body=DecisionBody.BOARD,
        decision_date=timezone.localdate(),
        decision_reference=reference,
    )


def actions(version: PolicyVersion) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_type="policy.policyversion", object_id=str(version.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_every_transition_names_who_may_take_it() -> None:
    for from_state, steps in TRANSITIONS.items():
        for to_state, step in steps.items():
            assert step.permissions or to_state == VersionState.SUPERSEDED, (from_state, to_state)


def test_first_version_starts_from_the_templates_in_both_languages(organisation: Organisation) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    template = document_template()
    assert (version.number, version.state, version.template_version) == (1, "draft", template.version)
    blocks = TextBlock.objects.filter(version=version)
    assert blocks.count() == 2 * len(template.blocks())
    intro = blocks.get(key="intro.why", language="nl")
    assert intro.markdown.startswith("Gemeente Testdorp gebruikt algoritmes")
    assert "{organisation}" not in "".join(blocks.values_list("markdown", flat=True))
    assert actions(version) == ["policy.version_started"]
    with pytest.raises(ValidationError, match="already a version"):
        services.policy_version_start(actor=None, organisation=organisation)


def test_the_whole_life_of_two_versions_is_audited(organisation: Organisation, beheerder: User) -> None:
    first = services.policy_version_start(actor=beheerder, organisation=organisation)
    first = services.policy_version_submit(actor=beheerder, version=first)
    assert (
        first.state == VersionState.IN_REVIEW and first.snapshot["as_of"] == timezone.localdate().isoformat()
    )
    first = services.policy_version_return(actor=beheerder, version=first, reason="Add the supplier terms")
    assert (first.state, first.snapshot, first.as_of) == (VersionState.DRAFT, {}, None)
    first = adopt(first, beheerder)
    assert first.state == VersionState.ADOPTED and len(first.content_hash) == 64
    assert selectors.adopted_version(organisation=organisation) == first

    second = services.policy_version_start(actor=beheerder, organisation=organisation)
    assert (second.number, second.previous) == (2, first)
    second = adopt(second, beheerder, reference="B&W 2027/3")
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED and first.superseded_at is not None
    assert selectors.adopted_version(organisation=organisation) == second
    assert actions(first) == [
        "policy.version_started",
        "policy.version_submitted",
        "policy.version_returned",
        "policy.version_submitted",
        "policy.version_adopted",
        "policy.version_superseded",
    ]
    adopted = AuditRecord.objects.get(action="policy.version_adopted", object_id=str(second.pk))
    assert adopted.changes["content_hash"] == second.content_hash
    assert adopted.changes["decision_reference"] == "B&W 2027/3"
    assert adopted.actor == beheerder


def test_steps_outside_the_table_and_without_the_role_are_refused(
    organisation: Organisation, member_of: Callable[..., User]
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.policy_version_adopt(
            actor=None,
            version=version,
            decision_body=DecisionBody.BOARD,
            decision_date=timezone.localdate(),
            decision_reference="x",
        )
    auditor = member_of(organisation, Role.AUDITOR)
    with pytest.raises(ValidationError, match="role does not allow"):
        services.policy_version_submit(actor=auditor, version=version)
    with pytest.raises(ValidationError, match="Say why"):
        services.policy_version_return(actor=None, version=version, reason=" ")


def test_adoption_needs_a_body_a_past_date_and_a_reference(organisation: Organisation) -> None:
    version = services.policy_version_submit(
        actor=None, version=services.policy_version_start(actor=None, organisation=organisation)
    )
    with pytest.raises(ValidationError) as error:
        services.policy_version_adopt(
            actor=None,
            version=version,
            decision_body="mayor",
            decision_date=timezone.localdate() + datetime.timedelta(days=1),
            decision_reference="",
        )
    assert set(error.value.message_dict) == {"decision_body", "decision_date", "decision_reference"}
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW


def test_an_adopted_version_cannot_change_and_its_hash_holds(organisation: Organisation) -> None:
    version = adopt(services.policy_version_start(actor=None, organisation=organisation))
    block = TextBlock.objects.get(version=version, key="vision.why", language="en")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.text_block_save(
            actor=None, block=block, markdown="Other words", base_revision=block.revision
        )
    block.refresh_from_db()
    assert block.markdown.startswith("We use AI only")
    assert services.content_hash(version) == version.content_hash
    # A change behind the services' back shows in the hash.
    TextBlock.objects.filter(pk=block.pk).update(markdown="Tampered")
    assert services.content_hash(version) != version.content_hash


def test_text_saves_are_locked_optimistically_and_audited(
    organisation: Organisation, beheerder: User
) -> None:
    version = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=version, key="vision.why", language="nl")
    saved = services.text_block_save(
        actor=beheerder, block=block, markdown="Eerste\r\nregel", base_revision=0
    )
    assert (saved.revision, saved.markdown) == (1, "Eerste\nregel")
    with pytest.raises(services.EditConflictError) as conflict:
        services.text_block_save(actor=beheerder, block=block, markdown="Later", base_revision=0)
    assert conflict.value.block.markdown == "Eerste\nregel"
    record = AuditRecord.objects.get(action="policy.text_saved")
    assert record.changes["block"] == "vision.why" and record.changes["markdown"][1] == "Eerste\nregel"


def test_a_new_version_copies_the_texts_of_the_last(organisation: Organisation) -> None:
    first = services.policy_version_start(actor=None, organisation=organisation)
    block = TextBlock.objects.get(version=first, key="vision.why", language="en")
    services.text_block_save(actor=None, block=block, markdown="Our own words.", base_revision=0)
    adopt(first)
    second = services.policy_version_start(actor=None, organisation=organisation)
    copied = TextBlock.objects.get(version=second, key="vision.why", language="en")
    assert (copied.markdown, copied.revision) == ("Our own words.", 0)
    assert TextBlock.objects.filter(version=second).count() == TextBlock.objects.filter(version=first).count()
    document = build_document(second, "en")
    assert document.version_number == 2 and document.status == "Draft"
