"""Forms of the staff register pages. They validate input shapes; the services apply the standard's rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from verantwoord.core.forms import https_url_fields
from verantwoord.core.models import Organisation, User
from verantwoord.register.choices import LinkGroup, PublicationState
from verantwoord.register.fields import INTERNAL_FIELDS, PUBLIC_FIELDS
from verantwoord.register.models import Algorithm
from verantwoord.register.standard import standard

PUBLIC_SECTION = PUBLIC_FIELDS
INTERNAL_SECTION = INTERNAL_FIELDS
STANDARD_KEY_OF_FIELD = {"themes": "category"}


def theme_choices() -> list[tuple[str, str]]:
    english = (get_language() or "nl").startswith("en")
    return [(theme.code, theme.en if english else theme.value) for theme in standard().themes]


class AlgorithmForm(forms.ModelForm[Algorithm]):
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple, choices=theme_choices
    )
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Algorithm
        fields = [*PUBLIC_SECTION, *INTERNAL_SECTION]
        formfield_callback = https_url_fields
        widgets = {
            "next_review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "description_short",
                    "goal",
                    "proportionality",
                    "human_intervention",
                    "risks",
                    "lawful_basis",
                    "impacttoetsen",
                    "source_data",
                    "methods_and_models",
                    "groups_affected",
                    "internal_notes",
                    "tags",
                )
            },
            "contact_email": forms.TextInput(),
            "name": forms.TextInput(),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__organisation=organisation).distinct().order_by("full_name")
        for name in ("owner", "accountable_manager"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 — set by the model
            field.queryset = members
        spec = standard()
        language = get_language() or "nl"
        for name in PUBLIC_SECTION:
            key = STANDARD_KEY_OF_FIELD.get(name, name)
            try:
                standard_field = spec.field(key)
            except KeyError:
                continue
            self.fields[name].label = standard_field.title(language)
            if standard_field.required:
                self.fields[name].label = f"{self.fields[name].label} *"
            if standard_field.max_length:
                limit = _("At most %(limit)s characters.") % {"limit": standard_field.max_length}
                guidance = (
                    standard_field.guidance_en if language.startswith("en") else standard_field.guidance_nl
                )
                self.fields[name].help_text = " ".join(part for part in (str(limit), guidance) if part)
        # The standard's required fields are needed for publication, not for saving a draft.
        for name in self.fields:
            if name not in ("name",):
                self.fields[name].required = False
        self.fields["lars"].help_text = _(
            "Filled in by the national register; only change it when importing."
        )

    def section(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def public_fields(self) -> list[forms.BoundField]:
        return self.section(PUBLIC_SECTION)

    @property
    def internal_fields(self) -> list[forms.BoundField]:
        return self.section(INTERNAL_SECTION)

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in (*PUBLIC_SECTION, *INTERNAL_SECTION)}
        for name, field in self.fields.items():
            if name in data and isinstance(field, forms.CharField) and data[name] is None:
                data[name] = ""
        return data


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    link = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")


LinkFormSet = forms.formset_factory(LinkForm, extra=2, max_num=50)


def link_formsets(
    data: Any = None, algorithm: Algorithm | None = None
) -> list[tuple[LinkGroup, forms.BaseFormSet[LinkForm]]]:
    """One formset per grouping field of the standard, prefilled from the algorithm's links."""
    formsets = []
    for group in LinkGroup:
        initial = (
            [
                {"title": link.title, "link": link.link}
                for link in algorithm.links.all()
                if link.group == group
            ]
            if algorithm is not None and algorithm.pk
            else []
        )
        formsets.append((group, LinkFormSet(data, initial=initial, prefix=group.value)))
    return formsets


def links_from_formsets(
    formsets: list[tuple[LinkGroup, forms.BaseFormSet[LinkForm]]],
) -> dict[str, list[dict[str, str]]]:
    return {
        group.value: [
            {"title": form.cleaned_data.get("title", ""), "link": form.cleaned_data.get("link", "")}
            for form in formset.forms
            if form.cleaned_data and (form.cleaned_data.get("title") or form.cleaned_data.get("link"))
        ]
        for group, formset in formsets
    }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=PublicationState.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveForm(forms.Form):
    archived = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
