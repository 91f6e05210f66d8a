from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "verantwoord.monitoring"
    label = "monitoring"
    verbose_name = _("Bias and quality monitoring")

    def ready(self) -> None:
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.jobs import register_periodic_job
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.monitoring.demo import load_demo_monitoring
        from verantwoord.monitoring.jobs import MONITORING_JOBS
        from verantwoord.monitoring.panels import MONITORING_PANEL
        from verantwoord.monitoring.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.monitoring.views import STAFF_ENDPOINTS
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.panels import register_algorithm_panel

        register_endpoints(STAFF_ENDPOINTS)
        register_algorithm_panel(MONITORING_PANEL)
        for job in MONITORING_JOBS:
            register_periodic_job(job)
        register_demo_loader("monitoring", load_demo_monitoring)
        register_staff_menu_item(
            StaffMenuItem(_("Bias monitoring"), "monitoring:overview", Permission.VIEW_MONITORING, 45)
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
