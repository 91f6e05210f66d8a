from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AIActConfig(AppConfig):
    name = "verantwoord.aiact"
    label = "aiact"
    verbose_name = _("AI Act")

    def ready(self) -> None:
        from verantwoord.aiact.api import AIACT_API_ENDPOINTS
        from verantwoord.aiact.demo import classify_demo_algorithms
        from verantwoord.aiact.gates import prohibited_gate
        from verantwoord.aiact.panels import AI_ACT_PANEL
        from verantwoord.aiact.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.aiact.views import AIACT_ENDPOINTS
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.gates import register_publication_gate
        from verantwoord.register.panels import register_algorithm_panel

        register_endpoints([*AIACT_ENDPOINTS, *AIACT_API_ENDPOINTS])
        register_algorithm_panel(AI_ACT_PANEL)
        register_publication_gate("aiact.prohibited", prohibited_gate)
        register_demo_loader("aiact", classify_demo_algorithms)
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
