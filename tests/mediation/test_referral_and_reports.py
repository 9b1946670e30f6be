"""Failure routes and the referral to the court station (诉调对接); the suggested
lead; the monthly report and the subsidy at the quota boundary, and its Excel."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import Notification, Organisation, User
from mediation import reports, services
from mediation.choices import Outcome
from mediation.models import CourtReferral, Mediation, MediatorProfile, SubsidyRate
from mediation.suggest import suggest_leads
from tests.mediation.conftest import at, in_mediation, village_dispute

COURT = "县法院诉调对接工作室"


# -- failure and referral ---------------------------------------------------------------

@pytest.fixture
def failing(case, staff, village_room, clock):
    return in_mediation(case, staff("village_mediator"), village_room, clock)


def test_failure_with_litigation_refers_to_the_court_station(failing, staff, clock):
    vm, court = staff("village_mediator"), Organisation.objects.get(name=COURT)
    services.mediation_fail(mediation_id=failing.pk, actor=vm, reason="对赔偿金额分歧大", routes=["litigation"],
                            court_station=court, referral_note="双方同意诉前调解不成后起诉")
    referral = CourtReferral.objects.get(mediation=failing)
    assert referral.outcome == "pending" and referral.court_station == court
    assert Notification.objects.filter(organisation=court, case=failing.case, kind="message").exists()
    # The court station's answer, recorded by the station that holds the matter.
    with pytest.raises(services.ValidationError):
        services.referral_record_outcome(mediation_id=failing.pk, actor=vm, outcome="pending",
                                         outcome_on=date(2026, 12, 1))
    services.referral_record_outcome(mediation_id=failing.pk, actor=vm, outcome="filed", outcome_on=date(2026, 12, 1),
                                     note="已立案")
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("filed", date(2026, 12, 1))
    with pytest.raises(services.InvalidTransition):
        services.referral_record_outcome(mediation_id=failing.pk, actor=vm, outcome="judged",
                                         outcome_on=date(2026, 12, 1))


@pytest.mark.parametrize("routes, station, field", [
    (["arbitration"], COURT, "court_station"),  # a referral is for litigation
    (["litigation"], "县法律援助中心", "court_station"),  # not a court station
    (["litigation", "appeal"], None, "routes"),
])
def test_a_referral_must_fit_the_routes(failing, staff, routes, station, field):
    court = Organisation.objects.get(name=station) if station else None
    with pytest.raises(services.ValidationError) as error:
        services.mediation_fail(mediation_id=failing.pk, actor=staff("village_mediator"), reason="分歧大",
                                routes=routes, court_station=court)
    assert field in error.value.message_dict
    assert Mediation.objects.get(pk=failing.pk).status == "in_mediation"
    assert not CourtReferral.objects.exists()


# -- the suggested lead -----------------------------------------------------------------

def test_the_suggestion_weighs_specialty_tier_and_workload(case, staff):
    suggestions = suggest_leads(case=case)
    best = suggestions[0]
    assert best.profile.user.username == "village_mediator"  # 邻里 specialist at the village's own station
    assert "专长：邻里" in best.reason and "青山村工作站负责该地且与事项层级一致" in best.reason
    assert "当前主持在办调解0件" in best.reason
    # Busy with five open mediations, she drops below the town committee's neighbourhood specialist.
    vm = staff("village_mediator")
    for _ in range(5):
        services.mediation_open(case_id=village_dispute().pk, actor=vm, lead=vm)
    ranked = [s.profile.user.username for s in suggest_leads(case=case, limit=50)]
    assert ranked.index("mediator_qingshan_town") < ranked.index("village_mediator")


def test_a_dialect_counts(case):
    reasons = {s.profile.user.username: s.reason for s in suggest_leads(case=case, language="客家话", limit=50)}
    assert "会说客家话" in reasons["village_mediator"] and "会说客家话" not in reasons["mediator_shiqiao"]


# -- the monthly report and the subsidy -------------------------------------------------

@pytest.mark.parametrize("settled, expected", [(0, "800.00"), (4, "800.00"), (5, "800.00"), (6, "1000.00"),
                                               (7, "1200.00")])
def test_the_subsidy_at_the_quota_boundary(settled, expected):
    assert reports.subsidy(settled=settled, quota=5, base=Decimal("800"), per_case=Decimal("200")) == Decimal(expected)


def _concluded(lead, outcome, moment):
    """A mediation whose outcome was recorded at ``moment`` (the report reads only that)."""
    case = village_dispute()
    Mediation.objects.create(case=case, body=lead.mediator_profile.body, lead=lead, opened_by=lead,
                             status={"success": "succeeded", "failure": "failed"}[outcome], outcome=outcome,
                             outcome_at=moment)


@pytest.mark.parametrize("settled, subsidy", [(5, "800.00"), (6, "1000.00")])
def test_the_report_counts_the_month_and_pays_above_the_quota(demo, staff, settled, subsidy):
    vm = staff("village_mediator")
    assert vm.mediator_profile.monthly_quota == 5
    for n in range(settled):
        _concluded(vm, Outcome.SUCCESS, at(2026, 11, 2 + n, 10))
    _concluded(vm, Outcome.FAILURE, at(2026, 11, 30, 23, 59))  # still November
    _concluded(vm, Outcome.SUCCESS, at(2026, 12, 1, 0, 0))  # December: not counted
    _concluded(vm, Outcome.SUCCESS, at(2026, 10, 31, 23, 59))  # October: not counted
    row = next(r for r in reports.monthly_report(user=vm, month=date(2026, 11, 1)))
    assert (row.handled, row.settled) == (settled + 1, settled)
    assert row.success_rate == Decimal(settled) / Decimal(settled + 1)
    assert row.above_quota == settled - 5 and row.subsidy == Decimal(subsidy)


def test_the_rate_in_force_on_the_first_day_of_the_month(demo, staff):
    SubsidyRate.objects.create(valid_from=date(2026, 12, 1), base_amount=1000, per_case_amount=300)
    assert reports.rate_for(date(2026, 11, 15)).per_case == Decimal("200.00")
    assert reports.rate_for(date(2026, 12, 15)) == reports.Rate(Decimal("1000.00"), Decimal("300.00"))


def test_who_sees_whose_row(demo, staff):
    mine = reports.monthly_report(user=staff("village_mediator"), month=date(2026, 11, 1))
    assert [r.profile.user.username for r in mine] == ["village_mediator"]
    everyone = reports.monthly_report(user=staff("leader"), month=date(2026, 11, 1))
    assert len(everyone) == MediatorProfile.objects.filter(is_active=True).count() >= 20


def test_the_excel_export_has_chinese_headers(demo, staff, client):
    vm = staff("village_mediator")
    for n in range(6):
        _concluded(vm, Outcome.SUCCESS, at(2026, 11, 3 + n, 10))
    client.force_login(staff("leader"))
    response = client.get(reverse("mediation-report-xlsx") + "?month=2026-11")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "调解员月度工作量及补贴（2026年11月）"
    assert [cell.value for cell in sheet[2]] == reports.HEADERS
    assert reports.HEADERS[:3] == ["调解员", "账号", "调解组织"] and reports.HEADERS[-1] == "补贴合计（元）"
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "village_mediator")
    assert row[4:] == (6, 6, 1.0, 800.0, 1, 200.0, 1000.0)
    page = client.get(reverse("mediation-report") + "?month=2026-11").content.decode()
    assert "调解员月度统计" in page and "1000.00" in page


def test_a_mediator_sees_only_their_own_report_page(demo, staff, client):
    client.force_login(staff("village_mediator"))
    page = client.get(reverse("mediation-report") + "?month=2026-11").content.decode()
    assert "周桂英" in page and "张德明" not in page
    client.force_login(User.objects.get(username="gridworker"))
    assert client.get(reverse("mediation-report")).status_code == 200  # sees the page, no rows of others


def test_nothing_counts_for_a_declined_proposal(demo, staff):
    vm = staff("village_mediator")
    mediation = services.mediation_open(case_id=village_dispute().pk, actor=vm, lead=vm)
    services.mediation_decline(mediation_id=mediation.pk, actor=vm, reason="回避")
    row = reports.monthly_report(user=vm, month=date.today().replace(day=1))[0]
    assert (row.handled, row.settled) == (0, 0) and row.subsidy == Decimal("800.00")
