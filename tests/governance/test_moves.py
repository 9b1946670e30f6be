"""A leader escalates or assigns down by hand, with a reason, and the timeline shows it."""
import pytest

from governance.models import Organisation
from governance.cases.services import CaseChangeForbidden, InvalidTransition
from governance.supervision.moves import case_move
from tests.factories import CaseFactory, region


def center(code):
    return Organisation.objects.get(region__code=code, kind="center")


def test_leader_escalates_and_assigns_down_with_a_reason(staff):
    leader = staff("leader")
    case = CaseFactory(region=region("33990100100101"))  # a grid: held by its village's center
    case_move(case_id=case.pk, actor=leader, to=center("339901000000"), reason="涉及多个部门，县级联合调处")
    case.refresh_from_db()
    assert (case.tier, case.holder) == ("county", center("339901000000")) and case.deadline
    case_move(case_id=case.pk, actor=leader, to=center("339901001000"), reason="下派乡镇属地化解")
    case.refresh_from_db()
    assert (case.tier, case.holder) == ("town", center("339901001000"))
    moves = list(case.events.filter(type__in=["escalated", "assigned_down"]).values_list("type", "note", "actor"))
    assert moves == [("escalated", "涉及多个部门，县级联合调处", leader.pk), ("assigned_down", "下派乡镇属地化解", leader.pk)]


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(staff, reason):
    case = CaseFactory()
    with pytest.raises(InvalidTransition):
        case_move(case_id=case.pk, actor=staff("leader"), to=center("339901000000"), reason=reason)
    case.refresh_from_db()
    assert case.tier == "village" and case.events.count() == 1


def test_only_centers_above_the_place(staff):
    case = CaseFactory(region=region("339901001001"))
    with pytest.raises(InvalidTransition):  # another town's center
        case_move(case_id=case.pk, actor=staff("leader"), to=center("339901002000"), reason="试试")
    case.refresh_from_db()
    assert case.holder == center("339901001001")


def test_clerks_cannot_move(staff):
    case = CaseFactory()
    with pytest.raises(CaseChangeForbidden):
        case_move(case_id=case.pk, actor=staff("town_clerk"), to=center("339901000000"), reason="理由")


def test_move_through_api_and_page(api_as, client, staff):
    case = CaseFactory()
    response = api_as("leader").post(f"/api/v1/cases/{case.pk}/move/",
                                     {"to": center("339901001000").pk, "reason": "乡镇统筹"})
    assert response.status_code == 200 and response.json()["tier"] == "town"
    assert api_as("leader").post(f"/api/v1/cases/{case.pk}/move/", {"to": center("339901000000").pk}).status_code == 400
    assert api_as("other_town_clerk").post(f"/api/v1/cases/{case.pk}/move/",
                                           {"to": center("339901000000").pk, "reason": "x"}).status_code == 404
    client.force_login(staff("leader"))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "示范县社会治理中心" in page and 'name="reason"' in page
    response = client.post(f"/cases/{case.pk}/move/", {"to": center("339901000000").pk, "reason": "县级督办"},
                           follow=True)
    assert "县级督办" in response.content.decode()
    case.refresh_from_db()
    assert case.tier == "county"
