from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "verantwoord.reviews"
    label = "reviews"
    verbose_name = _("Annual review")

    def ready(self) -> None:
        from verantwoord.core.demo import register_demo_loader
        from verantwoord.core.jobs import register_periodic_job
        from verantwoord.core.navigation import StaffMenuItem, register_staff_menu_item
        from verantwoord.core.permission_matrix import register_endpoints
        from verantwoord.core.permissions import Permission
        from verantwoord.policy.checklist import register_check
        from verantwoord.policy.live_blocks import register_live_block
        from verantwoord.register.panels import register_algorithm_panel
        from verantwoord.reviews.demo import load_demo_reviews
        from verantwoord.reviews.jobs import REVIEW_JOBS
        from verantwoord.reviews.panels import REVIEWS_PANEL
        from verantwoord.reviews.policy import COMPLIANCE_CHECKS, LIVE_BLOCKS
        from verantwoord.reviews.views import STAFF_ENDPOINTS

        register_endpoints(STAFF_ENDPOINTS)
        register_algorithm_panel(REVIEWS_PANEL)
        for job in REVIEW_JOBS:
            register_periodic_job(job)
        register_demo_loader("reviews", load_demo_reviews)
        register_staff_menu_item(
            StaffMenuItem(_("Annual review"), "reviews:overview", Permission.VIEW_REVIEWS, 65)
        )
        for check in COMPLIANCE_CHECKS:
            register_check(check)
        for block in LIVE_BLOCKS:
            register_live_block(block)
