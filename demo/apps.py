from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county 示范县 and its generated matters (`manage.py seed_demo`).

    Kept apart from the domain: it may import every app, which the core may not."""

    name = "demo"
    verbose_name = _("Demo county")
