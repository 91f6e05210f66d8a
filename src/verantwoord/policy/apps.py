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
