from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "verantwoord.register"
    label = "register"
    verbose_name = _("Algorithm register")

    def ready(self) -> None:
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.navigation import (
            PublicMenuItem,
            StaffMenuItem,
            register_public_menu_item,
            register_staff_menu_item,
        )
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.api import API_ENDPOINTS
        from verantwoord.register.demo import load_demo_algorithms
        from verantwoord.register.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.register.views.public import PUBLIC_ENDPOINTS
        from verantwoord.register.views.staff import STAFF_ENDPOINTS

        register_endpoints([*STAFF_ENDPOINTS, *PUBLIC_ENDPOINTS, *API_ENDPOINTS])
        register_demo_loader("register", load_demo_algorithms)
        register_public_menu_item(PublicMenuItem(_("Algorithm register"), "register-public:list", 10))
        register_staff_menu_item(
            StaffMenuItem(_("Algorithm register"), "register-staff:list", Permission.VIEW_INTERNAL, 10)
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
