"""Control characters are stripped at every door, and every Open311 XML answer is
well-formed whatever is stored (one \\x07 in a narrative broke requests.xml for 90 days)."""
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from demo.intake import DEMO_OPEN311_KEY
from governance.models import Case, CaseEvent, Category, Party, Region
from governance.text import CONTROL_CHARACTERS, strip_control_characters, xml_text
from tests.factories import CaseFactory

VILLAGE = "339901001001"
BELL = "\x07"
DIRTY = f"楼上{BELL}漏水\x0c，\x1b[31m物业不管\x7f\x85"


def clean(case):
    """Every text the matter holds, its parties' and its events' notes, free of control characters."""
    texts = [case.narrative, case.address, case.text.narrative, case.text.search_text]
    texts += [value for party in Party.objects.filter(case=case) for value in (party.name, party.address)]
    texts += list(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    return not any(CONTROL_CHARACTERS.search(text) for text in texts)


def test_strip_keeps_what_people_type():
    assert strip_control_characters("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"
    assert strip_control_characters(DIRTY) == "楼上漏水，[31m物业不管"
    assert xml_text("a\x07b\ud800c\ufffed\x85e") == "abcd\x85e"  # \x85 is legal XML 1.0


def test_the_desk(demo, client, staff):
    client.force_login(staff("clerk"))
    response = client.post(reverse("intake-desk"), {
        "kind": "dispute", "channel": "walk_in", "category": Category.objects.get(code="neighbourhood").pk,
        "region": Region.objects.get(code=VILLAGE).pk, "address": f"青山村{BELL}3组", "narrative": DIRTY,
        "applicant_name": f"王{BELL}小明", "applicant_phone": "13812345678", "applicant_address": f"{BELL}12号",
    })
    assert response.status_code == 302
    case = Case.objects.latest("id")
    assert case.narrative == "楼上漏水，[31m物业不管" and clean(case)
    assert case.parties.get().name == "王小明"


def test_the_public_form(demo):
    client = Client()
    response = client.post(reverse("public-submit"), {"consent": "on", 
        "name": f"李{BELL}秀英", "phone": "13812345678", "category": Category.objects.get(code="neighbourhood").pk,
        "place": Region.objects.get(code=VILLAGE).pk, "address": BELL, "narrative": DIRTY + "，协商多次未果。",
    })
    assert response.status_code == 302
    assert clean(Case.objects.latest("id"))


def test_open311(demo):
    response = Client().post("/open311/v2/requests.json", {
        "api_key": DEMO_OPEN311_KEY, "service_code": "neighbourhood", "attribute[region]": VILLAGE,
        "description": DIRTY, "first_name": f"小{BELL}明", "last_name": "王", "phone": "13812345678",
        "address_string": f"青山村{BELL}3组",
    })
    assert response.status_code == 200, response.content.decode()
    assert clean(Case.objects.latest("id"))


@pytest.mark.parametrize("format", ["json", "multipart"])
def test_the_api_in_json_and_in_forms(demo, api_as, format):
    body = {"category": "neighbourhood", "region": VILLAGE, "narrative": DIRTY, "address": BELL,
            "parties": [{"role": "applicant", "name": f"张{BELL}三", "phone": "13812345678"}]}
    client = api_as("clerk")
    if format == "json":
        response = client.post("/api/v1/cases/", body, format="json")
        assert response.status_code == 201, response.content
        case = Case.objects.get(pk=response.json()["id"])
        assert clean(case)
    else:  # the triage actions take form bodies too
        case = CaseFactory(holder=staff_org(api_as))
        response = client.post(f"/api/v1/cases/{case.pk}/resolve-on-spot/", {"note": f"当场{BELL}化解"})
        assert response.status_code == 200, response.content
        assert clean(case) and case.events.last().note == "当场化解"


def staff_org(api_as):
    from governance.models import User

    return User.objects.get(username="clerk").organisation


def test_a_page_note(demo, client, staff):
    client.force_login(staff("clerk"))
    case = CaseFactory(holder=staff("clerk").organisation)
    client.post(reverse("case-change-status", args=[case.pk]), {"action": "resolve", "note": f"已{BELL}调解"})
    assert case.events.last().note == "已调解"


@pytest.mark.parametrize("path", ["requests.xml", "requests/{number}.xml"])
def test_open311_xml_is_well_formed_whatever_is_stored(demo, path):
    """Stored before the doors stripped them (or written by a script): the XML still parses."""
    response = Client().post("/open311/v2/requests.json", {
        "api_key": DEMO_OPEN311_KEY, "service_code": "neighbourhood", "attribute[region]": VILLAGE,
        "description": "楼上漏水", "first_name": "小明", "last_name": "王", "phone": "13812345678",
        "address_string": "青山村3组",
    })
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    Case.objects.filter(pk=case.pk).update(narrative=DIRTY, address=f"青山村{BELL}3组")
    answer = Client().get("/open311/v2/" + path.format(number=case.number), {"api_key": DEMO_OPEN311_KEY})
    root = ElementTree.fromstring(answer.content)
    assert root.find("request/description").text == "楼上漏水，[31m物业不管\x7f\x85"  # legal in XML 1.0
