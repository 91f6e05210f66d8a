"""The assessment workflow through the services: transitions from the one table, advice by the right role, the
accountable manager's decision, immutability and the content hash, versions, optimistic locking, attachments,
tasks from action points and conditions, re-assessment reminders."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.assessments.factories import decided_dpia, filled, member, pdf_upload
from tests.core.factories import OrganisationFactory
from tests.register.factories import published_algorithm
from verantwoord.assessments import selectors, services
from verantwoord.assessments.models import AdviceOutcome, Answer, Assessment, Decision, State
from verantwoord.assessments.workflow import TRANSITIONS, next_steps
from verantwoord.compliance.models import ComplianceTask
from verantwoord.core.models import AuditRecord, User
from verantwoord.register.models import Algorithm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Messages are matched in English here; the Dutch texts are checked on the pages.
    with translation.override("en"):
        yield


@pytest.fixture
def algorithm() -> Algorithm:
    return published_algorithm(OrganisationFactory(), personal_data=True)


def test_every_transition_in_the_table_names_who_may_take_it() -> None:
    for from_state, steps in TRANSITIONS.items():
        for to_state, step in steps.items():
            assert step.permissions or to_state == State.SUPERSEDED, (from_state, to_state)


def test_start_records_the_template_version_and_refuses_a_second_open_one(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    assert (assessment.template_key, assessment.template_version, assessment.state) == (
        "dpia",
        "2026.1",
        "draft",
    )
    assert AuditRecord.objects.filter(action="assessment.start", object_id=str(assessment.pk)).exists()
    with pytest.raises(ValidationError, match="already has"):
        services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")


def test_submit_needs_every_required_answer(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="ethics")
    with pytest.raises(ValidationError, match="Not answered yet"):
        services.assessment_submit(actor=None, assessment=assessment)
    assessment = filled(algorithm, "dpia")
    services.assessment_submit(actor=None, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).state == State.SUBMITTED


def test_dpia_needs_fg_advice_before_the_decision(algorithm: Algorithm) -> None:
    organisation = algorithm.organisation
    fg, ethics, manager = (
        member(organisation, role) for role in ("privacy_officer", "ethics_member", "algorithm_owner")
    )
    assessment = filled(algorithm, "dpia")
    services.assessment_submit(actor=None, assessment=assessment)
    assert State.DECIDED not in next_steps(assessment)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.assessment_decide(
            actor=manager, assessment=assessment, decision=Decision.APPROVED, note="Ja"
        )
    with pytest.raises(ValidationError, match="given by the"):
        services.assessment_advise(
            actor=ethics, assessment=assessment, outcome=AdviceOutcome.POSITIVE, text="Goed"
        )
    with pytest.raises(ValidationError, match="role does not allow"):
        services.assessment_advise(
            actor=manager, assessment=assessment, outcome=AdviceOutcome.POSITIVE, text="Goed"
        )
    services.assessment_advise(
        actor=fg, assessment=assessment, outcome=AdviceOutcome.POSITIVE, text="Rechtmatig."
    )
    decided = services.assessment_decide(
        actor=manager, assessment=assessment, decision=Decision.APPROVED, note="Akkoord."
    )
    assert decided.state == State.DECIDED and decided.decided_by == manager


def test_pre_scan_is_decided_without_advice(algorithm: Algorithm) -> None:
    prescan = filled(algorithm, "prescan", {"personal_data": "no"})
    services.assessment_submit(actor=None, assessment=prescan)
    assert State.ADVISED not in next_steps(prescan)
    services.assessment_decide(actor=None, assessment=prescan, decision=Decision.APPROVED, note="Klaar.")


def test_only_the_accountable_manager_named_on_the_algorithm_decides(algorithm: Algorithm) -> None:
    organisation = algorithm.organisation
    named, other = member(organisation, "algorithm_owner"), member(organisation, "beheerder")
    Algorithm.objects.filter(pk=algorithm.pk).update(accountable_manager=named)
    algorithm.refresh_from_db()
    prescan = filled(algorithm, "prescan", {"personal_data": "no"})
    services.assessment_submit(actor=None, assessment=prescan)
    with pytest.raises(ValidationError, match="accountable manager"):
        services.assessment_decide(actor=other, assessment=prescan, decision=Decision.APPROVED, note="Ja")
    services.assessment_decide(actor=named, assessment=prescan, decision=Decision.APPROVED, note="Ja")


def test_a_decided_assessment_is_immutable_and_its_hash_is_in_the_audit_trail(algorithm: Algorithm) -> None:
    decided = decided_dpia(algorithm)
    expected = hashlib.sha256(
        json.dumps(
            services.canonical_content(decided), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    ).hexdigest()
    assert decided.content_hash == expected == services.content_hash(decided)
    record = AuditRecord.objects.get(action="assessment.decide", object_id=str(decided.pk))
    assert record.changes["content_hash"] == [None, decided.content_hash]
    assert record.changes["decision"] == [None, "approved"]
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.answer_save(
            actor=None, assessment=decided, question_id="proposal", value="Anders", expected_revision=None
        )
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=None, assessment=decided, question_id="attachments", upload=pdf_upload()
        )


def test_a_change_makes_a_new_version_and_supersedes_the_old_one_when_decided(algorithm: Algorithm) -> None:
    first = decided_dpia(algorithm)
    second = services.assessment_new_version(actor=None, assessment=first)
    assert (second.version, second.previous_id, second.state) == (2, first.pk, State.DRAFT)
    assert selectors.answers_of(assessment=second) == selectors.answers_of(assessment=first)
    assert selectors.approved_assessment(algorithm=algorithm, template_key="dpia") == first
    services.answer_save(
        actor=None, assessment=second, question_id="proposal", value="Nieuw doel", expected_revision=0
    )
    services.assessment_submit(actor=None, assessment=second)
    services.assessment_advise(actor=None, assessment=second, outcome=AdviceOutcome.POSITIVE, text="Goed.")
    services.assessment_decide(actor=None, assessment=second, decision=Decision.APPROVED, note="Akkoord.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.SUPERSEDED
    assert services.canonical_content(second)["previous"] == first.content_hash
    assert second.content_hash != first.content_hash
    with pytest.raises(ValidationError, match="Only a decided"):
        services.assessment_new_version(actor=None, assessment=first)


def test_a_newer_rejection_replaces_an_approval(algorithm: Algorithm) -> None:
    first = decided_dpia(algorithm)
    second = services.assessment_new_version(actor=None, assessment=first)
    services.assessment_submit(actor=None, assessment=second)
    services.assessment_advise(
        actor=None, assessment=second, outcome=AdviceOutcome.NEGATIVE, text="Niet doen."
    )
    services.assessment_decide(actor=None, assessment=second, decision=Decision.REJECTED, note="Afgewezen.")
    assert selectors.approved_assessment(algorithm=algorithm, template_key="dpia") is None


def test_returned_for_changes_from_a_review_step_with_a_reason(algorithm: Algorithm) -> None:
    assessment = filled(algorithm, "dpia")
    services.assessment_submit(actor=None, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_return(actor=None, assessment=assessment, reason=" ")
    services.assessment_return(actor=None, assessment=assessment, reason="Bewaartermijnen ontbreken.")
    assessment.refresh_from_db()
    assert assessment.state == State.RETURNED and assessment.return_reason == "Bewaartermijnen ontbreken."
    services.answer_save(
        actor=None, assessment=assessment, question_id="retention", value="7 jaar", expected_revision=None
    )
    services.assessment_submit(actor=None, assessment=assessment)


def test_a_stop_point_prevents_approval_but_not_rejection(algorithm: Algorithm) -> None:
    assessment = filled(algorithm, "iama", {"legal_basis": "no"})
    services.assessment_submit(actor=None, assessment=assessment)
    with pytest.raises(ValidationError, match="without a legal basis"):
        services.assessment_decide(actor=None, assessment=assessment, decision=Decision.APPROVED, note="Toch")
    services.assessment_decide(
        actor=None, assessment=assessment, decision=Decision.REJECTED, note="Geen grondslag."
    )


def test_optimistic_locking_refuses_a_silent_overwrite(algorithm: Algorithm) -> None:
    organisation = algorithm.organisation
    anna, bert = member(organisation, "algorithm_owner"), member(organisation, "privacy_officer")
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    first = services.answer_save(
        actor=anna, assessment=assessment, question_id="proposal", value="Versie Anna", expected_revision=0
    )
    assert first.revision == 1
    with pytest.raises(services.EditConflictError) as conflict:
        services.answer_save(
            actor=bert,
            assessment=assessment,
            question_id="proposal",
            value="Versie Bert",
            expected_revision=0,
        )
    assert conflict.value.answer.value == "Versie Anna" and conflict.value.answer.updated_by == anna
    assert selectors.answers_of(assessment=assessment)["proposal"] == "Versie Anna"
    # Saving the same text again is no conflict; saving from the current revision wins.
    services.answer_save(
        actor=bert, assessment=assessment, question_id="proposal", value="Versie Anna", expected_revision=0
    )
    services.answer_save(
        actor=bert, assessment=assessment, question_id="proposal", value="Versie Bert", expected_revision=1
    )
    assert selectors.answers_of(assessment=assessment)["proposal"] == "Versie Bert"


def test_replacing_ones_own_save_is_no_conflict_but_replacing_someone_elses_is(algorithm: Algorithm) -> None:
    organisation = algorithm.organisation
    anna, bert = member(organisation, "algorithm_owner"), member(organisation, "privacy_officer")
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")

    def save(actor: User, value: str, revision: int, *, replaces_own: bool = False) -> Answer:
        return services.answer_save(
            actor=actor,
            assessment=assessment,
            question_id="proposal",
            value=value,
            expected_revision=revision,
            replaces_own=replaces_own,
        )

    save(anna, "Eerste", 0)
    with pytest.raises(services.EditConflictError):  # an autosave keeps the strict check
        save(anna, "Oud", 0)
    saved = save(anna, "Tweede", 0, replaces_own=True)
    assert saved.revision == 2 and selectors.answers_of(assessment=assessment)["proposal"] == "Tweede"
    with pytest.raises(services.EditConflictError):
        save(bert, "Van Bert", 1, replaces_own=True)
    assert selectors.answers_of(assessment=assessment)["proposal"] == "Tweede"


def test_attachments_are_checked_by_their_bytes_and_limits(algorithm: Algorithm) -> None:
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key="dpia")
    stored = services.attachment_add(
        actor=None, assessment=assessment, question_id="attachments", upload=pdf_upload()
    )
    assert (
        stored.content_type == "application/pdf"
        and stored.sha256 == hashlib.sha256(stored.file.read()).hexdigest()
    )
    assert "assessments/" in stored.file.name and not stored.file.name.startswith("static")
    with pytest.raises(ValidationError, match="not allowed"):
        services.attachment_add(
            actor=None,
            assessment=assessment,
            question_id="attachments",
            upload=pdf_upload("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        )
    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(
            actor=None,
            assessment=assessment,
            question_id="attachments",
            upload=pdf_upload("groot.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024)),
        )
    with pytest.raises(ValidationError, match="takes no files"):
        services.attachment_add(
            actor=None, assessment=assessment, question_id="proposal", upload=pdf_upload()
        )


def test_action_points_and_conditions_become_tasks_with_owners_and_due_dates(algorithm: Algorithm) -> None:
    organisation = algorithm.organisation
    owner = member(organisation, "ciso")
    assessment = filled(
        algorithm,
        "dpia",
        {
            "processor_agreement": "no",
            "measures": [{"title": "Versleutel de back-ups", "due_date": "2027-02-01"}],
        },
    )
    services.assessment_submit(actor=None, assessment=assessment)
    titles = set(ComplianceTask.objects.filter(algorithm=algorithm).values_list("title", flat=True))
    assert {"Versleutel de back-ups", "Conclude processing agreements with all processors"} <= titles
    services.assessment_advise(
        actor=None,
        assessment=assessment,
        outcome=AdviceOutcome.POSITIVE_WITH_CONDITIONS,
        text="Onder voorwaarden.",
        conditions=[{"text": "Beperk de toegang tot het team", "owner": owner.pk, "due_date": "2026-12-01"}],
    )
    services.assessment_decide(
        actor=None,
        assessment=assessment,
        decision=Decision.APPROVED_WITH_CONDITIONS,
        note="Akkoord met voorwaarden.",
        conditions=[{"text": "Evalueer na een jaar", "owner": owner.pk, "due_date": "2027-06-30"}],
    )
    condition_tasks = ComplianceTask.objects.filter(algorithm=algorithm, source_key__startswith="condition:")
    assert {(task.title, task.owner_id, task.due_date) for task in condition_tasks} == {
        ("Beperk de toegang tot het team", owner.pk, datetime.date(2026, 12, 1)),
        ("Evalueer na een jaar", owner.pk, datetime.date(2027, 6, 30)),
    }
    with pytest.raises(ValidationError, match="at least one condition"):
        other = filled(published_algorithm(organisation, name="Ander"), "prescan", {"personal_data": "no"})
        services.assessment_submit(actor=None, assessment=other)
        services.assessment_decide(
            actor=None, assessment=other, decision=Decision.APPROVED_WITH_CONDITIONS, note="x"
        )


def test_re_assessment_reminder_makes_a_task_once(algorithm: Algorithm) -> None:
    decided = decided_dpia(algorithm)
    assert decided.review_date is not None and decided.review_date > datetime.date.today()
    assert services.review_reminders(today=decided.review_date - datetime.timedelta(days=1)).reminded == 0
    assert services.review_reminders(today=decided.review_date).reminded == 1
    assert services.review_reminders(today=decided.review_date).reminded == 0
    task = ComplianceTask.objects.get(algorithm=algorithm, source_key__startswith="review:")
    assert task.due_date == decided.review_date
