"""Forms of the monitoring pages. Lists are typed as text (comma-separated) and turned into the
configuration's values here; the service checks them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verantwoord.monitoring.models import (
    METRIC_CHOICES,
    FindingStatus,
    MonitoringConfig,
    PredictionSource,
    Window,
)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class ConfigForm(forms.Form):
    enabled = forms.BooleanField(label=_("Run this check daily"), required=False, initial=True)
    legal_basis = forms.CharField(
        label=_("Legal basis for processing the group attributes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=MonitoringConfig._meta.get_field("legal_basis").help_text,
    )
    prediction_source = forms.ChoiceField(label=_("Prediction from"), choices=PredictionSource.choices)
    positive_decision = forms.CharField(
        label=_("Decision counted as selected"),
        required=False,
        max_length=200,
        help_text=MonitoringConfig._meta.get_field("positive_decision").help_text,
    )
    positive_is_favourable = forms.BooleanField(
        label=_("Being selected is favourable for the person"), required=False
    )
    score_threshold = forms.FloatField(
        label=_("Score threshold"), required=False, help_text=_("Only when the prediction is the score.")
    )
    truth_positive = forms.CharField(
        label=_("Outcomes that confirm the selection"),
        required=False,
        help_text=_("Decision values of later outcome records, comma-separated, e.g. “terugvordering”."),
    )
    truth_negative = forms.CharField(
        label=_("Outcomes that refute the selection"),
        required=False,
        help_text=_("Comma-separated, e.g. “geen onrechtmatigheid”."),
    )
    group_attributes = forms.CharField(
        label=_("Group attributes to check"),
        help_text=_(
            "Names of the group attributes in the log, comma-separated, e.g. nationaliteit, geslacht."
        ),
    )
    intersections = forms.CharField(
        label=_("Intersections"),
        required=False,
        help_text=_("Pairs written as A|B, comma-separated, e.g. nationaliteit|geslacht."),
    )
    reference_groups = forms.CharField(
        label=_("Reference groups"),
        required=False,
        help_text=_("attribute=group, comma-separated; an attribute without one is compared with the rest."),
    )
    metrics = forms.MultipleChoiceField(
        label=_("Metrics"), choices=METRIC_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    ratio_threshold = forms.FloatField(label=_("Flag a ratio below"), required=False, initial=0.8)
    difference_threshold = forms.FloatField(
        label=_("Flag a difference above"),
        required=False,
        initial=0.05,
        help_text=_("0.05 is 5 percentage points."),
    )
    alpha = forms.FloatField(label=_("Significance level"), initial=0.05)
    min_group_size = forms.IntegerField(label=_("Minimum group size"), min_value=1, initial=10)
    window = forms.ChoiceField(label=_("Time window"), choices=Window.choices)
    notify_emails = forms.CharField(
        label=_("E-mail addresses of the AI team"), required=False, help_text=_("Comma-separated.")
    )
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    @classmethod
    def initial_from(cls, config: MonitoringConfig | None) -> dict[str, Any]:
        if config is None:
            return {"metrics": ["selection_rate"], "prediction_source": PredictionSource.DECISION}
        return {
            "enabled": config.enabled,
            "legal_basis": config.legal_basis,
            "prediction_source": config.prediction_source,
            "positive_decision": config.positive_decision,
            "positive_is_favourable": config.positive_is_favourable,
            "score_threshold": config.score_threshold,
            "truth_positive": ", ".join(config.truth_positive),
            "truth_negative": ", ".join(config.truth_negative),
            "group_attributes": ", ".join(config.group_attributes),
            "intersections": ", ".join("|".join(pair) for pair in config.intersections),
            "reference_groups": ", ".join(f"{key}={value}" for key, value in config.reference_groups.items()),
            "metrics": config.metrics,
            "ratio_threshold": config.ratio_threshold,
            "difference_threshold": config.difference_threshold,
            "alpha": config.alpha,
            "min_group_size": config.min_group_size,
            "window": config.window,
            "notify_emails": config.notify_emails,
        }

    def clean_intersections(self) -> list[list[str]]:
        pairs = []
        for item in _split(self.cleaned_data["intersections"]):
            parts = [part.strip() for part in item.split("|")]
            if len(parts) != 2 or not all(parts):
                raise forms.ValidationError(_("Write each intersection as two attributes: A|B."))
            pairs.append(parts)
        return pairs

    def clean_reference_groups(self) -> dict[str, str]:
        references = {}
        for item in _split(self.cleaned_data["reference_groups"]):
            attribute, separator, group = item.partition("=")
            if not separator or not attribute.strip() or not group.strip():
                raise forms.ValidationError(_("Write each reference group as attribute=group."))
            references[attribute.strip()] = group.strip()
        return references

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("reason")
        for name in ("truth_positive", "truth_negative", "group_attributes"):
            data[name] = _split(data[name])
        return data


class FindingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=FindingStatus.choices)
    note = forms.CharField(
        label=_("What was found and done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
