from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")
    # The app's pages, mounted by governance.urls (its API router is found by itself).
    urls = [("petitions/", "petitions.urls")]

    def ready(self):
        from petitions import hooks

        hooks.register()
