"""Ids that are not numbers, or too big for the column, are 404s everywhere: never a 500."""
import pytest
from django.urls import reverse

from governance.models import Organisation
from tests.factories import CaseFactory

ACTIONS = ["dispatch", "joint-mediation", "leader-ownership", "move", "status", "repeat-visit", "flag-risk",
           "resolve-on-spot"]
NOT_IDS = ["null", "abc", "1.5", "-1", "²", "٣", "1e3", "99999999999999999999999"]


def valid_payload(action):
    """A body each action accepts, so the answer is about the id, not the body."""
    county_center = Organisation.objects.get(region__code="339901000000", kind="center")
    department = Organisation.objects.filter(kind="department").first()
    return {
        "dispatch": {"to": county_center.pk}, "joint-mediation": {"organisations": [department.pk]},
        "leader-ownership": {"leader": "leader"}, "move": {"to": county_center.pk, "reason": "x"},
        "status": {"action": "accept"}, "repeat-visit": {}, "flag-risk": {"note": "x"},
        "resolve-on-spot": {"note": "x"},
    }[action]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("case_id", NOT_IDS)
def test_every_case_action_answers_404_for_an_id_that_is_not_one(demo, api_as, action, case_id):
    response = api_as("admin").post(f"/api/v1/cases/{case_id}/{action}/", valid_payload(action), format="json")
    assert response.status_code == 404, (action, case_id, response.status_code, response.content)


@pytest.mark.parametrize("case_id", NOT_IDS)
def test_reading_a_case_answers_404_for_an_id_that_is_not_one(demo, api_as, case_id):
    client = api_as("admin")
    assert client.get(f"/api/v1/cases/{case_id}/").status_code == 404
    assert client.get(f"/api/v1/cases/{case_id}/events/").status_code == 404


@pytest.mark.parametrize("path", ["/cases/{}/", "/intake/cases/{}/triage/", "/intake/cases/{}/receipt/"])
@pytest.mark.parametrize("case_id", ["null", "²", "99999999999999999999999"])
def test_pages_answer_404_for_an_id_that_is_not_one(demo, client, staff, path, case_id):
    client.force_login(staff("admin"))
    assert client.get(path.format(case_id)).status_code == 404


def test_posted_ids_that_are_not_ascii_numbers_are_messages_not_500s(demo, client, staff):
    client.force_login(staff("clerk"))
    case = CaseFactory(holder=staff("clerk").organisation)
    for action, field in [("joint", "members"), ("dispatch", "to"), ("leader", "leader")]:
        response = client.post(reverse("intake-triage-action", args=[case.pk, action]), {field: ["²", "٣"]})
        assert response.status_code == 302, (action, response.status_code)
    response = client.post(reverse("intake-desk"), {"region": "²", "narrative": "x"})
    assert response.status_code == 400
