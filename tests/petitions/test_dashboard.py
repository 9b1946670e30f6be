"""Petitions on the leaders' dashboard: by statutory step, each bar listing exactly
its matters."""
from datetime import date

from governance.dashboards import rollup
from tests.petitions.helpers import org, post, register_letter


def test_petitions_by_statutory_step(demo, api_as):
    waiting = register_letter(date(2026, 9, 28))
    forwarded = register_letter(date(2026, 9, 29), petitioners=[{"name": "李梅", "phone": "13700001111"}])
    response = post(api_as("petition_clerk"), forwarded.case.pk, "forward", date(2026, 9, 30),
                    to=org("县人社局").pk, forwarded_on="2026-09-30")
    assert response.status_code == 200, response.content
    rollup.refresh(full=True)
    api = api_as("leader")
    steps = api.get("/api/v1/dashboard/series/petition-steps/", {"from": "2026-09-01", "to": "2026-09-30"}).json()[
        "series"]
    counts = {item["key"]: item["count"] for item in steps}
    assert sum(counts.values()) == 2 and counts.get("registered") == 1
    registered = next(item for item in steps if item["key"] == "registered")
    body = api.get(registered["drilldown"]).json()
    assert [row["number"] for row in body["results"]] == [waiting.case.number] and body["count"] == 1
