from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")
    # The app's pages, mounted by governance.urls (its API router is found by itself).
    urls = [("intake/", "intake.urls"), ("public/", "intake.public.urls"), ("open311/v2/", "intake.open311.urls")]

    def ready(self):
        from intake import hooks

        hooks.register()
