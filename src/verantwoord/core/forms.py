"""Forms of the core pages. They only validate input; the services do the work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from verantwoord.core.models import Organisation
from verantwoord.core.roles import Role


def https_url_fields(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Addresses typed without a scheme get https:// (the Django 6 default), not http://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm[Organisation]):
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Organisation
        formfield_callback = https_url_fields
        fields = [
            "name",
            "slug",
            "kind",
            "contact_email",
            "website",
            "logo_url",
            "house_style_css_url",
            "require_two_factor",
        ]


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    # No role preselected: granting the wrong one by accident would be easy to miss.
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, field_of_key: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message at its field when the form has one (after
    renaming the service's key with ``field_of_key``), the rest at the top, so the input stays on the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, problems in error.message_dict.items():
        name = (field_of_key or {}).get(key, key)
        form.add_error(name if name in form.fields else None, problems)
