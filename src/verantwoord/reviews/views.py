"""Staff pages of the annual review under /beheer/<slug>/jaarlijkse-evaluatie: overview (overdue, due soon,
recent), record a review (of the AI policy or of one algorithm), a review's page (record a draft), edit a draft,
and the organisation's cycle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verantwoord.core.access import OrganisationView, acting_user
from verantwoord.core.forms import add_service_errors
from verantwoord.core.models import User
from verantwoord.core.permission_matrix import Endpoint
from verantwoord.core.permissions import Permission
from verantwoord.core.submission import submit
from verantwoord.register.models import Algorithm
from verantwoord.reviews import selectors, services
from verantwoord.reviews.forms import CycleForm, PlannedChangeFormSet, ReviewForm
from verantwoord.reviews.models import Review, ReviewStatus

RECENT = 10


class ReviewsView(OrganisationView):
    permission = Permission.VIEW_REVIEWS

    def page(self, template: str, **context: Any) -> HttpResponse:
        return render(self.request, template, self.base_context(**context))

    def members(self) -> list[User]:
        return selectors.people_of(organisation=self.organisation)

    def recordable_algorithms(self) -> list[Algorithm]:
        """The algorithms whose review this user may record: all for the beheerder, their own for an owner."""
        user = acting_user(self.request)
        return [
            algorithm
            for algorithm in selectors.active_algorithms(organisation=self.organisation)
            if services.may_record(user=user, organisation=self.organisation, algorithm=algorithm)
        ]

    def get_review(self, review_id: int) -> Review:
        review = selectors.review_of_organisation(organisation=self.organisation, review_id=review_id)
        if review is None:
            raise Http404
        return review


class OverviewView(ReviewsView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        today = timezone.localdate()
        due = selectors.reviews_due(organisation=self.organisation, today=today)
        return self.page(
            "reviews/overview.html",
            today=today,
            cycle=selectors.cycle_of(organisation=self.organisation),
            next_policy_review_date=selectors.next_policy_review_date(organisation=self.organisation),
            last_policy_review=selectors.last_policy_review(organisation=self.organisation),
            overdue=[item for item in due if item.overdue],
            due_soon=[item for item in due if not item.overdue],
            recent=list(selectors.reviews_of_organisation(organisation=self.organisation)[:RECENT]),
        )


class ReviewFormView(ReviewsView):
    """Record a new review (GET ?algorithm=<id> preselects one) or edit a draft (`review_id`)."""

    permission = Permission.RECORD_REVIEWS
    write_permission = Permission.RECORD_REVIEWS

    def forms(self, data: Any = None, review: Review | None = None) -> tuple[ReviewForm, Any]:
        user = acting_user(self.request)
        algorithms = self.recordable_algorithms()
        members = self.members()
        initial: dict[str, Any] = {"review_date": timezone.localdate()}
        changes_initial: list[dict[str, Any]] = []
        if review is not None:
            initial = {
                "subject": str(review.algorithm_id or ""),
                "review_date": review.review_date,
                "reviewers": list(review.reviewers.all()),
                "findings": review.findings,
                "decisions": review.decisions,
                "planned_changes_text": review.planned_changes_text,
                "next_review_date": review.next_review_date,
            }
            changes_initial = [
                {"description": change.description, "owner": change.owner, "due_date": change.due_date}
                for change in review.planned_changes.all()
            ]
        elif self.request.GET.get("algorithm"):
            initial["subject"] = self.request.GET["algorithm"]
        form = ReviewForm(
            data,
            initial=initial,
            organisation=self.organisation,
            algorithms=algorithms,
            members=members,
            allow_policy=services.may_record(user=user, organisation=self.organisation, algorithm=None),
            interval_months=selectors.cycle_of(organisation=self.organisation).interval_months,
            fixed_subject=review is not None,
        )
        formset = PlannedChangeFormSet(
            data, initial=changes_initial, prefix="change", form_kwargs={"members": members}
        )
        return form, formset

    def render_form(self, form: ReviewForm, formset: Any, review: Review | None) -> HttpResponse:
        return self.page("reviews/record.html", form=form, formset=formset, review=review)

    def get(self, request: HttpRequest, slug: str, review_id: int | None = None) -> HttpResponse:
        review = self.get_review(review_id) if review_id is not None else None
        if review is not None and review.status != ReviewStatus.DRAFT:
            return HttpResponseRedirect(self.detail_url(review))
        form, formset = self.forms(review=review)
        return self.render_form(form, formset, review)

    def detail_url(self, review: Review) -> str:
        return reverse("reviews:detail", kwargs={"slug": self.organisation.slug, "review_id": review.pk})

    def post(self, request: HttpRequest, slug: str, review_id: int | None = None) -> HttpResponse:
        review = self.get_review(review_id) if review_id is not None else None
        form, formset = self.forms(request.POST, review=review)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(form, formset, review)
        if (
            not form.cleaned_data.get("subject")
            and not services.may_record(
                user=acting_user(request), organisation=self.organisation, algorithm=None
            )
            and review is None
        ):
            form.add_error("subject", _("Choose an algorithm you own."))
            return self.render_form(form, formset, review)
        changes = [
            services.PlannedChangeSpec(row["description"], row.get("owner"), row.get("due_date"))
            for row in formset.cleaned_data
            if row and (row.get("description") or "").strip()
        ]
        data = form.cleaned_data
        actor = acting_user(request)
        try:
            if review is None:
                review = services.review_create(
                    actor=actor,
                    organisation=self.organisation,
                    algorithm=form.chosen_algorithm(),
                    review_date=data["review_date"],
                    reviewers=list(data["reviewers"]),
                    findings=data["findings"],
                    decisions=data["decisions"],
                    planned_changes_text=data["planned_changes_text"],
                    planned_changes=changes,
                    next_review_date=data["next_review_date"],
                )
            else:
                cycle = selectors.cycle_of(organisation=self.organisation)
                review = services.review_update(
                    actor=actor,
                    review=review,
                    review_date=data["review_date"],
                    reviewers=list(data["reviewers"]),
                    findings=data["findings"],
                    decisions=data["decisions"],
                    planned_changes_text=data["planned_changes_text"],
                    planned_changes=changes,
                    next_review_date=data["next_review_date"]
                    or selectors.add_months(data["review_date"], cycle.interval_months),
                )
            if "record" in request.POST:
                review = services.review_record(actor=actor, review=review)
                messages.success(request, _("The review is recorded."))
            else:
                messages.success(request, _("The draft is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, formset, review)
        return HttpResponseRedirect(self.detail_url(review))


class DetailView(ReviewsView):
    write_permission = Permission.RECORD_REVIEWS

    def get(self, request: HttpRequest, slug: str, review_id: int) -> HttpResponse:
        review = self.get_review(review_id)
        return self.page(
            "reviews/detail.html",
            review=review,
            can_record=services.may_record(
                user=acting_user(request), organisation=self.organisation, algorithm=review.algorithm
            ),
        )

    def post(self, request: HttpRequest, slug: str, review_id: int) -> HttpResponse:
        """Record the draft as it stands."""
        review = self.get_review(review_id)
        try:
            services.review_record(actor=acting_user(request), review=review)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The review is recorded."))
        return HttpResponseRedirect(
            reverse("reviews:detail", kwargs={"slug": self.organisation.slug, "review_id": review.pk})
        )


class CycleView(ReviewsView):
    permission = Permission.CHANGE_ORGANISATION
    write_permission = Permission.CHANGE_ORGANISATION

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        cycle = selectors.cycle_of(organisation=self.organisation)
        form = CycleForm(
            initial={
                "next_policy_review_date": cycle.next_policy_review_date,
                "interval_months": cycle.interval_months,
                "reminder_days": cycle.reminder_days,
            }
        )
        return self.page("reviews/cycle.html", form=form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = CycleForm(request.POST)
        return submit(
            request,
            form,
            lambda data: services.cycle_update(
                actor=acting_user(request),
                organisation=self.organisation,
                next_policy_review_date=data["next_policy_review_date"],
                interval_months=data["interval_months"],
                reminder_days=data["reminder_days"],
            ),
            done=_("The review cycle is saved."),
            then=reverse("reviews:overview", kwargs={"slug": self.organisation.slug}),
            otherwise=lambda: self.page("reviews/cycle.html", form=form),
        )


REVIEW = ("slug", "review_id")
STAFF_ENDPOINTS: list[Endpoint] = [
    Endpoint("Annual review", "page", "GET", "reviews:overview", Permission.VIEW_REVIEWS),
    Endpoint("Record a review (form)", "page", "GET", "reviews:record", Permission.RECORD_REVIEWS),
    Endpoint("Record a review", "page", "POST", "reviews:record", Permission.RECORD_REVIEWS),
    Endpoint("Review", "page", "GET", "reviews:detail", Permission.VIEW_REVIEWS, REVIEW),
    Endpoint("Record a draft review", "page", "POST", "reviews:detail", Permission.RECORD_REVIEWS, REVIEW),
    Endpoint("Edit a draft review (form)", "page", "GET", "reviews:edit", Permission.RECORD_REVIEWS, REVIEW),
    Endpoint("Edit a draft review", "page", "POST", "reviews:edit", Permission.RECORD_REVIEWS, REVIEW),
    Endpoint("Review cycle (form)", "page", "GET", "reviews:cycle", Permission.CHANGE_ORGANISATION),
    Endpoint("Review cycle", "page", "POST", "reviews:cycle", Permission.CHANGE_ORGANISATION),
]
