"""The leaders' dashboards on a small known county: every measure computed by hand,
its scope, and drill-down lists that hold exactly the matters counted."""
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from governance.cases import services as case_services
from governance.dashboards import rollup
from governance.models import Organisation, User
from governance.timers.sweep import sweep_clocks
from intake.services import case_link_repeat_visit
from tests.factories import registered_at, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
QINGSHAN, SHIQIAO, LINHE = "339901001001", "339901001002", "339901002001"
QINGSHAN_TOWN, LINHE_TOWN = "339901001000", "339901002000"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


@pytest.fixture
def county(demo, staff):
    """Five matters registered in March 2026 (and one in February):

    A  dispute  青山村  resolved at the village on 4 March, first visit
    B  dispute  青山村  escalated to the town on 9 March, resolved there on 10 March
    C  dispute  石桥村  open, a repeat visit
    D  petition 临河村  resolved on 6 March at the first visit
    E  petition 临河村  a repeat visit, then resolved on 7 March
    F  dispute  青山村  registered in February (outside the period), resolved
    """
    admin = staff("admin")
    cases = {
        "A": registered_at(at(2026, 3, 2), region=region(QINGSHAN)),
        "B": registered_at(at(2026, 3, 2), region=region(QINGSHAN)),
        "C": registered_at(at(2026, 3, 3), region=region(SHIQIAO)),
        "D": registered_at(at(2026, 3, 5), region=region(LINHE), kind="petition"),
        "E": registered_at(at(2026, 3, 5), region=region(LINHE), kind="petition"),
        "F": registered_at(at(2026, 2, 2), region=region(QINGSHAN)),
    }
    with time_machine.travel(at(2026, 3, 4), tick=False):
        case_services.case_resolve(case_id=cases["A"].pk, actor=staff("village_mediator"), note="当场化解")
        case_link_repeat_visit(case_id=cases["C"].pk, actor=staff("clerk"), channel="walk_in")
    with time_machine.travel(at(2026, 3, 6), tick=False):
        case_services.case_resolve(case_id=cases["D"].pk, actor=admin, note="已答复")
        case_link_repeat_visit(case_id=cases["E"].pk, actor=staff("clerk"), channel="hotline")
    with time_machine.travel(at(2026, 3, 7), tick=False):
        case_services.case_resolve(case_id=cases["E"].pk, actor=admin, note="已答复")
    case_services.case_resolve(case_id=cases["F"].pk, actor=admin, note="调解成功")
    with time_machine.travel(at(2026, 3, 9, 11), tick=False):
        assert sweep_clocks().escalated == 1  # B, 5 working days after 2 March (C: 3 March -> 10 March)
    with time_machine.travel(at(2026, 3, 10), tick=False):
        case_services.case_resolve(case_id=cases["B"].pk, actor=staff("town_clerk"), note="镇调委会调解成功")
    rollup.refresh(full=True)
    return cases


def town_leader():
    center = Organisation.objects.get(region__code=QINGSHAN_TOWN, kind="center")
    return User.objects.create(username="town_leader", role="leader", organisation=center, is_staff=True)


def figures(api, **params):
    response = api.get("/api/v1/dashboard/summary/", {**MARCH, **params})
    assert response.status_code == 200, response.content
    return {measure["key"]: measure for measure in response.json()["measures"]}


EXPECTED_COUNTY = {
    # key: (numerator, denominator, the matters the numerator counts)
    "intake": (5, None, "ABCDE"),
    "resolution_rate": (4, 5, "ABDE"),
    "on_time_rate": (4, 4, "ABDE"),
    "first_visit_rate": (1, 2, "D"),
    "repeat_rate": (2, 5, "CE"),
    "in_village": (1, 2, "A"),
    "in_town": (1, 2, "B"),
    "in_county": (0, 2, ""),
    "escalated_village": (1, None, "B"),
    "escalated_town": (0, None, ""),
    "overdue": (0, None, ""),
    "open": (1, None, "C"),
}


def listed(api, url, cases):
    """The numbers of the listed matters, as letters of the fixture (every page)."""
    letters = {case.number: letter for letter, case in cases.items()}
    found, response = [], api.get(url)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        found += [letters.get(row["number"], "?") for row in body["results"]]
        if not body.get("next"):
            return "".join(sorted(found)), body
        response = api.get(body["next"])


def test_every_measure_of_the_county_as_computed_by_hand(api_as, county):
    api = api_as("leader")
    measures = figures(api)
    for key, (numerator, denominator, _letters) in EXPECTED_COUNTY.items():
        figure = measures[key]
        assert (figure["numerator"], figure["denominator"]) == (numerator, denominator), key
        expected = numerator if denominator is None else (round(numerator / denominator, 4) if denominator else None)
        assert figure["value"] == expected, key
        assert figure["definition"] and figure["label"], key


@pytest.mark.parametrize("key", list(EXPECTED_COUNTY))
def test_each_drill_down_lists_exactly_the_matters_counted(api_as, county, key):
    api = api_as("leader")
    figure = figures(api)[key]
    letters, body = listed(api, figure["drilldown"], county)
    assert letters == EXPECTED_COUNTY[key][2]
    assert body["count"] == figure["numerator"]


def test_a_town_leader_counts_only_their_town(api_as, client, county):
    leader = town_leader()
    api = api_as("leader")
    api.force_authenticate(user=leader)
    measures = figures(api)
    assert (measures["intake"]["numerator"], measures["resolution_rate"]["numerator"]) == (3, 2)  # A, B, C
    assert (measures["repeat_rate"]["numerator"], measures["first_visit_rate"]["denominator"]) == (1, 0)
    assert figures(api, region=SHIQIAO)["intake"]["numerator"] == 1  # a village of their town
    assert api.get("/api/v1/dashboard/summary/", {**MARCH, "region": LINHE_TOWN}).status_code == 404
    assert api.get("/api/v1/dashboard/summary/", {**MARCH, "region": LINHE}).status_code == 404
    client.force_login(leader)
    assert client.get("/dashboard/", {**MARCH, "region": LINHE_TOWN}).status_code == 404


def test_the_county_leader_picks_a_town(api_as, county):
    measures = figures(api_as("leader"), region=LINHE_TOWN)
    assert (measures["intake"]["numerator"], measures["first_visit_rate"]["numerator"],
            measures["first_visit_rate"]["denominator"]) == (2, 1, 2)


def test_series_and_their_drill_downs(api_as, county):
    api = api_as("leader")
    places = api.get("/api/v1/dashboard/series/places/", MARCH).json()["series"]
    assert [(p["label"], p["registered"], p["resolved"]) for p in places] == [("青山镇", 3, 2), ("临河镇", 2, 2)]
    for place in places:
        assert listed(api, place["drilldown"], county)[1]["count"] == place["registered"]
    trend = {item["day"]: item["registered"] for item in api.get("/api/v1/dashboard/series/trend/", MARCH).json()[
        "series"]}
    assert trend == {"2026-03-02": 2, "2026-03-03": 1, "2026-03-05": 2}
    funnel = api.get("/api/v1/dashboard/series/funnel/", MARCH).json()["series"]
    assert [(step["key"], step["count"]) for step in funnel] == [("village", 1), ("town", 2), ("county", 2)]
    assert listed(api, funnel[1]["drilldown"], county)[0] == "AB"
    assert api.get("/api/v1/dashboard/series/nothing/", MARCH).status_code == 404


def test_bad_periods_are_refused_in_chinese(api_as, county):
    api = api_as("leader")
    response = api.get("/api/v1/dashboard/summary/", {"from": "2026-03-31", "to": "2026-03-01"})
    assert response.status_code == 400 and "结束" in response.content.decode()
    assert api.get("/api/v1/dashboard/summary/", {"from": "yesterday"}).status_code == 400


def test_only_leaders_see_dashboards(api_as, client, staff, county):
    assert api_as("clerk").get("/api/v1/dashboard/summary/", MARCH).status_code == 403
    client.force_login(staff("clerk"))
    assert client.get("/dashboard/").status_code == 403


def test_the_summary_follows_changes_and_says_how_old_it_is(api_as, staff, county):
    api = api_as("leader")
    before = api.get("/api/v1/dashboard/summary/", MARCH).json()
    case_services.case_resolve(case_id=county["C"].pk, actor=staff("admin"), note="补充化解")
    assert figures(api)["resolution_rate"]["numerator"] == 4  # not refreshed yet: the old figure, dated
    assert date(2026, 3, 3) in rollup.changed_days(since=rollup.refreshed_at())  # C's registration day
    assert rollup.refresh()["days"] < 5  # the changed days, not the county's years
    after = api.get("/api/v1/dashboard/summary/", MARCH).json()
    assert {m["key"]: m["numerator"] for m in after["measures"]}["resolution_rate"] == 5
    assert after["as_of"] > before["as_of"]


def test_the_page_and_its_excel_export_hold_the_same_figures(client, staff, county):
    client.force_login(staff("leader"))
    page = client.get("/dashboard/", MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="chart-categories"' in html and "化解率" in html and "统计截至" in html
    response = client.get("/dashboard/export.xlsx", MARCH)
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert {"指标", "口径说明"} <= set(workbook.sheetnames)
    rows = {row[0]: row[1:] for row in workbook["指标"].iter_rows(min_row=2, values_only=True)}
    figures_shown = {figure["label"]: figure for figure in page.context["figures"]}
    for label, (numerator, denominator, _value) in rows.items():
        assert (numerator, denominator) == (figures_shown[label]["numerator"], figures_shown[label]["denominator"])
    definitions = {row[0]: row[1] for row in workbook["口径说明"].iter_rows(min_row=2, values_only=True)}
    assert all(definitions[label] for label in rows)
