from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "verantwoord.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from verantwoord.assessments.api import ASSESSMENT_API_ENDPOINTS
        from verantwoord.assessments.demo import load_demo_assessments
        from verantwoord.assessments.jobs import ASSESSMENT_JOBS
        from verantwoord.assessments.panels import ASSESSMENTS_PANEL
        from verantwoord.assessments.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.assessments.public import register_public_hooks
        from verantwoord.assessments.requirements import assessment_gate
        from verantwoord.assessments.views import STAFF_ENDPOINTS
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.jobs import register_periodic_job
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.gates import register_publication_gate
        from verantwoord.register.panels import register_algorithm_panel

        register_endpoints([*STAFF_ENDPOINTS, *ASSESSMENT_API_ENDPOINTS])
        register_algorithm_panel(ASSESSMENTS_PANEL)
        register_publication_gate("assessments.required", assessment_gate)
        for job in ASSESSMENT_JOBS:
            register_periodic_job(job)
        register_demo_loader("assessments", load_demo_assessments)
        register_staff_menu_item(
            StaffMenuItem(_("Assessments"), "assessments:overview", Permission.VIEW_ASSESSMENTS, 35)
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
        register_public_hooks()
