"""/api/v1/mediation/: the whole way through the API, and its answers: 201/200,
400 for bad input, 403 with the reason, 404 outside the view, 409 in the wrong
state or on a taken slot (naming the session that holds it)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mediation.models import Mediation
from tests.mediation.conftest import NOW, village_dispute

pytestmark = pytest.mark.usefixtures("clock")
API = "/api/v1/mediation"


def iso(moment):
    return moment.isoformat()


@pytest.fixture
def vm_api(api_as):
    return api_as("village_mediator")


def open_and_accept(api, case):
    created = api.post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"}, format="json")
    assert created.status_code == 201, created.content
    accepted = api.post(f"{API}/mediations/{created.json()['id']}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    return accepted.json()


def test_the_whole_way_through_the_api(case, vm_api, village_room, clock):
    created = vm_api.post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "proposed" and body["case"]["number"] == case.number
    assert "专长：邻里" in body["suggestion"]
    mediation_id = body["id"]
    accepted = vm_api.post(f"{API}/mediations/{mediation_id}/accept/", {}, format="json").json()
    assert accepted["status"] == "accepted"
    assert [c["kind"] for c in accepted["clocks"]] == ["mediation.limit"]
    assert accepted["clocks"][0]["label"] == "调解期限"

    start = NOW + timedelta(hours=1)
    booked = vm_api.post(f"{API}/sessions/", {"mediation": mediation_id, "room": village_room.pk,
                                              "starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1))},
                         format="json")
    assert booked.status_code == 201, booked.content
    session = booked.json()
    assert session["room"]["name"] == "调解室" and [p["username"] for p in session["participants"]] == [
        "village_mediator"]
    assert sorted(session["parties"]) == ["李四", "王建国"]

    clock.move_to(start + timedelta(minutes=40))
    minutes = vm_api.post(f"{API}/sessions/{session['id']}/minutes/",
                          {"attendees": "王建国、李四、周桂英", "statements": "双方陈述", "agreed": "赔偿2000元"},
                          format="json")
    assert minutes.status_code == 200 and minutes.json()["minutes"]["agreed"] == "赔偿2000元"

    settled = vm_api.post(f"{API}/mediations/{mediation_id}/outcome/",
                          {"outcome": "success", "facts": "装修噪音", "terms": "赔偿2000元"}, format="json")
    assert settled.status_code == 200, settled.content
    agreement = settled.json()["agreement"]
    assert agreement["state"] == "draft" and agreement["confirmation_last_day"] is None
    assert agreement["parties"][0]["id_number"] == "110105**********2X"  # masked outside the print

    signed = vm_api.post(f"{API}/mediations/{mediation_id}/agreement/",
                         {"action": "sign", "signed_on": f"{timezone.localdate()}"}, format="json")
    assert signed.status_code == 200, signed.content
    detail = vm_api.get(f"{API}/mediations/{mediation_id}/").json()
    assert detail["status"] == "succeeded"
    assert detail["agreement"]["state"] == "signed"
    assert detail["agreement"]["confirmation_last_day"] == "2026-12-31"
    kinds = {c["kind"]: c["state"] for c in detail["clocks"]}
    assert kinds == {"mediation.limit": "met", "mediation.follow_up": "running", "mediation.confirmation": "running"}

    followed = vm_api.post(f"{API}/mediations/{mediation_id}/follow-up/",
                           {"method": "phone", "performance": "fully", "satisfaction": 5}, format="json")
    assert followed.status_code == 200, followed.content
    assert followed.json()["status"] == "closed"
    assert vm_api.get(f"/api/v1/cases/{case.pk}/").json()["status"] == "closed"


def test_a_taken_slot_is_a_409_naming_the_session(case, vm_api, village_room):
    first = open_and_accept(vm_api, case)
    second = open_and_accept(vm_api, village_dispute())
    start = NOW + timedelta(hours=1)
    ok = vm_api.post(f"{API}/sessions/", {"mediation": first["id"], "room": village_room.pk, "starts_at": iso(start),
                                          "ends_at": iso(start + timedelta(hours=1))}, format="json").json()
    clash = vm_api.post(f"{API}/sessions/", {"mediation": second["id"], "room": village_room.pk,
                                             "starts_at": iso(start + timedelta(minutes=30)),
                                             "ends_at": iso(start + timedelta(minutes=90)), "participants": ["clerk"]},
                        format="json")
    assert clash.status_code == 409
    body = clash.json()
    assert body["clashing_session"]["id"] == ok["id"] and body["clashing_session"]["room"] == "调解室"
    assert "该时段已被占用" in body["detail"] and f"调解会{ok['id']}号" in body["detail"]
    back_to_back = vm_api.post(f"{API}/sessions/", {"mediation": second["id"], "room": village_room.pk,
                                                    "starts_at": iso(start + timedelta(hours=1)),
                                                    "ends_at": iso(start + timedelta(hours=2))}, format="json")
    assert back_to_back.status_code == 201


def test_refusals_answer_400_403_404_409(case, api_as, staff):
    vm = api_as("village_mediator")
    assert vm.post(f"{API}/mediations/", {"case": case.pk, "lead": "nobody"}, format="json").status_code == 400
    bad_lead = vm.post(f"{API}/mediations/", {"case": case.pk, "lead": "gridworker"}, format="json")
    assert bad_lead.status_code == 400 and "调解员" in bad_lead.json()["lead"][0]
    assert api_as("other_town_clerk").post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"},
                                           format="json").status_code == 404
    refused = api_as("gridworker").post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"},
                                        format="json")
    assert refused.status_code == 403 and "无权发起调解" in refused.json()["detail"]
    vm = api_as("village_mediator")
    mediation = vm.post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"}, format="json").json()
    again = vm.post(f"{API}/mediations/", {"case": case.pk, "lead": "village_mediator"}, format="json")
    assert again.status_code == 409 and "已在调解中" in again.json()["detail"]
    early = vm.post(f"{API}/mediations/{mediation['id']}/outcome/", {"outcome": "success", "facts": "f", "terms": "t"},
                    format="json")
    assert early.status_code == 409
    no_reason = vm.post(f"{API}/mediations/{mediation['id']}/decline/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert api_as("other_town_clerk").get(f"{API}/mediations/{mediation['id']}/").status_code == 404
    assert api_as("leader").post(f"{API}/mediations/{mediation['id']}/accept/", {},
                                 format="json").status_code == 403
    assert Mediation.objects.get(pk=mediation["id"]).status == "proposed"


def test_lists_filter_and_stay_in_scope(case, api_as):
    vm = api_as("village_mediator")
    mine = open_and_accept(vm, case)
    assert [m["id"] for m in vm.get(f"{API}/mediations/?mine=true").json()["results"]] == [mine["id"]]
    assert vm.get(f"{API}/mediations/?status=accepted&lead=village_mediator").json()["count"] == 1
    assert vm.get(f"{API}/mediations/?status=closed").json()["count"] == 0
    assert api_as("other_town_clerk").get(f"{API}/mediations/").json()["count"] == 0
    assert api_as("town_clerk").get(f"{API}/mediations/?number={case.number}").json()["count"] == 1


def test_suggestions_rooms_mediators_and_the_report(case, api_as):
    vm = api_as("village_mediator")
    suggested = vm.get(f"{API}/mediations/suggest/?case={case.pk}").json()
    assert suggested[0]["lead"]["username"] == "village_mediator" and "专长" in suggested[0]["reason"]
    assert vm.get(f"{API}/mediations/suggest/?case=0").status_code == 404
    rooms = {room["name"] for room in vm.get(f"{API}/rooms/").json()}
    assert {"调解室", "人民调解室", "第一调解室", "第二调解室"} <= rooms
    mediators = vm.get(f"{API}/mediators/").json()
    assert any(m["user"]["username"] == "mediator_court" and m["kind"] == "judicial" for m in mediators)
    report = vm.get(f"{API}/reports/monthly/?month=2026-11").json()
    assert [row["mediator"]["username"] for row in report] == ["village_mediator"]
    assert report[0]["subsidy"] == "800.00"


def test_the_schema_documents_every_answer(api_as):
    schema = api_as("admin").get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in ("/api/v1/mediation/mediations/", "/api/v1/mediation/sessions/",
                 "/api/v1/mediation/mediations/{id}/accept/", "/api/v1/mediation/mediations/{id}/outcome/",
                 "/api/v1/mediation/mediations/{id}/follow-up/", "/api/v1/mediation/mediations/{id}/"):
        assert path in paths, path
    booking = paths["/api/v1/mediation/sessions/"]["post"]["responses"]
    assert {"201", "400", "403", "404", "409"} <= set(booking)
    assert booking["409"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Clash"
    assert "clashing_session" in schema["components"]["schemas"]["Clash"]["properties"]


def test_a_lead_from_elsewhere_declines_and_the_matter_leaves_their_view(case, api_as):
    created = api_as("village_mediator").post(f"{API}/mediations/", {"case": case.pk, "lead": "mediator"},
                                              format="json").json()
    mediator = api_as("mediator")
    assert mediator.get(f"{API}/mediations/{created['id']}/").status_code == 200
    declined = mediator.post(f"{API}/mediations/{created['id']}/decline/", {"reason": "需回避"}, format="json")
    assert declined.status_code == 200 and declined.json() == {"id": created["id"], "detail": "已完成。"}
    assert mediator.get(f"{API}/mediations/{created['id']}/").status_code == 404
