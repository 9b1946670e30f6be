"""Sensible default tier rules; admins change them in the admin."""
from django.db import migrations

from governance.timers.defaults import ensure_default_tier_rules


def seed(apps, schema_editor):
    ensure_default_tier_rules(apps.get_model("governance", "TierRule"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_tier_rule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
