"""What a staff page does with a posted form: hand the valid data to a service; when the service accepts it,
say so and move on; when it refuses (a ValidationError), show its reasons on the form with the input kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from verantwoord.core.forms import add_service_errors

Result = TypeVar("Result")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    service: Callable[[dict[str, Any]], Result],
    *,
    done: str,
    then: str | Callable[[Result], str],
    otherwise: Callable[[], HttpResponse],
) -> HttpResponse:
    """Run ``service`` with the form's cleaned data. Accepted: the message ``done`` and a redirect to ``then``
    (an address, or a function of the service's result). Invalid or refused: ``otherwise()``, the page again
    with the form and its errors."""
    if not form.is_valid():
        return otherwise()
    try:
        result = service(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return otherwise()
    if done:
        messages.success(request, done)
    return HttpResponseRedirect(then(result) if callable(then) else then)
