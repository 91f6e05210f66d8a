"""`{% public_menu %}`: the main menu of the public site, from the entries the apps registered."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from verantwoord.core.navigation import public_menu_items

register = template.Library()


@register.inclusion_tag("core/includes/public_menu.html", takes_context=True)
def public_menu(context: dict[str, Any]) -> dict[str, Any]:
    path = context["request"].path
    entries = []
    for item in public_menu_items():
        url = reverse(item.url_name)
        current = path == url or (url != "/" and url != "/en/" and path.startswith(url))
        entries.append({"label": item.label, "url": url, "current": current})
    return {"entries": entries}
