from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionLogConfig(AppConfig):
    name = "verantwoord.decisionlog"
    label = "decisionlog"
    verbose_name = _("Decision log")
