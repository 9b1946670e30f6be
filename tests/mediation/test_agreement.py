"""The agreement: drawn from the admin's template, edited as a draft, final once
signed (the database refuses changes), superseded with a reason, printed on A4
with full ID numbers (and only there), each print in the access log; what the
parties typed is escaped."""
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from governance.models import CaseEvent
from mediation import services
from governance.models import AccessLogEntry
from mediation.models import Agreement, AgreementTemplate
from tests.mediation.conftest import NOW, settled, village_dispute

pytestmark = pytest.mark.usefixtures("clock")

TYPED = '<script>alert("x")</script>王<b>建国</b>'


@pytest.fixture
def mediation(case, staff, village_room, clock):
    return settled(case, staff("village_mediator"), village_room, clock)


def sign(mediation, actor, day=None):
    return services.agreement_sign(mediation_id=mediation.pk, actor=actor, signed_on=day or NOW.date())


def test_the_admins_template_words_the_agreement(case, staff, village_room, clock):
    AgreementTemplate.objects.update(is_default=False)
    AgreementTemplate.objects.create(name="村调委会格式", title="调解协议", is_default=True,
                                     preamble="经{body}主持调解（{case_number}，{place}，{category}纠纷）：",
                                     closing="本协议一式两份。")
    mediation = settled(case, staff("village_mediator"), village_room, clock)
    agreement = Agreement.objects.get(mediation=mediation)
    assert agreement.title == "调解协议"
    assert agreement.preamble == f"经青山村社会治理工作站主持调解（{case.number}，青山村，邻里纠纷）："
    assert agreement.closing == "本协议一式两份。"


def test_a_template_with_an_unknown_placeholder_is_refused_in_the_admin(client, staff, demo):
    client.force_login(staff("admin"))
    response = client.post(reverse("admin:mediation_agreementtemplate_add"), {
        "name": "坏模板", "title": "协议", "preamble": "由{mediator}主持", "closing": "完", "is_active": "on"})
    assert response.status_code == 200
    assert "未知的占位符 {mediator}" in response.content.decode()
    assert not AgreementTemplate.objects.filter(name="坏模板").exists()


def test_a_draft_is_edited_then_signed_and_final(mediation, staff):
    vm = staff("village_mediator")
    services.agreement_update_draft(mediation_id=mediation.pk, actor=vm, facts="装修噪音", terms="赔偿3000元",
                                    performance_deadline=NOW.date() + timedelta(days=10))
    agreement = sign(mediation, vm)
    assert agreement.terms == "赔偿3000元" and agreement.signed_on == NOW.date()
    with pytest.raises(services.InvalidTransition, match="已签署的调解协议书不能修改"):
        services.agreement_update_draft(mediation_id=mediation.pk, actor=vm, facts="x", terms="y")
    # Not even a direct UPDATE or DELETE gets through: the database refuses.
    with pytest.raises(DatabaseError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(terms="偷改")
    with pytest.raises(DatabaseError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).delete()
    assert Agreement.objects.get(pk=agreement.pk).terms == "赔偿3000元"
    event = CaseEvent.objects.get(case=mediation.case, data__step="agreement_signed")
    assert event.is_public and "2026-12-31" in event.note  # 30 days from 1 December, the first day not counted


def test_signing_refuses_a_future_or_missing_day(mediation, staff):
    vm = staff("village_mediator")
    for day, field in ((NOW.date() + timedelta(days=1), "signed_on"), (NOW.date() - timedelta(days=3), "signed_on")):
        with pytest.raises(services.ValidationError) as error:
            sign(mediation, vm, day)
        assert field in error.value.message_dict
    assert not Agreement.objects.get(mediation=mediation).is_signed


def test_only_the_mediators_write_the_agreement(mediation, staff):
    for username in ("gridworker", "leader", "town_clerk"):
        with pytest.raises(services.CaseChangeForbidden):
            sign(mediation, staff(username))


def test_a_signed_agreement_is_superseded_with_a_reason(mediation, staff):
    vm = staff("village_mediator")
    first = sign(mediation, vm)
    with pytest.raises(services.ValidationError):
        services.agreement_supersede(mediation_id=mediation.pk, actor=vm, reason="", facts="f", terms="t")
    second = services.agreement_supersede(mediation_id=mediation.pk, actor=vm, reason="履行期限经双方同意变更",
                                          facts="装修噪音", terms="分两期赔偿")
    assert second.version == 2 and second.supersedes == first and not second.is_signed
    with pytest.raises(services.InvalidTransition):  # one draft at a time
        services.agreement_supersede(mediation_id=mediation.pk, actor=vm, reason="again", facts="f", terms="t")
    sign(mediation, vm)
    first.refresh_from_db()
    assert first.terms == "李四赔偿王建国人民币2000元。" and first.superseded_by.is_signed


def test_the_print_shows_full_id_numbers_and_is_logged(mediation, staff, client):
    vm = staff("village_mediator")
    agreement = Agreement.objects.get(mediation=mediation)
    client.force_login(vm)
    detail = client.get(reverse("mediation-detail", args=[mediation.pk])).content.decode()
    assert "11010519491231002X" not in detail and "110105**********2X" in detail
    response = client.get(reverse("mediation-agreement-print", args=[agreement.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "11010519491231002X" in page and "110105195001010019" in page
    assert "人民调解协议书" in page and "（印章）" in page and "签名、盖章或按指印" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.case_id, entry.object_id) == (vm, "print_agreement", mediation.case_id,
                                                                           agreement.pk)
    assert entry.detail["parties"] == ["王建国", "李四"]
    assert entry.fields == ["id_number"] and len(entry.parties) == 2 and entry.purpose
    with pytest.raises(DatabaseError), transaction.atomic():  # the access log is append-only
        AccessLogEntry.objects.filter(pk=entry.pk).update(user=staff("admin"))


def test_the_print_is_for_the_team_and_the_holder_only(mediation, staff, client):
    agreement = Agreement.objects.get(mediation=mediation)
    url = reverse("mediation-agreement-print", args=[agreement.pk])
    client.force_login(staff("gridworker"))  # sees the matter, holds nothing
    assert client.get(url).status_code == 403
    client.force_login(staff("other_town_clerk"))  # does not see it
    assert client.get(url).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_the_agreement_page_escapes_what_parties_typed(staff, village_room, clock, client):
    case = village_dispute(parties=[
        {"role": "applicant", "name": TYPED, "id_number": "11010519491231002X", "phone": "13912348888",
         "address": '<img src=x onerror="alert(1)">'},
        {"role": "respondent", "name": "李四", "phone": "13800001111"}])
    vm = staff("village_mediator")
    mediation = settled(case, vm, village_room, clock, terms=f"赔偿{TYPED}")
    services.agreement_update_draft(mediation_id=mediation.pk, actor=vm, facts=f"事实{TYPED}", terms=f"条款{TYPED}")
    client.force_login(vm)
    for url in (reverse("mediation-agreement-print", args=[Agreement.objects.get(mediation=mediation).pk]),
                reverse("mediation-detail", args=[mediation.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<b>建国</b>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;王&lt;b&gt;建国&lt;/b&gt;" in page
