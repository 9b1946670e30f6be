"""Grid events on the leaders' dashboard: by type and by loop step, each bar listing
exactly its matters."""
from governance.dashboards import rollup
from tests.grid.conftest import report, to_step


def series(api, name):
    response = api.get(f"/api/v1/dashboard/series/{name}/", {"from": "2026-01-01"})
    assert response.status_code == 200, response.content
    return {item["key"]: item for item in response.json()["series"]}


def listed(api, url):
    body = api.get(url).json()
    return {row["number"] for row in body["results"]}, body["count"]


def test_grid_events_by_step_and_type(people, api_as):
    worker = people["gridworker"]
    reported = report(worker)
    dispatched = to_step(report(worker, text="楼道堆放杂物，影响消防通道。"), people, "dispatched")
    closed = to_step(report(worker, code="fire_safety", text="小区消防栓无水。"), people, "closed")
    rollup.refresh(full=True)
    api = api_as("leader")
    steps = series(api, "grid-steps")
    assert {key: item["count"] for key, item in steps.items()} == {"reported": 1, "dispatched": 1, "closed": 1}
    assert listed(api, steps["dispatched"]["drilldown"]) == ({dispatched.case.number}, 1)
    types = series(api, "grid-types")
    rental = next(item for item in types.values() if item["count"] == 2)
    assert listed(api, rental["drilldown"]) == ({reported.case.number, dispatched.case.number}, 2)
    assert sum(item["count"] for item in types.values()) == 3 and closed.case.number
