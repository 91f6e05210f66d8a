"""Forms of the annual review: a review with its planned changes, and the organisation's cycle."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation, User
from verantwoord.register.models import Algorithm
from verantwoord.reviews.models import DEFAULT_INTERVAL_MONTHS, DEFAULT_REMINDER_DAYS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
POLICY_CHOICE = ""


class ReviewForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("What is reviewed"), required=False, help_text=_("The AI policy, or one algorithm.")
    )
    review_date = forms.DateField(label=_("Review date"), widget=DATE_WIDGET)
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What did you see? Does it work as intended, are the risks under control? Markdown allowed."
        ),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown allowed."),
    )
    planned_changes_text = forms.CharField(
        label=_("Planned changes (text)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Changes in words. Add changes with an owner and a due date below to make tasks of them."
        ),
    )
    next_review_date = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DATE_WIDGET,
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        algorithms: list[Algorithm],
        members: list[User],
        allow_policy: bool,
        interval_months: int = DEFAULT_INTERVAL_MONTHS,
        fixed_subject: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_review_date"].help_text = _(
            "Empty: %(months)s months after the review date (the organisation's cycle)."
        ) % {"months": interval_months}
        choices: list[tuple[str, Any]] = (
            [(POLICY_CHOICE, _("The AI policy of the organisation"))] if allow_policy else []
        )
        choices += [(str(algorithm.pk), algorithm.name) for algorithm in algorithms]
        subject = cast(forms.ChoiceField, self.fields["subject"])
        subject.choices = choices
        if fixed_subject:
            subject.disabled = True
        reviewers = cast("forms.ModelMultipleChoiceField[User]", self.fields["reviewers"])
        reviewers.queryset = User.objects.filter(pk__in=[member.pk for member in members]).order_by(
            "full_name"
        )
        self.algorithms = {str(algorithm.pk): algorithm for algorithm in algorithms}

    def chosen_algorithm(self) -> Algorithm | None:
        return self.algorithms.get(self.cleaned_data.get("subject") or POLICY_CHOICE)


class PlannedChangeForm(forms.Form):
    description = forms.CharField(label=_("Change"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast("forms.ModelChoiceField[User]", self.fields["owner"])
        owner.queryset = User.objects.filter(pk__in=[member.pk for member in members]).order_by("full_name")


PlannedChangeFormSet = forms.formset_factory(PlannedChangeForm, extra=3, max_num=20)


class CycleForm(forms.Form):
    next_policy_review_date = forms.DateField(
        label=_("Next review of the AI policy"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: one cycle after the last policy review."),
    )
    interval_months = forms.IntegerField(
        label=_("Months between two reviews"), min_value=1, max_value=36, initial=DEFAULT_INTERVAL_MONTHS
    )
    reminder_days = forms.IntegerField(
        label=_("Days ahead to send a reminder"), min_value=0, max_value=365, initial=DEFAULT_REMINDER_DAYS
    )
