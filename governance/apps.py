from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from governance import extensions
        from governance.timers import tiers

        # The core's own clock kind goes through the same registry as the apps'.
        extensions.register_clock_handler(tiers.HANDLER)
