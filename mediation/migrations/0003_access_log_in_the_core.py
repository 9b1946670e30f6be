"""The mediation app's own access log folds into the core's (governance.privacy):
every print of an agreement is copied over, then the old table goes."""
from django.db import migrations

PURPOSE = "打印调解协议书"


def copy_entries(apps, schema_editor):
    Old = apps.get_model("mediation", "AccessLogEntry")
    New = apps.get_model("governance", "AccessLogEntry")
    Agreement = apps.get_model("mediation", "Agreement")
    Party = apps.get_model("governance", "Party")
    rows = []
    for old in Old.objects.order_by("id").iterator():
        agreement = Agreement.objects.filter(pk=old.object_id).first()
        id_numbers = {p.get("id_number") for p in (agreement.parties if agreement else []) if p.get("id_number")}
        parties = list(Party.objects.filter(case_id=old.case_id, id_number__in=id_numbers).values_list("pk", flat=True))
        rows.append(New(at=old.at, user_id=old.user_id, action=old.action, case_id=old.case_id,
                        fields=["id_number"], parties=parties, purpose=PURPOSE, object_type="mediation.agreement",
                        object_id=old.object_id, address=old.address, detail=old.detail))
    New.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("mediation", "0002_defaults"),
        ("governance", "0025_privacy_access_log"),
    ]

    operations = [
        migrations.RunPython(copy_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="AccessLogEntry"),
    ]
