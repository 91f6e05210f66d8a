from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "verantwoord.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from verantwoord.core.core_jobs import CORE_JOBS
        from verantwoord.core.jobs import register_periodic_job
        from verantwoord.core.navigation import (
            CORE_MENU,
            CORE_PUBLIC_MENU,
            register_public_menu_item,
            register_staff_menu_item,
        )
        from verantwoord.core.permission_matrix import CORE_ENDPOINTS, register_endpoints

        register_endpoints(CORE_ENDPOINTS)
        for item in CORE_MENU:
            register_staff_menu_item(item)
        for public_item in CORE_PUBLIC_MENU:
            register_public_menu_item(public_item)
        for job in CORE_JOBS:
            register_periodic_job(job)
