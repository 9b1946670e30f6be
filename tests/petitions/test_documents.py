"""Notices: from admin-editable templates, numbered, printable on A4 with the
petitioner's full details (the only place they show unmasked), frozen once issued
(a database trigger), served once, corrected as a new version; and the periods
admins set apply to the clocks started afterwards."""
from datetime import date

import pytest
from django.db import InternalError, transaction

from petitions import services
from petitions.models import DocumentTemplate, PetitionDocument, StatutoryPeriod
from tests.petitions.helpers import on_day, org, post, read, register_letter, served, user

DAY = date(2026, 11, 2)


@pytest.fixture
def accepted(db, api_as):
    case_id = register_letter(DAY).case.pk
    assert post(api_as("petition_clerk"), case_id, "forward", DAY, to=org("县人社局").pk,
                forwarded_on=DAY.isoformat()).status_code == 200
    assert post(api_as("handler"), case_id, "accept", DAY, **served(DAY)).status_code == 200
    return case_id


def test_the_acceptance_notice_prints_on_a4_with_the_petitioners_full_details(accepted, client, staff, api_as):
    notice = PetitionDocument.objects.get(petition_id=accepted, kind="acceptance")
    assert notice.number == "人社信受〔2026〕1号" and notice.organ_name == "县人社局"
    assert "予以受理" in notice.body and "2026年11月2日" in notice.body
    # 60 days from 2 Nov: 28 to 30 Nov, 31 to 31 Dec, day 60 is Fri 1 Jan 2027, New Year's Day: Mon 4 Jan 2027,
    # counted with the holidays by rule (no official 2027 schedule loaded), so it is provisional.
    assert "2027年1月4日" in notice.body
    client.force_login(staff("handler"))
    page = client.get(f"/petitions/documents/{notice.pk}/").content.decode()
    assert "11010519491231002X" in page and "13912348888" in page  # printed: whole
    assert "信访事项受理告知书" in page and "人社信受〔2026〕1号" in page and "直接送达" in page
    assert "petitions/notice.css" in page
    api = api_as("handler").get(f"/api/v1/petitions/{accepted}/").json()
    assert api["petitioners"][0]["id_number"] == "110105**********2X"  # everywhere else: masked
    assert api["documents"][0]["print_url"] == f"/petitions/documents/{notice.pk}/"
    assert api["reply_due"]["provisional"] is True
    detail = client.get(f"/petitions/{accepted}/").content.decode()
    assert "11010519491231002X" not in detail and "110105**********2X" in detail
    # Numbers run per organ, kind and year.
    second = register_letter(DAY).case.pk
    post(api_as("petition_clerk"), second, "forward", DAY, to=org("县人社局").pk, forwarded_on=DAY.isoformat())
    post(api_as("handler"), second, "accept", DAY, **served(DAY))
    assert PetitionDocument.objects.get(petition_id=second).number == "人社信受〔2026〕2号"


def test_an_issued_notice_is_never_changed_and_served_once(accepted):
    notice = PetitionDocument.objects.get(petition_id=accepted)
    with pytest.raises(InternalError), transaction.atomic():
        PetitionDocument.objects.filter(pk=notice.pk).update(body="改过的正文")
    with pytest.raises(InternalError), transaction.atomic():
        PetitionDocument.objects.filter(pk=notice.pk).update(served_on=date(2026, 11, 1))
    with pytest.raises(InternalError), transaction.atomic():
        PetitionDocument.objects.filter(pk=notice.pk).delete()
    assert PetitionDocument.objects.get(pk=notice.pk).body == notice.body


def test_a_correction_is_a_new_version_and_the_first_is_kept(accepted):
    notice = PetitionDocument.objects.get(petition_id=accepted)
    with on_day(DAY):
        corrected = services.document_correct(case_id=accepted, document_id=notice.pk, actor=user("handler"),
                                              body=notice.body.replace("予以受理", "决定予以受理"),
                                              reason="措辞更正", served_on=DAY, service="in_person")
    assert (corrected.version, corrected.number, corrected.replaces_id) == (2, notice.number, notice.pk)
    assert PetitionDocument.objects.get(pk=notice.pk).body == notice.body
    with on_day(DAY), pytest.raises(Exception, match="最新版本"):
        services.document_correct(case_id=accepted, document_id=notice.pk, actor=user("handler"), body="x",
                                  reason="y", served_on=DAY, service="post")


def test_a_notice_issued_unserved_is_served_later_from_the_page(db, client, staff):
    from tests.petitions.test_repeat import to_final  # noqa: PLC0415 - a shared walk

    final = to_final(register_letter(date(2026, 1, 5)).case.pk)
    refused = register_letter(date(2026, 6, 1), repeat_of=final.pk).case.pk  # a letter: served by post later
    notice = PetitionDocument.objects.get(petition_id=refused)
    assert notice.served_on is None
    client.force_login(staff("petition_clerk"))
    with on_day(date(2026, 6, 5)):
        response = client.post(f"/petitions/{refused}/documents/{notice.pk}/serve/", {
            f"serve-{notice.pk}-served_on": "2026-06-04", f"serve-{notice.pk}-service": "post"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.served_on, notice.service) == (date(2026, 6, 4), "post")


def test_admins_edit_the_wording_and_the_periods(accepted, client, staff, api_as):
    client.force_login(staff("admin"))
    template = DocumentTemplate.objects.get(kind="reply")
    bad = client.post(f"/admin/petitions/documenttemplate/{template.pk}/change/", {
        "kind": "reply", "title": template.title, "body": "{petitioners}：{unknown}"})
    assert bad.status_code == 200 and "不认识的占位符" in bad.content.decode()
    good = client.post(f"/admin/petitions/documenttemplate/{template.pk}/change/", {
        "kind": "reply", "title": "信访事项答复意见书", "body": "{petitioners}：\n答复如下：\n{opinion}"})
    assert good.status_code == 302
    assert template.events.count() >= 2  # every version kept
    with on_day(date(2026, 11, 20)):
        services.petition_reply(case_id=accepted, actor=user("handler"), opinion="已督促用人单位支付。",
                                decided_on=date(2026, 11, 20), served_on=date(2026, 11, 20), service="in_person")
    reply = PetitionDocument.objects.get(petition_id=accepted, kind="reply")
    assert reply.title == "信访事项答复意见书" and reply.body.endswith("已督促用人单位支付。")
    assert "予以受理" in PetitionDocument.objects.get(petition_id=accepted, kind="acceptance").body  # unchanged

    period = StatutoryPeriod.objects.get(period="forward")
    response = client.post(f"/admin/petitions/statutoryperiod/{period.pk}/change/", {
        "limit": 10, "unit": "calendar_days", "remind_before": 2})
    assert response.status_code == 302, response.content.decode()[:2000]
    later = register_letter(date(2026, 11, 30)).case.pk
    # 10 days from Mon 30 Nov: Thu 10 Dec. The petition registered before keeps its 15 days.
    assert read(api_as("petition_clerk"), later, date(2026, 11, 30))["forward_due"]["date"] == "2026-12-10"
