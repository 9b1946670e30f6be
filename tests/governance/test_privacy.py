"""Personal data: masked wherever it appears, revealed on purpose by those who may,
and every full sight (a reveal, a print, an export) in the append-only access log,
which admins list, export and search for a person (PIPL art. 45)."""
from io import BytesIO

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import AccessLogEntry, Case, Notification
from governance.notifications import notify_many
from tests.factories import CaseFactory

ID, PHONE = "11010519491231002X", "13912348888"
ID_MASKED, PHONE_MASKED = "110105**********2X", "139****8888"
RESPONDENT_PHONE = "13700001234"


@pytest.fixture
def case(demo):
    """A dispute held by 青山村社会治理工作站 (village_clerk, village_mediator, gridworker work there)."""
    return CaseFactory(parties=[
        {"role": "applicant", "name": "王建国", "id_number": ID, "phone": PHONE},
        {"role": "respondent", "name": "李四", "phone": RESPONDENT_PHONE},
    ])


def assert_masked(body):
    assert ID not in body and PHONE not in body and RESPONDENT_PHONE not in body


# -- masked by default -------------------------------------------------------------

def test_numbers_are_masked_on_the_pages_the_api_and_the_admin(case, client, api_as, staff):
    client.force_login(staff("village_clerk"))
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert_masked(page)
    assert ID_MASKED in page and PHONE_MASKED in page and 'id="reveal"' in page
    assert_masked(client.get(reverse("case-list"), {"q": "王建国"}).content.decode())
    assert_masked(client.get(reverse("intake-receipt", args=[case.pk])).content.decode())
    api = api_as("village_clerk")
    assert_masked(api.get(f"/api/v1/cases/{case.pk}/").content.decode())
    assert_masked(api.get("/api/v1/cases/").content.decode())
    client.force_login(staff("admin"))
    assert_masked(client.get(reverse("admin:governance_case_change", args=[case.pk])).content.decode())


def test_a_notification_carries_no_personal_number(case, client, staff):
    village = case.holder
    notify_many([Notification(organisation=village, kind="dispatched", case=case,
                              note=f"请联系申请人 {case.parties.get(role='applicant').name}")])
    client.force_login(staff("village_clerk"))
    assert_masked(client.get(reverse("inbox")).content.decode())
    assert_masked(client.get("/api/v1/notifications/").content.decode())


def test_the_export_is_masked_unless_the_exporter_may_and_asks(case, client, staff):
    client.force_login(staff("village_clerk"))
    masked = client.get(reverse("case-export"), {"q": "王建国"})
    assert masked.status_code == 200 and not AccessLogEntry.objects.exists()
    cells = [c for row in load_workbook(BytesIO(masked.content)).active.iter_rows(values_only=True) for c in row]
    assert ID_MASKED in cells and PHONE_MASKED + "；" + "137****1234" in cells and ID not in cells
    # Asking without a purpose: refused, nothing exported, nothing logged.
    refused = client.post(reverse("case-export") + "?q=王建国", {"purpose": " "})
    assert refused.status_code == 302 and not AccessLogEntry.objects.exists()
    full = client.post(reverse("case-export") + "?q=王建国", {"purpose": "核对当事人信息"})
    cells = [c for row in load_workbook(BytesIO(full.content)).active.iter_rows(values_only=True) for c in row]
    assert ID in cells and f"{PHONE}；{RESPONDENT_PHONE}" in cells
    entry = AccessLogEntry.objects.get()
    assert (entry.user.username, entry.action, entry.case_id, entry.purpose) == (
        "village_clerk", "export", case.pk, "核对当事人信息")
    # The town's clerk sees the matter but does not hold it: even asking, masked.
    client.force_login(staff("town_clerk"))
    town = client.post(reverse("case-export") + "?q=王建国", {"purpose": "核对当事人信息"})
    cells = [c for row in load_workbook(BytesIO(town.content)).active.iter_rows(values_only=True) for c in row]
    assert ID not in cells and ID_MASKED in cells and AccessLogEntry.objects.count() == 1


# -- revealed on purpose ----------------------------------------------------------------

def test_the_holder_reveals_on_the_page_with_a_purpose_and_it_is_logged(case, client, staff):
    client.force_login(staff("village_clerk"))
    response = client.post(reverse("case-reveal", args=[case.pk]), {"purpose": "电话回访申请人", "fields": ["phone"]},
                           REMOTE_ADDR="10.1.2.3")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert PHONE in page and RESPONDENT_PHONE in page and ID not in page and ID_MASKED in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user.username, entry.action, entry.case_id, entry.fields, entry.purpose, entry.address) == (
        "village_clerk", "reveal", case.pk, ["phone"], "电话回访申请人", "10.1.2.3")
    assert sorted(entry.parties) == sorted(case.parties.values_list("pk", flat=True))


def test_a_reveal_without_a_purpose_shows_nothing_and_logs_nothing(case, client, staff):
    client.force_login(staff("village_clerk"))
    response = client.post(reverse("case-reveal", args=[case.pk]), {"purpose": "  "}, follow=True)
    page = response.content.decode()
    assert_masked(page) and "目的" in page
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("username, status", [
    ("village_mediator", 200),  # the holding station's mediator
    ("admin", 200),  # administrators
    ("town_clerk", 403),  # sees the matter (the town's places) but does not hold it
    ("leader", 403),  # the county's leader sees it, does not hold it
    ("gridworker", 403),  # works at the holding station, but grid workers never reveal
    ("other_town_clerk", 404),  # does not see it at all
])
def test_who_may_reveal_through_the_api(case, api_as, username, status):
    response = api_as(username).post(f"/api/v1/cases/{case.pk}/reveal/", {"purpose": "核实身份"}, format="json")
    assert response.status_code == status, response.content
    if status == 200:
        parties = {p["name"]: p for p in response.json()["parties"]}
        assert parties["王建国"]["id_number"] == ID and parties["王建国"]["phone"] == PHONE
        assert response["Cache-Control"] == "no-store"
        assert AccessLogEntry.objects.get().user.username == username
    else:
        assert ID not in response.content.decode() and not AccessLogEntry.objects.exists()


def test_the_api_wants_a_purpose_and_known_fields(case, api_as):
    api = api_as("village_clerk")
    assert api.post(f"/api/v1/cases/{case.pk}/reveal/", {}, format="json").status_code == 400
    bad = api.post(f"/api/v1/cases/{case.pk}/reveal/", {"purpose": "核实", "fields": ["address"]}, format="json")
    assert bad.status_code == 400 and "fields" in bad.json()
    assert not AccessLogEntry.objects.exists()


def test_whoever_registered_the_matter_may_reveal_it_after_it_went_elsewhere(demo, staff, api_as):
    case = CaseFactory(actor=staff("town_clerk"), parties=[{"role": "applicant", "name": "赵六", "phone": PHONE}])
    assert case.holder.name != "青山镇社会治理中心"
    assert api_as("town_clerk").post(f"/api/v1/cases/{case.pk}/reveal/", {"purpose": "补打回执"},
                                     format="json").status_code == 200


# -- prints ----------------------------------------------------------------------------

def test_the_receipts_clerk_copy_carries_full_numbers_and_is_logged(case, client, staff):
    client.force_login(staff("village_clerk"))
    citizen = client.get(reverse("intake-receipt", args=[case.pk])).content.decode()
    assert_masked(citizen) and 'id="clerk-copy-button"' in citizen
    both = client.post(reverse("intake-receipt", args=[case.pk])).content.decode()
    assert 'id="clerk-copy"' in both and ID in both and PHONE in both
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.case_id, entry.user.username) == ("print_receipt", case.pk, "village_clerk")
    assert set(entry.fields) == {"id_number", "phone"}
    client.force_login(staff("town_clerk"))  # sees, does not hold: the citizen's copy only
    assert 'clerk-copy-button' not in client.get(reverse("intake-receipt", args=[case.pk])).content.decode()
    assert client.post(reverse("intake-receipt", args=[case.pk])).status_code == 403
    assert AccessLogEntry.objects.count() == 1


# -- the log -----------------------------------------------------------------------------

def test_the_access_log_is_append_only(case, api_as, staff):
    api_as("village_clerk").post(f"/api/v1/cases/{case.pk}/reveal/", {"purpose": "核实身份"}, format="json")
    entry = AccessLogEntry.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get().purpose == "核实身份"


def test_admins_list_export_and_answer_a_persons_request(case, client, api_as, staff):
    api_as("village_clerk").post(f"/api/v1/cases/{case.pk}/reveal/", {"purpose": "核实身份"}, format="json")
    other = CaseFactory(parties=[{"role": "applicant", "name": "孙七", "id_number": "110105195001010019",
                                  "phone": "13600000000"}])
    api_as("village_clerk").post(f"/api/v1/cases/{other.pk}/reveal/", {"purpose": "回访"}, format="json")
    client.force_login(staff("admin"))
    listing = client.get(reverse("admin:governance_accesslogentry_changelist"), {"q": case.number})
    assert listing.status_code == 200 and "核实身份" in listing.content.decode()
    exported = client.get(reverse("admin:governance_accesslogentry_export"), {"q": case.number})
    rows = list(load_workbook(BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "village_clerk" and rows[1][4] == case.number and rows[1][7] == "核实身份"
    # PIPL art. 45: everything held about 王建国 and who saw it, and nothing about 孙七.
    answer = client.get(reverse("admin:governance_accesslogentry_person"), {"id_number": ID}).content.decode()
    assert case.number in answer and "王建国" in answer and "核实身份" in answer
    assert other.number not in answer and "回访" not in answer
    workbook = load_workbook(BytesIO(client.get(reverse("admin:governance_accesslogentry_person"),
                                                {"id_number": ID, "format": "xlsx"}).content))
    held, seen = workbook.worksheets
    assert [r[0] for r in held.iter_rows(min_row=2, values_only=True)] == [case.number]
    assert [r[7] for r in seen.iter_rows(min_row=2, values_only=True)] == ["核实身份"]
    # Staff who are not administrators do not read the log.
    client.force_login(staff("village_clerk"))
    assert client.get(reverse("admin:governance_accesslogentry_changelist")).status_code in (302, 403)


def test_a_petition_document_shows_full_numbers_only_to_whoever_may_reveal_and_logs_each_print(
        demo, client, api_as, staff):
    from datetime import date

    from petitions.models import PetitionDocument
    from tests.petitions.helpers import org, post, register_letter, served

    day = date(2026, 11, 2)
    case_id = register_letter(day).case.pk  # 王建国, 11010519491231002X, 13912348888
    post(api_as("petition_clerk"), case_id, "forward", day, to=org("县人社局").pk, forwarded_on=day.isoformat())
    post(api_as("handler"), case_id, "accept", day, **served(day))
    notice = PetitionDocument.objects.get(petition_id=case_id, kind="acceptance")
    url = f"/petitions/documents/{notice.pk}/"
    client.force_login(staff("handler"))  # 县人社局 holds it
    page = client.get(url).content.decode()
    assert ID in page and PHONE in page
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.case_id, entry.object_type, entry.object_id, entry.user.username) == (
        "print_notice", case_id, "petitions.petitiondocument", notice.pk, "handler")
    assert "信访事项受理告知书" in entry.purpose
    client.force_login(staff("admin"))
    assert ID in client.get(url).content.decode() and AccessLogEntry.objects.count() == 2
    client.force_login(staff("petition_clerk"))  # registered it (took the numbers in): may print them
    assert ID in client.get(url).content.decode() and AccessLogEntry.objects.count() == 3
    client.force_login(staff("leader"))  # the county's leader sees it, neither holds nor registered it
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert_masked(page)
    assert ID_MASKED in page and AccessLogEntry.objects.count() == 3
