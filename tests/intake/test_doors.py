"""One door, several ways in: the window (then dispatch), the API, Open311 and the
public form must all make the same kind of matter for the same dispute."""
from django.test import Client
from django.urls import reverse

from governance.models import Case, Category, Organisation, Region
from demo.intake import DEMO_OPEN311_KEY

VILLAGE = "339901001001"
NARRATIVE = "楼上邻居装修噪音持续扰民，协商未果"


def shape(case):
    """What a handler relies on, whichever door the matter came through."""
    applicant = case.parties.get(role="applicant")
    return {
        "kind": case.kind, "category": case.category.code, "region": case.region.code, "tier": case.tier,
        "holder": case.holder.name, "status": case.status, "has_deadline": case.deadline is not None,
        "has_reminder": case.clock().remind_at is not None and case.clock().remind_at < case.deadline,
        "applicant": (applicant.name, applicant.phone), "narrative": case.narrative,
        "last_event": case.events.order_by("at", "id").last().type,
    }


def test_window_api_open311_and_public_form_make_the_same_matter(demo, staff, api_as):
    category = Category.objects.get(code="neighbourhood")
    village = Region.objects.get(code=VILLAGE)

    window = Client()
    window.force_login(staff("town_clerk"))
    window.post(reverse("intake-desk"), {
        "kind": "dispute", "channel": "walk_in", "category": category.pk, "region": village.pk,
        "narrative": NARRATIVE, "applicant_name": "王小明", "applicant_phone": "13812345678"})
    at_window = Case.objects.latest("id")
    window.post(reverse("intake-triage-action", args=[at_window.pk, "dispatch"]),
                {"to": Organisation.objects.get(region=village, kind="center").pk})

    api = api_as("clerk").post("/api/v1/cases/", {
        "kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": VILLAGE,
        "narrative": NARRATIVE, "parties": [{"role": "applicant", "name": "王小明", "phone": "13812345678"}],
    }, format="json").json()

    open311 = Client().post("/open311/v2/requests.json", {
        "api_key": DEMO_OPEN311_KEY, "service_code": "neighbourhood", "attribute[region]": VILLAGE,
        "description": NARRATIVE, "first_name": "小明", "last_name": "王", "phone": "13812345678",
        "address_id": VILLAGE}).json()

    Client().post(reverse("public-submit"), {"consent": "on", 
        "name": "王小明", "phone": "13812345678", "category": category.pk, "place": village.pk,
        "narrative": NARRATIVE})
    online = Case.objects.latest("id")

    cases = [at_window, Case.objects.get(number=api["number"]),
             Case.objects.get(number=open311[0]["service_request_id"]), online]
    shapes = [shape(Case.objects.get(pk=case.pk)) for case in cases]
    assert len({case.pk for case in cases}) == 4
    assert all(s == shapes[0] for s in shapes), shapes
    assert shapes[0]["holder"] == "青山村社会治理工作站" and shapes[0]["tier"] == "village"
    assert shapes[0]["status"] == "in_progress" and shapes[0]["last_event"] == "dispatched"
    assert [c.channel for c in cases] == ["walk_in", "hotline", "hotline", "online"]
