"""`{% staff_menu organisation can %}`: the organisation's menu, showing only what the user may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from verantwoord.core.navigation import staff_menu_items

register = template.Library()


@register.inclusion_tag("core/includes/staff_menu.html", takes_context=True)
def staff_menu(context: dict[str, Any], organisation: Any, can: dict[str, bool]) -> dict[str, Any]:
    path = context["request"].path
    entries = []
    for item in staff_menu_items():
        if not can.get(item.permission.value):
            continue
        url = reverse(item.url_name, kwargs={"slug": organisation.slug})
        current = path == url or (
            url.endswith("/") and url != f"/beheer/{organisation.slug}/" and path.startswith(url)
        )
        entries.append({"label": item.label, "url": url, "current": current})
    return {"entries": entries}
