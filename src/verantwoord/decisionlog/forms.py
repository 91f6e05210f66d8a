"""Forms of the decision log's staff pages. A BSN entered here is pseudonymised at once and never stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verantwoord.decisionlog.crypto import is_valid_bsn, normalise_subject
from verantwoord.decisionlog.services import RETENTION_MINIMUM_DAYS

# Personal numbers must not linger in the browser's form history.
_PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


def _clean_bsn(value: str) -> str:
    if not is_valid_bsn(value):
        raise forms.ValidationError(
            _("This is not a valid citizen service number (BSN): it fails the 11-test.")
        )
    return normalise_subject(value)


class SubjectSearchForm(forms.Form):
    bsn = forms.CharField(
        label=_("Citizen service number (BSN)"),
        max_length=20,
        help_text=_(
            "The number is turned into the log's pseudonym at once; it is not stored. The search is recorded."
        ),
        widget=forms.TextInput(attrs={**_PRIVATE, "inputmode": "numeric"}),
    )
    purpose = forms.CharField(
        label=_("Why do you search?"),
        max_length=200,
        required=False,
        help_text=_("For example the case number of an objection. Recorded with the search."),
    )

    def clean_bsn(self) -> str:
        return _clean_bsn(self.cleaned_data["bsn"])


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need the personal data?"),
        max_length=200,
        required=False,
        help_text=_("Recorded with your name in the audit trail and the decision log."),
    )


class ErasureForm(forms.Form):
    subject = forms.CharField(
        label=_("Citizen service number (BSN) or the identifier the system reported"),
        max_length=100,
        widget=forms.TextInput(attrs=_PRIVATE),
        help_text=_("Not stored: it is turned into the log's pseudonym to find the entries."),
    )
    reference = forms.CharField(
        label=_("Case number of the request"), max_length=100, help_text=_("Recorded with the erasure.")
    )
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_(
            "I have checked that this request must be honoured (GDPR article 17) and that no legal duty to keep the data applies."
        ),
    )

    def clean_subject(self) -> str:
        value: str = self.cleaned_data["subject"]
        normalised = normalise_subject(value)
        if normalised.isdigit() and len(normalised) == 9:
            return _clean_bsn(value)
        return value.strip()


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Keep the personal data of decisions for (days)"),
        min_value=RETENTION_MINIMUM_DAYS,
        max_value=36_500,
        help_text=_(
            "At least %(days)s days (six months, AI Act article 26(6)). After this the payloads are erased; the log itself stays."
        )
        % {"days": RETENTION_MINIMUM_DAYS},
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)


class LogSettingsForm(forms.Form):
    max_retention_days = forms.IntegerField(
        label=_("Longest retention any algorithm may have (days)"),
        min_value=RETENTION_MINIMUM_DAYS,
        max_value=36_500,
        required=False,
        help_text=_("From the organisation's policy. Leave empty for no maximum."),
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)


class APIKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("Which system uses it, for example 'Suite4Sociaal productie'."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})
