"""Demo: the annual reviews of Gemeente Voorbeeldstad — the AI policy reviewed last year (the next review is
coming up), two algorithm reviews with planned changes, and the chatbot's review overdue.

Runs after the register's loader; idempotent (an organisation with reviews is left alone)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from verantwoord.core.models import Organisation, User
from verantwoord.register.models import Algorithm
from verantwoord.reviews import services
from verantwoord.reviews.models import Review
from verantwoord.reviews.selectors import add_months

REASON = "Demo data"


def _record(
    *,
    organisation: Organisation,
    algorithm: Algorithm | None,
    review_date: datetime.date,
    next_review_date: datetime.date,
    reviewers: list[User],
    findings: str,
    decisions: str,
    planned_changes: list[services.PlannedChangeSpec],
    planned_changes_text: str = "",
) -> Review:
    review = services.review_create(
        actor=None,
        organisation=organisation,
        algorithm=algorithm,
        review_date=review_date,
        reviewers=reviewers,
        findings=findings,
        decisions=decisions,
        planned_changes_text=planned_changes_text,
        planned_changes=planned_changes,
        next_review_date=next_review_date,
        reason=REASON,
    )
    review = services.review_record(actor=None, review=review, reason=REASON)
    return review


def load_demo_reviews(organisation: Organisation, users: dict[str, User]) -> dict[str, Any]:
    if Review.objects.filter(organisation=organisation).exists():
        return {"created": 0}
    today = timezone.localdate()
    team = [user for key in ("beheerder", "eigenaar", "fg") if (user := users.get(key)) is not None]
    owner, beheerder = users.get("eigenaar"), users.get("beheerder")
    created = 0
    # Reviewed a year ago less three weeks: the next policy review is due soon.
    policy_date = add_months(today + datetime.timedelta(days=20), -12)
    _record(
        organisation=organisation,
        algorithm=None,
        review_date=policy_date,
        next_review_date=add_months(policy_date, 12),
        reviewers=team,
        findings=(
            "Het AI-beleid is in 2025 vastgesteld en wordt gevolgd. Het algoritmeregister is bijgewerkt; twee "
            "algoritmen misten nog een DPIA. Medewerkers kennen het beleid nog onvoldoende."
        ),
        decisions="Het beleid blijft van kracht. De gemeenteraad krijgt jaarlijks een verslag van deze evaluatie.",
        planned_changes_text=(
            "- Training AI-geletterdheid voor alle medewerkers die met algoritmen werken.\n"
            "- Een inloopavond voor inwoners over het algoritmeregister."
        ),
        planned_changes=[
            services.PlannedChangeSpec("Verslag van de evaluatie naar de gemeenteraad", beheerder, today),
        ],
    )
    created += 1
    plans: list[tuple[str, int, str, str, list[services.PlannedChangeSpec]]] = [
        (
            "VBS-001",
            -3,
            "De verkeerslichten verkorten de wachttijd voor fietsers zoals bedoeld. Geen klachten van inwoners.",
            "Het algoritme blijft in gebruik.",
            [],
        ),
        (
            "VBS-008",
            -2,
            "De WOZ-berekening werkt goed, maar de uitleg op de beschikking is voor inwoners lastig te lezen.",
            "De uitleg wordt herschreven op taalniveau B1.",
            [
                services.PlannedChangeSpec(
                    "Uitleg WOZ-beschikking herschrijven op B1-niveau", owner, add_months(today, 2)
                )
            ],
        ),
        (
            "VBS-003",
            -13,
            "De chatbot geeft op de meeste vragen een goed antwoord; bij vragen over schulden verwijst hij nog "
            "niet altijd door naar een medewerker.",
            "Doorverwijzing bij schuldvragen verbeteren en over een jaar opnieuw evalueren.",
            [
                services.PlannedChangeSpec(
                    "Doorverwijzing naar een medewerker bij schuldvragen", owner, add_months(today, -10)
                )
            ],
        ),
    ]
    for source_id, months_ago, findings, decisions, changes in plans:
        algorithm = Algorithm.objects.filter(organisation=organisation, source_id=source_id).first()
        if algorithm is None:
            continue
        review_date = add_months(today, months_ago)
        _record(
            organisation=organisation,
            algorithm=algorithm,
            review_date=review_date,
            next_review_date=add_months(review_date, 12),
            reviewers=team,
            findings=findings,
            decisions=decisions,
            planned_changes=changes,
        )
        created += 1
    return {"created": created}
