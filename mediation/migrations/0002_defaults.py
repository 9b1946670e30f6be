"""The time limits' row and a default agreement template, for admins to edit."""
from django.db import migrations

TITLE = "人民调解协议书"
PREAMBLE = ("{body}受理了当事人之间的{category}纠纷（事项编号：{case_number}，纠纷发生地：{place}），"
            "依照《中华人民共和国人民调解法》的规定进行了调解。")
CLOSING = ("本协议一式三份，当事人各执一份，调解组织留存一份。\n"
           "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖调解组织印章之日起生效。\n"
           "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
           "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。")


def create(apps, schema_editor):
    apps.get_model("mediation", "MediationRules").objects.get_or_create(pk=1)
    template = apps.get_model("mediation", "AgreementTemplate")
    if not template.objects.filter(is_default=True).exists():
        template.objects.get_or_create(name="人民调解协议书（通用）", defaults={
            "title": TITLE, "preamble": PREAMBLE, "closing": CLOSING, "is_default": True})


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
