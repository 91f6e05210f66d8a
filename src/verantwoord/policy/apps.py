from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "verantwoord.policy"
    label = "policy"
    verbose_name = _("AI policy")

    def ready(self) -> None:
        from verantwoord.policy.core_blocks import LIVE_BLOCKS
        from verantwoord.policy.live_blocks import register_live_block

        for block in LIVE_BLOCKS:
            register_live_block(block)
        self._register_document()
        self._register_checklist()

    def _register_checklist(self) -> None:
        """The compliance checklist: the policy's own check, the dashboard page and its menu entry."""
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.checklist_views import CHECKLIST_ENDPOINTS
        from verantwoord.policy.policy_checks import COMPLIANCE_CHECKS

        for check in COMPLIANCE_CHECKS:
            register_check(check)
        register_endpoints(CHECKLIST_ENDPOINTS)
        register_staff_menu_item(
            StaffMenuItem(_("Compliance checklist"), "policy:checklist", Permission.VIEW_POLICY, 62)
        )

    def _register_document(self) -> None:
        """The document's pages, API, menu entry, public page link and demo."""
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import Access, Endpoint, register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.api import POLICY_API_ENDPOINTS
        from verantwoord.policy.demo import load_demo_policy
        from verantwoord.policy.public import has_adopted_policy
        from verantwoord.policy.views import STAFF_ENDPOINTS
        from verantwoord.register.public_links import (
            OrganisationPublicLink,
            register_organisation_public_link,
        )

        register_endpoints(
            [
                *STAFF_ENDPOINTS,
                *POLICY_API_ENDPOINTS,
                Endpoint(
                    "Adopted AI policy (public)", "page", "GET", "policy-public:document", Access.PUBLIC
                ),
            ]
        )
        register_staff_menu_item(StaffMenuItem(_("AI policy"), "policy:overview", Permission.VIEW_POLICY, 60))
        register_organisation_public_link(
            OrganisationPublicLink(
                label=_("AI policy"),
                description=_("the policy on the use of algorithms and AI, as adopted by the board"),
                url_name="policy-public:document",
                order=30,
                available=has_adopted_policy,
            )
        )
        register_demo_loader("policy", load_demo_policy)
