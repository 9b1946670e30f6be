"""Sensible default tier rules; admins change them in the admin."""
from django.db import migrations

# kind -> {tier: (limit, unit)}
DEFAULTS = {
    "dispute": {"village": (5, "working_days"), "town": (10, "working_days"), "county": (30, "working_days")},
    "grid_event": {"village": (3, "working_days"), "town": (5, "working_days"), "county": (10, "working_days")},
    # 信访工作条例: 15 days to register and forward (art. 22), 60 days to handle (art. 34);
    # the petitions issue adds the statutory steps.
    "petition": {"village": (5, "working_days"), "town": (15, "working_days"), "county": (60 * 24, "hours")},
    "consultation": {"village": (1, "working_days"), "town": (2, "working_days"), "county": (3, "working_days")},
}


def seed(apps, schema_editor):
    TierRule = apps.get_model("governance", "TierRule")
    for kind, tiers in DEFAULTS.items():
        for tier, (limit, unit) in tiers.items():
            TierRule.objects.get_or_create(
                kind=kind, tier=tier, category=None,
                defaults={"limit": limit, "unit": unit, "remind_at_percent": 80},
            )


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_tier_rule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
