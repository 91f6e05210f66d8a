"""The small fixed forms of the policy workflow. Text blocks are plain fields named `text-<id>` with `rev-<id>` for
the revision the editor started from (see views.EditView)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from verantwoord.policy.models import DecisionBody


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What needs to change?"), widget=forms.Textarea(attrs={"rows": 3}))


class AdoptForm(forms.Form):
    decision_body = forms.ChoiceField(
        label=_("Adopted by"),
        choices=DecisionBody.choices,
        initial=DecisionBody.BOARD,
        widget=forms.RadioSelect,
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date of the meeting in which the policy was adopted."),
    )
    decision_reference = forms.CharField(
        label=_("Reference of the decision"),
        max_length=200,
        help_text=_("For example the decision's number in the minutes or the council's document system."),
    )
