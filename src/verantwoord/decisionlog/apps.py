from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionLogConfig(AppConfig):
    name = "verantwoord.decisionlog"
    label = "decisionlog"
    verbose_name = _("Decision log")

    def ready(self) -> None:
        from verantwoord.core.audit import register_audit_sink
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.jobs import register_periodic_job
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.decisionlog.api import API_ENDPOINTS
        from verantwoord.decisionlog.demo import load_demo_decisions
        from verantwoord.decisionlog.jobs import DECISION_LOG_JOBS
        from verantwoord.decisionlog.panels import DECISION_LOG_PANEL
        from verantwoord.decisionlog.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.decisionlog.selectors import has_public_log
        from verantwoord.decisionlog.services import governance_entry_append
        from verantwoord.decisionlog.views import STAFF_ENDPOINTS
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.panels import register_algorithm_panel
        from verantwoord.register.public_links import (
            OrganisationPublicLink,
            register_organisation_public_link,
        )

        # Every audit record of an organisation is appended to its log, in the same transaction.
        register_audit_sink(governance_entry_append)
        register_endpoints([*STAFF_ENDPOINTS, *API_ENDPOINTS])
        register_algorithm_panel(DECISION_LOG_PANEL)
        for job in DECISION_LOG_JOBS:
            register_periodic_job(job)
        register_demo_loader("decisionlog", load_demo_decisions)
        register_staff_menu_item(
            StaffMenuItem(_("Decision log"), "decisionlog:overview", Permission.VIEW_DECISION_LOG, 40)
        )
        register_organisation_public_link(
            OrganisationPublicLink(
                _("Decision log"),
                _("the signed checkpoints and public keys of the log of AI decisions and register changes"),
                "decisionlog:public",
                20,
                has_public_log,
            )
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
