from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "verantwoord.register"
    label = "register"
    verbose_name = _("Algorithm register")

    def ready(self) -> None:
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.register.api import API_ENDPOINTS
        from verantwoord.register.views.public import PUBLIC_ENDPOINTS
        from verantwoord.register.views.staff import STAFF_ENDPOINTS

        register_endpoints([*STAFF_ENDPOINTS, *PUBLIC_ENDPOINTS, *API_ENDPOINTS])
