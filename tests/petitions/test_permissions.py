"""Who may take which step: 404 outside the view, 403 seen but not allowed (with
the reason in Chinese), 409 in the wrong step; refused steps change nothing.
The roles' rights come from the role table (the groups are never seeded here)."""
from datetime import date

import pytest
from django.contrib.auth.models import Group

from governance.models import CaseEvent
from petitions.models import Petition
from tests.petitions.helpers import on_day, org, post, register_letter, served

DAY = date(2026, 11, 2)


@pytest.fixture
def forwarded(db, api_as):
    case_id = register_letter(DAY).case.pk
    response = post(api_as("petition_clerk"), case_id, "forward", DAY, to=org("县人社局").pk,
                    forwarded_on=DAY.isoformat())
    assert response.status_code == 200, response.content
    return case_id


def test_the_role_groups_hold_the_apps_rows(db):
    def rights(role):
        return set(Group.objects.get(name=role).permissions.filter(content_type__app_label="petitions")
                   .values_list("codename", flat=True))

    assert {"register_petition", "forward_petition", "handle_petition", "book_reception"} <= rights("clerk")
    assert rights("handler") == {"handle_petition"}
    assert {"approve_extension", "own_petition"} <= rights("leader") and "register_petition" not in rights("leader")
    assert rights("grid_worker") == set() and rights("mediator") == set()


@pytest.mark.parametrize("username, code, words", [
    ("other_town_clerk", 404, ""),  # another town's clerk does not see it
    ("housing_handler", 404, ""),  # another department does not see it
    ("gridworker", 403, "岗位"),  # the village's grid worker sees it (its place) but may not decide
    ("petition_clerk", 403, "不由您所在单位承办"),  # the office forwarded it: it sees, no longer holds
])
def test_who_may_accept_a_forwarded_petition(forwarded, api_as, username, code, words):
    before = CaseEvent.objects.filter(case_id=forwarded).count()
    response = post(api_as(username), forwarded, "accept", DAY, **served(DAY))
    assert response.status_code == code, response.content
    assert words in response.json().get("detail", "")
    assert Petition.objects.get(pk=forwarded).step == "forwarded"
    assert CaseEvent.objects.filter(case_id=forwarded).count() == before


def test_the_holder_accepts_once(forwarded, api_as):
    assert post(api_as("handler"), forwarded, "accept", DAY, **served(DAY)).status_code == 200
    again = post(api_as("handler"), forwarded, "accept", DAY, **served(DAY))
    assert again.status_code == 409 and "已受理" in again.json()["detail"]


def test_a_handler_does_not_forward_and_a_clerk_of_another_body_does_not_register_for_it(forwarded, api_as):
    response = post(api_as("handler"), forwarded, "forward", DAY, to=org("县住建局").pk, forwarded_on=DAY.isoformat())
    assert response.status_code == 403 and "转送" in response.json()["detail"]


@pytest.mark.parametrize("body, field", [
    ({"decided_on": "2026-11-01"}, "decided_on"),  # before the body received it
    ({"served_on": "2026-11-01"}, "served_on"),  # served before the decision
    ({"decided_on": "2026-11-03"}, "decided_on"),  # in the future
    ({"service": "fax"}, "service"),
])
def test_dates_out_of_the_laws_order_are_refused(forwarded, api_as, body, field):
    response = post(api_as("handler"), forwarded, "accept", DAY, **{**served(DAY), **body})
    assert response.status_code == 400 and field in response.json(), response.content
    assert Petition.objects.get(pk=forwarded).step == "forwarded"


def test_steps_of_a_petition_in_another_step_are_409(forwarded, api_as):
    for action, body in [("reply", {"opinion": "x", **served(DAY)}), ("decide-review", {"opinion": "x", **served(DAY)}),
                         ("pause", {"on": DAY.isoformat()}), ("request-review", {"requested_on": DAY.isoformat()})]:
        who = "petition_clerk" if action == "request-review" else "handler"
        response = post(api_as(who), forwarded, action, DAY, **body)
        assert response.status_code == 409, (action, response.content)


def test_unknown_ids_are_404(db, api_as):
    assert api_as("petition_clerk").get("/api/v1/petitions/999999/").status_code == 404
    assert api_as("petition_clerk").get("/api/v1/petitions/null/").status_code == 404
    assert post(api_as("handler"), 999999, "accept", DAY, **served(DAY)).status_code == 404


def test_the_list_is_scoped(forwarded, api_as):
    assert [p["id"] for p in api_as("handler").get("/api/v1/petitions/").json()["results"]] == [forwarded]
    assert api_as("housing_handler").get("/api/v1/petitions/").json()["results"] == []
    # The office keeps following what it forwarded.
    assert [p["id"] for p in api_as("petition_clerk").get("/api/v1/petitions/?status=forwarded").json()["results"]] == [
        forwarded]


def test_the_organ_that_replied_does_not_register_a_review_of_it(forwarded, api_as):
    handler = api_as("handler")
    assert post(handler, forwarded, "accept", DAY, **served(DAY)).status_code == 200
    assert post(handler, forwarded, "reply", DAY, opinion="已处理。", **served(DAY)).status_code == 200
    response = post(handler, forwarded, "request-review", DAY, requested_on=DAY.isoformat())
    assert response.status_code == 409 and "上一级" in response.json()["detail"]
    assert Petition.objects.get(pk=forwarded).step == "replied"


def test_a_matter_resolved_on_its_own_page_does_not_block_the_statutory_reply(forwarded, api_as):
    handler = api_as("handler")
    assert post(handler, forwarded, "accept", DAY, **served(DAY)).status_code == 200
    with on_day(DAY):
        assert handler.post(f"/api/v1/cases/{forwarded}/status/", {"action": "resolve", "note": "已协调"},
                            format="json").status_code == 200
    response = post(handler, forwarded, "reply", DAY, opinion="已处理。", **served(DAY))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied" and response.json()["case_status"] == "resolved"
