"""Render form widgets with NL Design System (Utrecht) classes and the ARIA links to help and error text."""

from __future__ import annotations

from django import forms, template
from django.forms.widgets import Input
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
]


def widget_css_class(widget: forms.Widget) -> str:
    for widget_type, css_class in WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class
    return ""


@register.filter
def nlds_widget(bound_field: forms.BoundField) -> SafeString:
    """The widget with Utrecht classes, `aria-describedby` for help and error text, and `aria-invalid`."""
    attrs: dict[str, str | bool] = {}
    css_class = widget_css_class(bound_field.field.widget)
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        css_class += " utrecht-textbox--invalid" if "textbox" in css_class else ""
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if css_class:
        attrs["class"] = css_class.strip()
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_checkbox_group(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
