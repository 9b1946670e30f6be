"""Instant escalation on a signal: a risk flag, the third police referral."""
import pytest
from django.urls import reverse

from governance.models import Notification, Organisation, SignalRule
from governance.cases.services import InvalidTransition
from governance.supervision.signals import case_flag_risk, count_police_referral
from tests.factories import CaseFactory

COUNTY = "339901000000"


def county_center():
    return Organisation.objects.get(region__code=COUNTY, kind="center")


def test_risk_flag_escalates_straight_to_the_county(demo, staff):
    case = CaseFactory()
    village_center = case.holder
    case_flag_risk(case_id=case.pk, actor=staff("village_mediator"), note="当事人扬言要跳楼")
    case.refresh_from_db()
    assert (case.tier, case.holder) == ("county", county_center())
    assert case.risk_flagged_at is not None
    escalated = case.events.get(type="escalated")
    assert escalated.data["signal"] == "extreme_risk" and escalated.from_holder == village_center
    assert not escalated.is_public  # the citizen's timeline never reads "risk of extreme action"
    assert list(case.events.values_list("type", flat=True)) == ["created", "risk_flagged", "escalated"]
    assert Notification.objects.filter(case=case, organisation=county_center(), kind="escalated").exists()
    with pytest.raises(InvalidTransition):
        case_flag_risk(case_id=case.pk, actor=staff("leader"), note="再次标记")


def test_risk_flag_needs_a_description_and_keeps_the_matter(demo, staff):
    case = CaseFactory()
    with pytest.raises(InvalidTransition):
        case_flag_risk(case_id=case.pk, actor=staff("village_mediator"), note="  ")
    case.refresh_from_db()
    assert case.tier == "village" and case.risk_flagged_at is None


def test_inactive_rule_flags_without_moving(demo, staff):
    SignalRule.objects.filter(signal="extreme_risk").update(is_active=False)
    case = CaseFactory()
    case_flag_risk(case_id=case.pk, actor=staff("village_mediator"), note="情绪激动")
    case.refresh_from_db()
    assert case.tier == "village" and case.risk_flagged_at is not None


def test_third_police_referral_escalates(demo):
    case = CaseFactory()
    for expected_tier in ["village", "village", "county"]:
        count_police_referral(case, actor=None)
        case.refresh_from_db()
        assert case.tier == expected_tier
    assert case.police_referrals == 3
    count_police_referral(case, actor=None)  # a fourth referral does not move it again
    assert case.events.filter(type="escalated").count() == 1


def test_flag_from_the_page(demo, client, staff):
    case = CaseFactory()
    client.force_login(staff("village_mediator"))
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert reverse("case-flag-risk", args=[case.pk]) in page
    client.post(reverse("case-flag-risk", args=[case.pk]), {"note": "扬言报复"})
    case.refresh_from_db()
    assert case.tier == "county"


def test_flag_through_the_api_and_outsiders_get_404(demo, api_as):
    case = CaseFactory()
    assert api_as("other_town_clerk").post(f"/api/v1/cases/{case.pk}/flag-risk/", {"note": "x"}).status_code == 404
    response = api_as("village_mediator").post(f"/api/v1/cases/{case.pk}/flag-risk/", {"note": "扬言报复"})
    assert response.status_code == 200 and response.json()["tier"] == "county"
