"""Mediation's figures on the dashboards (调处率, 调处成功率, 回访满意率), computed by hand
on three matters, with drill-downs that list exactly the matters counted."""
from governance.dashboards import rollup
from mediation import services
from tests.mediation.conftest import NOW, accepted, opened, settled, village_dispute

PERIOD = {"from": "2026-12-01", "to": "2026-12-31"}


def figures(api):
    response = api.get("/api/v1/dashboard/summary/", PERIOD)
    assert response.status_code == 200, response.content
    return {measure["key"]: measure for measure in response.json()["measures"]}


def numbers(api, url):
    body = api.get(url).json()
    return {row["number"] for row in body["results"]}, body["count"]


def test_mediation_figures_and_their_drill_downs(demo, staff, api_as, village_room, clock):
    """Three disputes registered in December: A settled by mediation and followed up
    (satisfied); B in mediation (accepted, no outcome); C proposed then declined (not
    mediated)."""
    vm = staff("village_mediator")
    a, b, c = village_dispute(), village_dispute(), village_dispute()
    services.mediation_follow_up(mediation_id=settled(a, vm, village_room, clock).pk, actor=vm, method="phone",
                                 performance="fully", satisfaction=4)
    accepted(b, vm)
    proposal = opened(c, vm, lead=staff("mediator"))
    services.mediation_decline(mediation_id=proposal.pk, actor=staff("mediator"), reason="与当事人有亲属关系。")
    rollup.refresh(full=True)
    api = api_as("leader")
    measures = figures(api)
    expected = {  # key: (numerator, denominator, the matters the numerator counts)
        "mediation_rate": (2, 3, {a.number, b.number}),
        "mediation_success": (1, 2, {a.number}),
        "satisfaction": (1, 1, {a.number}),
    }
    for key, (numerator, denominator, matters) in expected.items():
        figure = measures[key]
        assert (figure["numerator"], figure["denominator"]) == (numerator, denominator), key
        assert figure["value"] == round(numerator / denominator, 4)
        assert numbers(api, figure["drilldown"]) == (matters, numerator), key
    assert NOW.year == 2026  # the period above is NOW's month
