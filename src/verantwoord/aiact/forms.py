"""Forms of the AI Act wizard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verantwoord.aiact.tree import Answer


class AnswerForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this answer? Facts, documents or advice it rests on. Kept with the classification."),
    )

    def __init__(self, *args: Any, answers: tuple[Answer, ...], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 — declared above
        field.choices = [(answer.id, answer.label.get(language)) for answer in answers]
