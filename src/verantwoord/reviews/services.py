"""Writes of the annual review: the organisation's cycle, reviews (draft → recorded) and their planned changes,
and the reminders. Every write is audited in the same transaction; a recorded review never changes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from verantwoord.compliance import services as compliance_services
from verantwoord.core.audit import audit_record, field_changes, snapshot
from verantwoord.core.models import Membership, Organisation, User
from verantwoord.core.roles import Role
from verantwoord.core.selectors import user_roles
from verantwoord.register import services as register_services
from verantwoord.register.models import Algorithm
from verantwoord.reviews import selectors
from verantwoord.reviews.models import (
    PlannedChange,
    ReminderKind,
    Review,
    ReviewCycle,
    ReviewReminder,
    ReviewStatus,
)

REVIEW_AUDITED_FIELDS = (
    "algorithm",
    "review_date",
    "findings",
    "decisions",
    "planned_changes_text",
    "next_review_date",
    "status",
)
CYCLE_AUDITED_FIELDS = ("next_policy_review_date", "interval_months", "reminder_days")
TASK_SOURCE_PREFIX = "review:"


@dataclass(frozen=True)
class PlannedChangeSpec:
    description: str
    owner: User | None = None
    due_date: datetime.date | None = None


def may_record(*, user: User | None, organisation: Organisation, algorithm: Algorithm | None) -> bool:
    """The beheerder records any review; an algorithm owner only the review of an algorithm they own.
    `user=None` is the system (demo, import)."""
    if user is None or user.is_superuser:
        return True
    roles = user_roles(user=user, organisation=organisation)  # cached per request: no query per algorithm
    if Role.BEHEERDER in roles:
        return True
    return algorithm is not None and Role.ALGORITHM_OWNER in roles and algorithm.owner_id == user.pk


def _require_may_record(actor: User | None, organisation: Organisation, algorithm: Algorithm | None) -> None:
    if not may_record(user=actor, organisation=organisation, algorithm=algorithm):
        raise ValidationError(
            _("Only the beheerder records this review.")
            if algorithm is None
            else _("Only the beheerder or the owner of %(algorithm)s records its review.")
            % {"algorithm": algorithm.name}
        )


@transaction.atomic
def cycle_update(
    *,
    actor: User | None,
    organisation: Organisation,
    next_policy_review_date: datetime.date | None,
    interval_months: int,
    reminder_days: int,
    reason: str = "",
) -> ReviewCycle:
    if not 1 <= interval_months <= 36:
        raise ValidationError({"interval_months": _("Choose between 1 and 36 months.")})
    if not 0 <= reminder_days <= 365:
        raise ValidationError({"reminder_days": _("Choose between 0 and 365 days.")})
    cycle, _created = ReviewCycle.objects.select_for_update().get_or_create(organisation=organisation)
    before = {} if _created else snapshot(cycle, CYCLE_AUDITED_FIELDS)
    cycle.next_policy_review_date = next_policy_review_date
    cycle.interval_months = interval_months
    cycle.reminder_days = reminder_days
    cycle.save()
    changes = field_changes(before, snapshot(cycle, CYCLE_AUDITED_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="review.cycle_update",
            instance=cycle,
            organisation=organisation,
            changes=changes,
            reason=reason,
        )
    return cycle


def _check_members(organisation: Organisation, users: Sequence[User], field_name: str) -> None:
    member_ids = set(Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    if any(user.pk not in member_ids for user in users):
        raise ValidationError({field_name: _("Everyone named must have a role in this organisation.")})


def _validate(
    review: Review, reviewers: Sequence[User], planned_changes: Sequence[PlannedChangeSpec]
) -> None:
    errors: dict[str, str] = {}
    if review.next_review_date <= review.review_date:
        errors["next_review_date"] = _("The next review comes after this one.")
    if review.algorithm is not None and review.algorithm.organisation_id != review.organisation_id:
        errors["algorithm"] = _("This algorithm is not in this organisation's register.")
    if errors:
        raise ValidationError(errors)
    _check_members(review.organisation, reviewers, "reviewers")
    _check_members(
        review.organisation, [change.owner for change in planned_changes if change.owner], "planned_changes"
    )
    for change in planned_changes:
        if not change.description.strip():
            raise ValidationError({"planned_changes": _("Describe each planned change.")})


def _replace_changes(review: Review, planned_changes: Sequence[PlannedChangeSpec]) -> None:
    PlannedChange.objects.filter(review=review).delete()
    PlannedChange.objects.bulk_create(
        PlannedChange(
            review=review,
            position=position,
            description=change.description.strip()[:300],
            owner=change.owner,
            due_date=change.due_date,
        )
        for position, change in enumerate(planned_changes)
    )


def _full_snapshot(review: Review) -> dict[str, Any]:
    return snapshot(review, REVIEW_AUDITED_FIELDS) | {
        "reviewers": sorted(review.reviewers.values_list("pk", flat=True)),
        "planned_changes": [
            [change.description, change.owner_id, change.due_date.isoformat() if change.due_date else None]
            for change in PlannedChange.objects.filter(review=review)
        ],
    }


@transaction.atomic
def review_create(
    *,
    actor: User | None,
    organisation: Organisation,
    algorithm: Algorithm | None,
    review_date: datetime.date,
    reviewers: Sequence[User] = (),
    findings: str = "",
    decisions: str = "",
    planned_changes_text: str = "",
    planned_changes: Sequence[PlannedChangeSpec] = (),
    next_review_date: datetime.date | None = None,
    reason: str = "",
) -> Review:
    """A draft review. The next review date defaults to the cycle's interval (12 months) after this one."""
    _require_may_record(actor, organisation, algorithm)
    cycle = selectors.cycle_of(organisation=organisation)
    review = Review(
        organisation=organisation,
        algorithm=algorithm,
        review_date=review_date,
        findings=findings,
        decisions=decisions,
        planned_changes_text=planned_changes_text,
        next_review_date=next_review_date or selectors.add_months(review_date, cycle.interval_months),
        created_by=actor,
    )
    _validate(review, reviewers, planned_changes)
    review.save()
    review.reviewers.set(reviewers)
    _replace_changes(review, planned_changes)
    audit_record(
        actor=actor,
        action="review.create",
        instance=review,
        organisation=organisation,
        changes=field_changes({}, _full_snapshot(review)),
        reason=reason,
    )
    return review


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("organisation", "algorithm")
        .get(pk=review.pk)
    )


def _require_draft(review: Review) -> None:
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(_("A recorded review cannot change. Record a new review instead."))


@transaction.atomic
def review_update(
    *,
    actor: User | None,
    review: Review,
    review_date: datetime.date,
    reviewers: Sequence[User],
    findings: str,
    decisions: str,
    planned_changes_text: str,
    planned_changes: Sequence[PlannedChangeSpec],
    next_review_date: datetime.date,
    reason: str = "",
) -> Review:
    review = _locked(review)
    _require_draft(review)
    _require_may_record(actor, review.organisation, review.algorithm)
    before = _full_snapshot(review)
    review.review_date = review_date
    review.findings, review.decisions = findings, decisions
    review.planned_changes_text = planned_changes_text
    review.next_review_date = next_review_date
    _validate(review, reviewers, planned_changes)
    review.save()
    review.reviewers.set(reviewers)
    _replace_changes(review, planned_changes)
    changes = field_changes(before, _full_snapshot(review))
    if changes:
        audit_record(
            actor=actor,
            action="review.update",
            instance=review,
            organisation=review.organisation,
            changes=changes,
            reason=reason,
        )
    return review


@transaction.atomic
def review_record(*, actor: User | None, review: Review, reason: str = "") -> Review:
    """Record a draft review: from now on it cannot change. Sets the next review date (on the algorithm through
    the register, or on the organisation's cycle) and turns the planned changes of an algorithm review into
    compliance tasks for their owners."""
    review = _locked(review)
    _require_draft(review)
    _require_may_record(actor, review.organisation, review.algorithm)
    if not (review.findings.strip() or review.decisions.strip()):
        raise ValidationError(_("Write down the findings or the decisions before recording the review."))
    review.status = ReviewStatus.RECORDED
    review.recorded_by = actor
    review.recorded_at = timezone.now()
    review.save(update_fields=["status", "recorded_by", "recorded_at", "updated_at"])
    audit_record(
        actor=actor,
        action="review.record",
        instance=review,
        organisation=review.organisation,
        changes={"status": [ReviewStatus.DRAFT.value, ReviewStatus.RECORDED.value]},
        reason=reason,
    )
    note = _("Annual review of %(date)s") % {"date": review.review_date.isoformat()}
    if review.algorithm is None:
        cycle = selectors.cycle_of(organisation=review.organisation)
        cycle_update(
            actor=actor,
            organisation=review.organisation,
            next_policy_review_date=review.next_review_date,
            interval_months=cycle.interval_months,
            reminder_days=cycle.reminder_days,
            reason=note,
        )
        return review
    register_services.algorithm_update(
        actor=actor,
        algorithm=review.algorithm,
        data={"next_review_date": review.next_review_date},
        reason=note,
    )
    _tasks_for(actor=actor, review=review, reason=note)
    return review


def _tasks_for(*, actor: User | None, review: Review, reason: str) -> None:
    if review.algorithm is None:  # a compliance task belongs to an algorithm; policy changes stay a list
        return
    changes = list(PlannedChange.objects.filter(review=review))
    if not changes:
        return
    explanation = _("Planned change from the annual review of %(date)s.") % {
        "date": review.review_date.isoformat()
    }
    result = compliance_services.tasks_sync(
        actor=actor,
        algorithm=review.algorithm,
        source=f"{TASK_SOURCE_PREFIX}{review.pk}",
        wanted=[
            compliance_services.TaskSpec(
                key=f"change:{change.pk}",
                title=change.description,
                explanation=explanation,
                due_date=change.due_date,
            )
            for change in changes
        ],
        close_reason=_("No longer a planned change of the review."),
        reason=reason,
    )
    by_key = {task.source_key: task for task in result.created}
    for change in changes:
        task = by_key.get(f"change:{change.pk}")
        if task is None:
            continue
        if change.owner is not None and change.owner_id != task.owner_id:
            task = compliance_services.task_update(
                actor=actor, task=task, data={"owner": change.owner}, reason=reason
            )
        change.task = task
        change.save(update_fields=["task"])


# --- Reminders ---


@dataclass
class ReminderRun:
    sent: list[ReviewReminder] = field(default_factory=list)


def _recipients(item: selectors.DueReview) -> list[str]:
    """The algorithm's owner (for an algorithm review) and the AI team: the organisation's beheerders."""
    addresses: list[str] = []
    if item.algorithm is not None and item.algorithm.owner is not None and item.algorithm.owner.email:
        addresses.append(item.algorithm.owner.email)
    beheerders = User.objects.filter(
        memberships__organisation=item.organisation, memberships__role=Role.BEHEERDER, is_active=True
    ).exclude(email="")
    addresses.extend(beheerders.order_by("email").values_list("email", flat=True))
    return list(dict.fromkeys(address.lower() for address in addresses))


def _send(item: selectors.DueReview, kind: str, recipients: list[str], base_url: str) -> None:
    with translation.override("nl"):
        link = base_url.rstrip("/") + reverse("reviews:overview", kwargs={"slug": item.organisation.slug})
        what = (
            _("the annual review of the AI policy of %(organisation)s") % {"organisation": item.organisation}
            if item.algorithm is None
            else _("the annual review of %(algorithm)s") % {"algorithm": item.algorithm.name}
        )
        if kind == ReminderKind.OVERDUE:
            subject = _("Overdue: %(what)s") % {"what": what}
            opening = _("The date for %(what)s has passed (%(date)s).")
        else:
            subject = _("Coming up: %(what)s") % {"what": what}
            opening = _("The date for %(what)s is coming up (%(date)s).")
        send_mail(
            subject=subject[:200],
            message=(opening % {"what": what, "date": date_format(item.due_date, "DATE_FORMAT")})
            + "\n\n"
            + _(
                "Look back with the people involved: does it still work as intended, are the risks under control, "
                "what needs to change? Record the review in Verantwoord:\n\n%(link)s\n"
            )
            % {"link": link},
            from_email=None,
            recipient_list=recipients,
        )


def review_reminders(*, today: datetime.date | None = None, base_url: str | None = None) -> ReminderRun:
    """The periodic job: a mail N days ahead of each review date (the cycle's reminder days) and one once it has
    passed, each at most once per due date. What was sent is stored and audited, so a rerun sends nothing.
    Links in the mail start with ``base_url`` (default: the PUBLIC_URL setting)."""
    today = today or timezone.localdate()
    base_url = settings.PUBLIC_URL if base_url is None else base_url
    run = ReminderRun()
    for organisation in selectors.organisations_with_cycles():
        for item in selectors.reviews_due(organisation=organisation, today=today):
            kind = ReminderKind.OVERDUE if item.overdue else ReminderKind.AHEAD
            if ReviewReminder.objects.filter(
                organisation=organisation, subject=item.subject, due_date=item.due_date, kind=kind
            ).exists():
                continue
            recipients = _recipients(item)
            try:
                # The mail goes out inside the transaction: if it fails, the reminder is not stored and the next
                # run tries again (a reminder lost would be worse than one sent twice).
                with transaction.atomic():
                    reminder = ReviewReminder.objects.create(
                        organisation=organisation,
                        subject=item.subject,
                        due_date=item.due_date,
                        kind=kind,
                        recipients=recipients,
                    )
                    audit_record(
                        actor=None,
                        action="review.reminder",
                        instance=reminder,
                        organisation=organisation,
                        changes={
                            "subject": [None, item.subject],
                            "due_date": [None, item.due_date.isoformat()],
                            "kind": [None, kind.value],
                            "recipients": [None, recipients],
                        },
                    )
                    if recipients:
                        _send(item, kind, recipients, base_url)
            except IntegrityError:
                continue  # another worker stored (and sent) it first
            run.sent.append(reminder)
    return run
