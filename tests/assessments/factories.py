"""Helpers for assessment tests: members in roles, filled-in assessments, and the objects the permission matrix
needs (a decided DPIA with a published summary, and its new draft version with an attachment)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.factories import MembershipFactory, UserFactory
from verantwoord.assessments import services
from verantwoord.assessments.demo import complete_for_demo
from verantwoord.assessments.models import AdviceOutcome, Assessment, Decision
from verantwoord.core.models import Organisation, User
from verantwoord.register.models import Algorithm

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member(organisation: Organisation, role: str, **user: Any) -> User:
    person = UserFactory(**user)
    MembershipFactory(user=person, organisation=organisation, role=role)
    return person


def filled(algorithm: Algorithm, template_key: str, answers: dict[str, Any] | None = None) -> Assessment:
    """A started assessment with every required question answered (by the system actor)."""
    assessment = services.assessment_start(actor=None, algorithm=algorithm, template_key=template_key)
    complete_for_demo(assessment, None, answers or {})
    return assessment


def decided_dpia(algorithm: Algorithm, decision: str = Decision.APPROVED, **answers: Any) -> Assessment:
    assessment = filled(algorithm, "dpia", {"legal_ground": "public_task", **answers})
    services.assessment_submit(actor=None, assessment=assessment)
    services.assessment_advise(
        actor=None, assessment=assessment, outcome=AdviceOutcome.POSITIVE, text="Akkoord."
    )
    return services.assessment_decide(actor=None, assessment=assessment, decision=decision, note="Besloten.")


def pdf_upload(name: str = "bijlage.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def matrix_objects(algorithm: Algorithm) -> dict[str, Any]:
    """URL values for the permission matrix: `summary_id` a decided DPIA with a published summary, and
    `assessment_id` its new draft version with an attachment."""
    decided = decided_dpia(algorithm)
    services.summary_publish(actor=None, assessment=decided, summary="Samenvatting voor inwoners.")
    draft = services.assessment_new_version(actor=None, assessment=decided)
    attachment = services.attachment_add(
        actor=None, assessment=draft, question_id="attachments", upload=pdf_upload()
    )
    return {
        "assessment_id": draft.pk,
        "summary_id": decided.pk,
        "attachment_id": attachment.pk,
        "section_id": "a1",
        "question_id": "proposal",
    }
