"""Reading the questionnaire's form fields (the pages build them from the template; names are `q-<question>`,
`q-<question>-<row>-<column>` for tables, `rev-<question>` for the revision the editor started from), and the small
fixed forms of the workflow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from verantwoord.assessments.evaluation import RISK_COLUMNS
from verantwoord.assessments.models import AdviceOutcome, Decision
from verantwoord.assessments.questionnaire import Question

ROW_COLUMNS = {
    "risk_table": RISK_COLUMNS,
    "references": ("title", "link"),
    "action_points": ("title", "due_date"),
}
MAX_FORM_ROWS = 50


def raw_value(question: Question, data: QueryDict) -> Any:
    """The submitted value of one question, before cleaning; None when the form did not carry the question."""
    name = f"q-{question.id}"
    if question.type in ROW_COLUMNS:
        try:
            count = min(int(data.get(f"rows-{question.id}", "0")), MAX_FORM_ROWS)
        except ValueError:
            count = 0
        if f"rows-{question.id}" not in data:
            return None
        return [
            {column: data.get(f"{name}-{index}-{column}", "") for column in ROW_COLUMNS[question.type]}
            for index in range(count)
        ]
    if question.type == "multiple_choice":
        if f"present-{question.id}" not in data:
            return None
        return data.getlist(name)
    if name not in data:
        # An unticked radio group sends nothing; the hidden marker says the question was on the form.
        return "" if f"present-{question.id}" in data else None
    return data.get(name, "")


def expected_revision(question: Question, data: QueryDict) -> int | None:
    try:
        return int(data.get(f"rev-{question.id}", ""))
    except ValueError:
        return None


def _condition_rows(data: QueryDict) -> list[dict[str, Any]]:
    rows = []
    for index in range(5):
        rows.append(
            {
                "text": data.get(f"condition-{index}-text", ""),
                "owner": data.get(f"condition-{index}-owner", "") or None,
                "due_date": data.get(f"condition-{index}-due_date", "") or None,
            }
        )
    return rows


class AdviceForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Advice"), choices=AdviceOutcome.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Explanation of the advice"), widget=forms.Textarea(attrs={"rows": 6}))

    def conditions(self) -> list[dict[str, Any]]:
        return _condition_rows(self.data)  # type: ignore[arg-type]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Explanation of the decision"), widget=forms.Textarea(attrs={"rows": 6}))
    review_date = forms.DateField(
        label=_("Re-assess on"),
        required=False,
        help_text=_("Leave empty for the organisation's standard period."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def conditions(self) -> list[dict[str, Any]]:
        return _condition_rows(self.data)  # type: ignore[arg-type]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What needs to change?"), widget=forms.Textarea(attrs={"rows": 4}))


class StartForm(forms.Form):
    template = forms.ChoiceField(label=_("Assessment"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices  # type: ignore[attr-defined]


class OverrideForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Required assessment"), choices=(), widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Justification"),
        help_text=_(
            "Why may the algorithm be in use without this approved assessment? This is recorded and shown."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = choices  # type: ignore[attr-defined]


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Public summary"),
        help_text=_("Plain language (B1). Only this text is published, never the answers or the advice."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PolicyForm(forms.Form):
    iama_for_impactful = forms.BooleanField(label=_("IAMA for every impactful algorithm"), required=False)
    dpia_for_all_personal_data = forms.BooleanField(
        label=_("DPIA for every algorithm that processes personal data"), required=False
    )
    ethics_for_high_risk = forms.BooleanField(
        label=_("Ethics review for every high-risk AI system"), required=False
    )
    review_months = forms.IntegerField(label=_("Re-assess after (months)"), min_value=1, max_value=120)


class CommentForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
