from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AIActConfig(AppConfig):
    name = "verantwoord.aiact"
    label = "aiact"
    verbose_name = _("AI Act")
