"""The grid pages: the admission list on the report form, each step's form shown
to whoever may take it, refusals, the grid tree's colours, the map or its list,
and the grid panel on the matter's page."""
from datetime import timedelta

import pytest
from django.test import override_settings

from governance.models import Case, Region
from governance.timers.sweep import sweep_clocks
from grid.models import EventType, GridEvent
from tests.grid.conftest import GRID_1, jpeg, report, to_step

pytestmark = pytest.mark.django_db


def test_the_report_form_offers_admitted_types_and_refuses_the_others(people, client):
    client.force_login(people["gridworker"])
    page = client.get("/grid/report/").content.decode()
    assert "出租房屋隐患" in page and "代收代缴费用" not in page
    assert 'capture="environment"' in page and "青山村第一网格" in page and "石桥村" not in page
    refused = client.post("/grid/report/", {"event_type": EventType.objects.get(code="fee_collection").pk,
                                            "place": Region.objects.get(code=GRID_1).pk,
                                            "description": "请网格员催缴医保费"})
    assert refused.status_code == 400
    assert "不在网格事项准入清单内" in refused.content.decode()
    assert "请网格员催缴医保费" in refused.content.decode()  # what was typed stays
    not_mine = client.post("/grid/report/", {"event_type": EventType.objects.get(code="fire_safety").pk,
                                             "place": Region.objects.get(code="33990100100201").pk,
                                             "description": "楼道堆物"})
    assert not_mine.status_code == 400 and "不是你负责的网格" in not_mine.content.decode()
    assert not GridEvent.objects.exists()


def test_an_admin_takes_a_type_off_the_list_and_it_can_no_longer_be_pushed_to_a_grid_worker(people):
    """The admission list on the other path: dispatching to a grid worker."""
    from django.core.exceptions import ValidationError

    from grid.services import loop

    event = to_step(report(people["gridworker"]), people, "registered")
    EventType.objects.filter(code="rental_housing").update(is_admitted=False)
    with pytest.raises(ValidationError, match="准入清单"):
        loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"], assignee=people["gridworker"])
    loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"], assignee=people["handler"])


def test_each_step_form_shows_only_to_whoever_may_take_it(people, client):
    event = report(people["gridworker"])
    client.force_login(people["gridworker"])
    assert 'id="step-register"' not in client.get(f"/grid/events/{event.pk}/").content.decode()
    client.force_login(people["village_clerk"])
    page = client.get(f"/grid/events/{event.pk}/").content.decode()
    assert 'id="step-register"' in page and 'id="step-urge"' in page and 'id="step-supervise"' not in page
    to_step(event, people, "registered")
    page = client.get(f"/grid/events/{event.pk}/").content.decode()
    assert 'id="step-dispatch"' in page and "人社 · 孙建军" in page and "周桂英" in page
    to_step(GridEvent.objects.get(pk=event.pk), people, "handling")
    client.force_login(people["handler"])
    page = client.get(f"/grid/events/{event.pk}/").content.decode()
    assert 'id="step-feedback"' in page
    client.force_login(people["leader"])
    assert 'id="step-supervise"' in client.get(f"/grid/events/{event.pk}/").content.decode()


def test_refusals_on_pages(people, client):
    event = report(people["gridworker"])
    client.force_login(people["gridworker"])
    forbidden = client.post(f"/grid/events/{event.pk}/register/")
    assert forbidden.status_code == 403 and "承办" in forbidden.content.decode()
    client.force_login(people["other_town_clerk"])
    assert client.post(f"/grid/events/{event.pk}/register/").status_code == 404
    assert client.get(f"/grid/events/{event.pk}/").status_code == 404
    client.force_login(people["village_clerk"])
    out_of_order = client.post(f"/grid/events/{event.pk}/close/", follow=True)
    assert "现在不能“结案”" in out_of_order.content.decode()
    bad = client.post(f"/grid/events/{event.pk}/decline/", {"reason": " "})
    assert bad.status_code == 400 and "请填写理由" in bad.content.decode()
    assert client.post(f"/grid/events/{event.pk}/nonsense/").status_code == 404


def test_feedback_refused_photo_keeps_the_note(people, client):
    event = to_step(report(people["gridworker"]), people, "handling")
    client.force_login(people["handler"])
    from tests.grid.conftest import pdf

    response = client.post(f"/grid/events/{event.pk}/feedback/", {"note": "已拆除违规隔断", "photos": [pdf()]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "已拆除违规隔断" in text and "JPEG" in text
    ok = client.post(f"/grid/events/{event.pk}/feedback/", {"note": "已拆除违规隔断", "photos": [jpeg()]})
    assert ok.status_code == 302 and GridEvent.objects.get(pk=event.pk).status == "fed_back"


def test_the_grid_tree_is_colour_coded(people, client):
    late = to_step(report(people["gridworker"]), people, "dispatched")
    due = Case.objects.get(pk=late.pk).clock("grid.handle").due_at
    sweep_clocks(now=due + timedelta(minutes=1))
    calm = report(people["gridworker"], place="33990100100103")  # reported since: nothing overdue
    client.force_login(people["village_clerk"])
    page = client.get("/grid/overview/").content.decode()
    assert 'grid-row ms-3 danger" data-code="33990100100101"' in page
    assert 'grid-row ms-3 warning" data-code="33990100100103"' in page
    assert 'grid-row ms-3 success" data-code="33990100100102"' in page
    assert "吴海波" in page and calm.pk
    client.force_login(people["leader"])
    county = client.get("/grid/overview/").content.decode()
    assert "无网格员" in county and "文昌社区第一网格" in county
    town = client.get("/grid/overview/?place=339901002000").content.decode()
    assert "临河村" in town and "青山村第一网格" not in town
    client.force_login(people["gridworker"])
    assert client.get("/grid/overview/").status_code == 403


def test_the_map_is_a_list_without_a_tile_server_and_leaflet_with_one(people, client):
    report(people["gridworker"], latitude="30.261000", longitude="120.121000")
    client.force_login(people["village_clerk"])
    page = client.get("/grid/map/").content.decode()
    assert 'id="no-tiles"' in page and "30.261000, 120.121000" in page and "leaflet.js" not in page
    with override_settings(GRID_MAP_TILE_URL="https://tiles.county.example/{z}/{x}/{y}.png"):
        page = client.get("/grid/map/").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in page and "tiles.county.example" in page
    assert "unpkg" not in page and "openstreetmap" not in page


def test_the_matter_page_shows_the_grid_event(people, client):
    event = report(people["gridworker"])
    client.force_login(people["village_clerk"])
    page = client.get(f"/cases/{event.pk}/").content.decode()
    assert 'id="grid-event-panel"' in page and f'href="/grid/events/{event.pk}/"' in page
    assert "网格员吴海波在青山村第一网格上报“出租房屋隐患”" in page  # the timeline, in Chinese
    home = client.get("/").content.decode()
    assert 'href="/grid/"' in home


def test_desks_per_role(people, client):
    event = to_step(report(people["gridworker"]), people, "fed_back")
    for name, queue in [("gridworker", "queue-verify"), ("handler", None), ("village_clerk", "queue-center-verify")]:
        client.force_login(people[name])
        page = client.get("/grid/").content.decode()
        if queue:
            assert f'id="{queue}"' in page and event.case.number in page, name
    client.force_login(people["gridworker"])
    assert 'id="report-button"' in client.get("/grid/").content.decode()
    client.force_login(people["handler"])
    assert client.get("/grid/report/").status_code == 403


def test_lists_take_a_fixed_number_of_queries(people, client, django_assert_max_num_queries):
    for _ in range(6):
        to_step(report(people["gridworker"]), people, "dispatched")
    client.force_login(people["village_clerk"])
    client.get("/grid/")  # warm the session and permission caches
    for url in ["/grid/", "/grid/events/", "/grid/overview/", "/grid/map/", "/api/v1/grid/events/",
                "/api/v1/grid/grids/"]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url


def test_no_window_triage_on_a_grid_event(people, client):
    """The grid loop registers and dispatches grid events: the window's triage button is not offered."""
    event = report(people["gridworker"])
    client.force_login(people["village_clerk"])
    page = client.get(f"/cases/{event.pk}/").content.decode()
    assert f"/intake/cases/{event.pk}/triage/" not in page and 'id="grid-event-link"' in page
