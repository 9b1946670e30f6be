"""The statutory periods' defaults and the notices' default wording (admins edit
them afterwards; a database flushed by tests gets them from ``demo.petitions``)."""
from django.db import migrations


def seed(apps, schema_editor):
    from petitions.documents import ensure_default_templates
    from petitions.periods import ensure_default_periods

    ensure_default_periods(apps.get_model("petitions", "StatutoryPeriod"))
    ensure_default_templates(apps.get_model("petitions", "DocumentTemplate"))


class Migration(migrations.Migration):

    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
