from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "verantwoord.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from verantwoord.compliance.panels import TASKS_PANEL
        from verantwoord.compliance.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.compliance.views.staff import COMPLIANCE_ENDPOINTS
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.panels import register_algorithm_panel

        register_endpoints(COMPLIANCE_ENDPOINTS)
        register_algorithm_panel(TASKS_PANEL)
        register_staff_menu_item(
            StaffMenuItem(_("Tasks"), "compliance:overview", Permission.VIEW_INTERNAL, 30)
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
