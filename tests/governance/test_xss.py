"""Whatever a person typed is shown as text, never run: a <script> and payloads that
break out of an HTML attribute, in the narrative, the address, names, notes, the
petition and the grid report, on every page that shows them: the matter's page and
list, the reveal page, the receipt with its clerk's copy, the triage page, the public
status page, the inbox, the petition's page and printed document, the grid event's
page, the admin, Open311's XML and JSON, and every Excel export (where a cell must
never start a formula). The mediation agreement and its page are tried the same way
in tests/mediation/test_agreement.py (test_the_agreement_page_escapes_what_parties_typed)."""
from datetime import date
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from governance.cases.services import case_change_status
from governance.models import AccessLogEntry, Case, Notification, Organisation, User
from governance.notifications import notify_many
from tests.factories import CaseFactory

SCRIPT = '<script>alert("x")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SINGLE = "' onmouseover='alert(1)' x='"
FORMULA = '=HYPERLINK("http://evil.example/","点我")'
PAYLOADS = (SCRIPT, ATTRIBUTE, SINGLE)
TYPED = f"楼上漏水{SCRIPT}{ATTRIBUTE}{SINGLE}"


def assert_inert(body):
    """No payload came through as markup: each appears escaped, if at all."""
    for payload in PAYLOADS:
        assert payload not in body, payload
    assert "<script>alert" not in body and "<img src=x" not in body and "onmouseover='alert" not in body


@pytest.fixture
def typed_case(demo):
    case = CaseFactory(narrative=f"{FORMULA}{TYPED}", address=ATTRIBUTE, parties=[
        {"role": "applicant", "name": f"王{SINGLE}", "id_number": "11010519491231002X", "phone": "13912348888"},
        {"role": "respondent", "name": SCRIPT, "phone": "13800001111"}])
    case_change_status(case_id=case.pk, actor=User.objects.get(username="village_clerk"), action="accept",
                       note=TYPED)
    return case


def test_the_core_pages_show_typed_text_as_text(typed_case, client, staff):
    client.force_login(staff("village_clerk"))
    urls = [reverse("case-detail", args=[typed_case.pk]), reverse("case-list"),
            reverse("case-list") + "?q=楼上漏水", reverse("intake-receipt", args=[typed_case.pk]),
            reverse("intake-triage", args=[typed_case.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    detail = client.get(urls[0]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail and "&quot;&gt;&lt;img src=x" in detail
    assert "&#x27; onmouseover=&#x27;alert(1)" in detail
    for response in (client.post(reverse("case-reveal", args=[typed_case.pk]), {"purpose": SCRIPT}),
                     client.post(reverse("intake-receipt", args=[typed_case.pk]))):
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_the_public_status_page_escapes_the_holders_notes(demo, client):
    case = CaseFactory(channel="online", parties=[{"role": "applicant", "name": "李", "phone": "13812345678"}])
    case_change_status(case_id=case.pk, actor=User.objects.get(username="village_clerk"), action="resolve",
                       note=TYPED)  # a resolution's note is the citizen's answer on the status page
    page = client.post(reverse("public-status"), {"number": case.number, "phone_last4": "5678"}).content.decode()
    assert case.number in page and "&lt;script&gt;" in page
    assert_inert(page)


def test_the_inbox_and_the_notifications_api_escape_notes(typed_case, client, api_as, staff):
    notify_many([Notification(organisation=typed_case.holder, kind="dispatched", case=typed_case, note=TYPED)])
    client.force_login(staff("village_clerk"))
    assert_inert(client.get(reverse("inbox")).content.decode())
    # JSON carries the text as it was typed (a client must escape it), with the right content type.
    response = api_as("village_clerk").get("/api/v1/notifications/")
    assert response["Content-Type"] == "application/json"
    assert [entry["note"] for entry in response.json()["results"]] == [TYPED]


def test_the_admin_escapes_typed_text(typed_case, client, staff):
    client.force_login(staff("admin"))
    for url in (reverse("admin:governance_case_change", args=[typed_case.pk]),
                reverse("admin:governance_auditevent_changelist") + f"?q=governance.case"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_open311_xml_and_json_keep_payloads_as_text(demo, client):
    from intake.models import ApiKey

    key = ApiKey.objects.first().key
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "neighbourhood", "attribute[region]": "339901001001",
        "description": TYPED, "first_name": SCRIPT, "last_name": "王", "phone": "13812345678",
        "address_string": ATTRIBUTE})
    assert response.status_code == 200, response.content
    number = response.json()[0]["service_request_id"]
    xml = client.get(f"/open311/v2/requests/{number}.xml", {"api_key": key})
    root = ElementTree.fromstring(xml.content)  # well-formed: nothing typed broke the document
    assert root.find("request/description").text == TYPED and root.find("request/address").text == ATTRIBUTE
    assert b"<script>" not in xml.content and b"<img" not in xml.content
    assert client.get(f"/open311/v2/requests/{number}.json", {"api_key": key}).json()[0]["description"] == TYPED


def cells(response):
    book = load_workbook(BytesIO(response.content))
    return [(sheet.title, cell) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(response):
    for sheet, cell in cells(response):
        assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
            assert cell.value.startswith("'="), cell.value


def test_excel_exports_never_start_a_formula(typed_case, client, staff, api_as):
    client.force_login(staff("village_clerk"))
    export = client.get(reverse("case-export"), {"q": "楼上漏水"})
    assert any(isinstance(cell.value, str) and SCRIPT in cell.value for _sheet, cell in cells(export))
    assert_no_formula(export)
    assert_no_formula(client.post(reverse("case-export") + "?q=楼上漏水", {"purpose": FORMULA}))
    client.force_login(staff("admin"))
    assert_no_formula(client.get(reverse("admin:governance_accesslogentry_export")))
    assert_no_formula(client.get(reverse("admin:governance_accesslogentry_person"),
                                 {"id_number": "11010519491231002X", "format": "xlsx"}))
    assert AccessLogEntry.objects.filter(purpose=FORMULA).exists()


def test_the_petition_page_and_its_printed_document_escape_typed_text(demo, client, staff, api_as):
    from petitions.models import PetitionDocument
    from tests.petitions.helpers import org, person, post, register_letter, served

    day = date(2026, 11, 2)
    petitioner = person(name=f"王{SCRIPT}", address=ATTRIBUTE)
    case_id = register_letter(day, petitioners=[petitioner]).case.pk
    assert post(api_as("petition_clerk"), case_id, "forward", day, to=org("县人社局").pk,
                forwarded_on=day.isoformat()).status_code == 200
    assert post(api_as("handler"), case_id, "accept", day, **served(day)).status_code == 200
    notice = PetitionDocument.objects.get(petition_id=case_id, kind="acceptance")
    client.force_login(staff("handler"))
    for url in (f"/petitions/{case_id}/", f"/petitions/documents/{notice.pk}/"):
        page = client.get(url).content.decode()
        assert "王&lt;script&gt;" in page, url
        assert_inert(page)


def test_the_grid_event_page_escapes_the_report(demo, client):
    from tests.grid.conftest import report

    from demo.grid import seed_grid

    seed_grid()
    worker = User.objects.get(username="gridworker")
    event = report(worker, text=TYPED)
    browser = Client()
    browser.force_login(User.objects.get(username="village_clerk"))
    for url in (reverse("grid-event", args=[event.pk]), reverse("grid-events")):
        response = browser.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
