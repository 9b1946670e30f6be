"""Grants of single matters: those given for a joint mediation end with it."""
import pytest

from governance.cases.services import InvalidTransition, case_change_status, case_end_joint_mediation, case_grant
from governance.models import Case, Organisation, User
from intake import services as intake
from tests.factories import CaseFactory, region

VILLAGE = "339901001001"


@pytest.fixture
def joint(demo, staff):
    """A matter in joint mediation led by the county center, the county's justice bureau joining."""
    bureau = Organisation.objects.get(name="县司法局")
    member = User.objects.create(username="justice_handler", organisation=bureau, role="handler")
    case = CaseFactory(region=region(VILLAGE), holder=staff("clerk").organisation)
    intake.case_joint_mediation(case_id=case.pk, actor=staff("clerk"), organisations=[bureau], note="联合调处")
    return case, member


def visible_to(user, case):
    return Case.objects.restrict(User.objects.get(pk=user.pk)).filter(pk=case.pk).exists()


def test_members_see_and_change_the_matter_while_the_joint_mediation_lasts(joint, api_as):
    case, member = joint
    assert visible_to(member, case)
    assert Case.objects.restrict(member, "change").filter(pk=case.pk).exists()


@pytest.mark.parametrize("action", ["resolve", "mark_unresolved", "terminate"])
def test_leaving_the_open_statuses_ends_the_members_grants_with_an_event(joint, staff, action):
    case, member = joint
    leader = staff("leader")
    case_grant(case_id=case.pk, to_user=staff("other_town_clerk"), actor=leader)  # a standing grant
    if action == "mark_unresolved":
        assert Case.objects.get(pk=case.pk).status == "in_progress"
    case_change_status(case_id=case.pk, actor=staff("clerk"), action=action, note="联合调解结束")
    assert not visible_to(member, case)
    ended = case.events.get(type="access_ended")
    assert ended.data == {"purpose": "joint_mediation", "users": ["justice_handler"]}
    assert not ended.is_public and "联合调解已结束" in ended.note
    assert visible_to(staff("other_town_clerk"), case)  # not given for the joint mediation: stays


def test_a_refused_status_change_keeps_the_grants(joint, staff):
    case, member = joint
    with pytest.raises(InvalidTransition):
        case_change_status(case_id=case.pk, actor=staff("clerk"), action="close")
    assert visible_to(member, case) and not case.events.filter(type="access_ended").exists()


def test_an_app_can_end_the_joint_mediation_before_the_matter_ends(joint, staff):
    case, member = joint
    case_end_joint_mediation(case_id=case.pk, actor=staff("clerk"), note="调解达成协议，转回中心办理")
    assert not visible_to(member, case)
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert case.events.get(type="access_ended").note == "调解达成协议，转回中心办理"
    with pytest.raises(InvalidTransition):  # nothing left to end
        case_end_joint_mediation(case_id=case.pk, actor=staff("clerk"))


def test_a_member_who_already_had_a_standing_grant_keeps_it(demo, staff):
    bureau = Organisation.objects.get(name="县司法局")
    member = User.objects.create(username="justice_handler2", organisation=bureau, role="handler")
    case = CaseFactory(region=region(VILLAGE), holder=staff("clerk").organisation)
    case_grant(case_id=case.pk, to_user=member, actor=staff("leader"))
    intake.case_joint_mediation(case_id=case.pk, actor=staff("clerk"), organisations=[bureau])
    case_change_status(case_id=case.pk, actor=staff("clerk"), action="resolve", note="已化解")
    assert visible_to(member, case)
