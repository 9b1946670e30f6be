from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = _("Grid work")
    # The app's pages, mounted by governance.urls (its API router is found by itself).
    urls = [("grid/", "grid.urls")]

    def ready(self):
        from grid import hooks

        hooks.register()
