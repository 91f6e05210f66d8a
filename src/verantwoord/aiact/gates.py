"""The AI Act's gate on the register: a prohibited practice can never be in use (art. 5)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from verantwoord.register.choices import AIActRiskClass
from verantwoord.register.models import Algorithm


def prohibited_gate(algorithm: Algorithm) -> list[str]:
    if algorithm.ai_act_risk_class == AIActRiskClass.PROHIBITED:
        return [_("The AI Act classification found a prohibited practice (art. 5): it may not be used.")]
    return []
