from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediation")
    # The mediator's desk and the mediation pages (the API router is found by itself).
    urls = [("mediation/", "mediation.urls")]

    def ready(self):
        from mediation import hooks

        hooks.register()
