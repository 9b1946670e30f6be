"""/api/v1/grid/: the endpoints the issue lists, in the schema, answering 400 for a
type not admitted or a grid not the worker's, 404 outside the view, 403 for the
wrong role and 409 out of order."""
import pytest

from governance.models import Case
from grid.models import EventType, GridEvent
from tests.grid.conftest import GRID_1, jpeg, pdf, report, to_step

pytestmark = pytest.mark.django_db
URL = "/api/v1/grid/"


def post_report(client, **fields):
    data = {"event_type": "rental_housing", "grid": GRID_1, "description": "群租房楼道堆放杂物",
            "photos": [jpeg()], "latitude": "30.260100", "longitude": "120.120200", **fields}
    return client.post(f"{URL}events/", data, format="multipart")


def test_a_worker_reports_with_photos_and_location(grid_demo, api_as):
    response = post_report(api_as("gridworker"))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number and body["status"] == "reported" and body["kind"] == "grid_event"
    assert body["latitude"] == "30.260100" and len(body["photos"]) == 1
    assert body["photos"][0]["url"].startswith("/grid/photos/")


def test_a_type_not_admitted_is_refused_with_a_clear_message(grid_demo, api_as):
    response = post_report(api_as("gridworker"), event_type="fee_collection")
    assert response.status_code == 400
    assert "准入清单" in response.json()["event_type"][0]
    assert not GridEvent.objects.exists()


def test_a_grid_not_the_workers_is_refused(grid_demo, api_as):
    response = post_report(api_as("gridworker"), grid="33990100100201")  # 石桥村第一网格
    assert response.status_code == 400
    assert "不是你负责的网格" in response.json()["grid"][0]
    response = post_report(api_as("gridworker"), grid="nonsense")
    assert response.status_code == 400 and "grid" in response.json()
    assert not GridEvent.objects.exists()


def test_only_grid_workers_report(grid_demo, api_as):
    response = post_report(api_as("village_clerk"))
    assert response.status_code == 403 and response.json()["detail"]


def test_a_pdf_named_jpg_is_refused_and_nothing_is_saved(grid_demo, api_as):
    response = post_report(api_as("gridworker"), photos=[jpeg(), pdf("现场.jpg")])
    assert response.status_code == 400
    assert "现场.jpg" in str(response.json()) and "JPEG" in str(response.json())
    assert not GridEvent.objects.exists() and not Case.objects.filter(channel="grid_report").exists()


def test_event_types_carry_the_admission_flag(grid_demo, api_as):
    body = api_as("gridworker").get(f"{URL}event-types/").json()
    flags = {row["code"]: row["is_admitted"] for row in body}
    assert flags["rental_housing"] is True and flags["fee_collection"] is False
    admitted = api_as("gridworker").get(f"{URL}event-types/?is_admitted=true").json()
    assert {row["code"] for row in admitted} == set(EventType.objects.filter(is_admitted=True)
                                                   .values_list("code", flat=True))


def test_grids_with_their_worker(grid_demo, api_as):
    mine = api_as("gridworker").get(f"{URL}grids/?mine=true").json()
    assert [g["code"] for g in mine] == ["33990100100101", "33990100100102", "33990100100103"]
    assert mine[0]["worker"] == "gridworker" and mine[0]["is_mine"]
    assert mine[0]["micro_grids"][0]["code"] == "3399010010010101" and mine[0]["micro_grids"][0]["building_heads"]
    county = api_as("leader").get(f"{URL}grids/").json()
    assert len(county) == 27 and sum(1 for g in county if g["worker"] is None) == 6


def step(client, event, name, **data):
    return client.post(f"{URL}events/{event.pk}/{name}/", data, format="multipart")


def test_the_loop_through_the_api(people, api_as):
    created = post_report(api_as("gridworker")).json()
    event = GridEvent.objects.get(pk=created["id"])
    assert step(api_as("village_clerk"), event, "register").json()["status"] == "registered"
    answer = step(api_as("village_clerk"), event, "dispatch", assignee="handler", instruction="请处置")
    assert answer.status_code == 200 and answer.json()["assignee"] == "handler", answer.content
    assert step(api_as("handler"), event, "handle").json()["status"] == "handling"
    answer = step(api_as("handler"), event, "feedback", note="已整改", photos=[jpeg("flower.jpg")])
    assert answer.json()["status"] == "fed_back", answer.content
    answer = step(api_as("gridworker"), event, "verify", passed="true", photos=[jpeg()])
    assert answer.json()["status"] == "verified", answer.content
    assert step(api_as("village_clerk"), event, "close").json()["status"] == "closed"
    answer = step(api_as("village_clerk"), event, "evaluate", rating=5, note="满意")
    assert answer.json()["status"] == "evaluated" and answer.json()["rating"] == 5


def test_refusals_404_403_409(people, api_as):
    event = report(people["gridworker"])
    assert step(api_as("other_town_clerk"), event, "register").status_code == 404
    assert step(api_as("handler"), event, "register").status_code == 404  # nothing dispatched to them yet
    refused = step(api_as("gridworker"), event, "register")
    assert refused.status_code == 403 and refused.json()["detail"]
    conflict = step(api_as("village_clerk"), event, "close")
    assert conflict.status_code == 409 and "结案" in conflict.json()["detail"]
    assert step(api_as("village_clerk"), event, "evaluate", rating=9).status_code == 400
    assert GridEvent.objects.get(pk=event.pk).status == "reported"
    to_step(event, people, "fed_back")
    assert step(api_as("handler"), event, "verify", passed="true").status_code == 403
    assert step(api_as("gridworker"), event, "verify", passed="true").status_code == 400  # the photo on the spot


def test_add_photos_later_keeps_the_report(people, api_as):
    event = report(people["gridworker"], photos=[])
    refused = api_as("gridworker").post(f"{URL}events/{event.pk}/photos/", {"photos": [pdf()]}, format="multipart")
    assert refused.status_code == 400
    added = api_as("gridworker").post(f"{URL}events/{event.pk}/photos/", {"photos": [jpeg()]}, format="multipart")
    assert added.status_code == 200 and len(added.json()["photos"]) == 1


def test_patrols_and_rewards_endpoints(people, api_as):
    from django.utils import timezone
    from datetime import timedelta

    now = timezone.now()
    created = api_as("gridworker").post(f"{URL}patrols/", {
        "grid": GRID_1, "started_at": (now - timedelta(hours=2)).isoformat(),
        "ended_at": (now - timedelta(hours=1)).isoformat(), "route": "1组-3组-村口", "findings": "楼道堆物两处"},
        format="json")
    assert created.status_code == 201 and created.json()["minutes"] == 60, created.content
    other = api_as("gridworker").post(f"{URL}patrols/", {
        "grid": "33990100100201", "started_at": now.isoformat(), "ended_at": now.isoformat()}, format="json")
    assert other.status_code == 400
    assert len(api_as("gridworker").get(f"{URL}patrols/").json()["results"]) == 1
    ledger = api_as("village_clerk").get(f"{URL}rewards/?month={now:%Y-%m}")
    assert ledger.status_code == 200 and ledger.json()["total"] == "0.00"
    assert api_as("village_clerk").get(f"{URL}rewards/?month=2026-13").status_code == 400
    assert api_as("handler").get(f"{URL}rewards/").status_code == 403


def test_the_schema_lists_the_grid_endpoints(grid_demo, api_as):
    schema = api_as("admin").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ["/api/v1/grid/grids/", "/api/v1/grid/event-types/", "/api/v1/grid/events/",
                 "/api/v1/grid/patrols/", "/api/v1/grid/rewards/"]:
        assert path in paths, path
    for name in ["register", "dispatch", "feedback", "verify", "close", "evaluate"]:
        responses = paths[f"/api/v1/grid/events/{{id}}/{name}/"]["post"]["responses"]
        assert {"200", "400", "403", "404", "409"} <= set(responses), name
    assert {"201", "400", "403"} <= set(paths["/api/v1/grid/events/"]["post"]["responses"])
