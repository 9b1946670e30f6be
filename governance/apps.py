from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_after_migrate(sender, using, apps=None, **kwargs):
    """Re-apply the role table after every ``migrate`` (and test-database flush):
    a row edited in code, or an app's rows added since, reach the groups without
    a new migration. Setup, not a business effect, so a signal is right here."""
    from governance.people.roles import sync_role_groups

    if apps is None:
        from django.apps import apps
    sync_role_groups(apps=apps, using=using)


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from governance import extensions
        from governance.timers import tiers

        # The core's own clock kind goes through the same registry as the apps'.
        extensions.register_clock_handler(tiers.HANDLER)
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="governance-sync-role-groups")
