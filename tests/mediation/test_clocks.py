"""The mediation's clocks, counted as the law counts and swept by the core's one
sweep: the 30 days for judicial confirmation across National Day 2026 with its
reminder on day 20, the court's 3 and 15 (+10) days, the mediation month (which
pauses the tier clock and gives it back when it runs out) and a court-referred
matter's own 30 days."""
from datetime import date

import pytest
import time_machine

from governance.choices import Channel, EventType
from governance.models import Case, CaseEvent, Clock, Notification
from governance.timers.sweep import sweep_clocks
from mediation import services
from mediation.models import Agreement
from tests.mediation.conftest import at, book, opened, village_dispute


def walk_to_success(staff, village_room, day):
    """A village dispute settled on ``day`` 11:00 (times travel with it)."""
    vm = staff("village_mediator")
    with time_machine.travel(at(day.year, day.month, day.day, 8), tick=False) as traveller:
        case = village_dispute()
        mediation = opened(case, vm)
        services.mediation_accept(mediation_id=mediation.pk, actor=vm)
        session = book(mediation, vm, at(day.year, day.month, day.day, 9), room=village_room)
        traveller.move_to(at(day.year, day.month, day.day, 10, 30))
        services.minutes_record(session_id=session.pk, actor=vm, attendees="双方", statements="陈述")
        traveller.move_to(at(day.year, day.month, day.day, 11))
        services.mediation_succeed(mediation_id=mediation.pk, actor=vm, facts="事实", terms="条款")
        services.agreement_sign(mediation_id=mediation.pk, actor=vm, signed_on=day)
    return case, mediation


def confirmation_clock(case):
    return Clock.objects.get(case=case, kind="mediation.confirmation")


def test_judicial_confirmation_due_across_national_day_2026(demo, staff, village_room):
    # Signed Tuesday 1 September 2026: the day it took effect is not counted; day 30 is
    # Thursday 1 October, National Day (1-7 October off), so the period ends on Thursday
    # 8 October at 24:00. The reminder is on day 20: Monday 21 September, 08:30.
    case, mediation = walk_to_success(staff, village_room, date(2026, 9, 1))
    clock = confirmation_clock(case)
    assert (clock.unit, clock.limit) == ("calendar_days", 30)
    assert clock.due_at == at(2026, 10, 9, 0)
    assert clock.remind_at == at(2026, 9, 21, 8, 30)
    assert services.application_last_day(Agreement.objects.get(mediation=mediation)) == date(2026, 10, 8)
    signed = CaseEvent.objects.get(case=case, data__step="agreement_signed")
    assert "2026-10-08" in signed.note

    # The reminder, on day 20, to the lead mediator and the station's desk.
    sweep_clocks(now=at(2026, 9, 21, 8, 29))  # (the follow-up visit's own reminder and limit pass meanwhile)
    assert not CaseEvent.objects.filter(case=case, type=EventType.REMINDED, data__clock="mediation.confirmation")
    assert sweep_clocks(now=at(2026, 9, 21, 8, 31)).reminded == 1
    reminder = CaseEvent.objects.get(case=case, type=EventType.REMINDED, data__clock="mediation.confirmation")
    assert "2026-10-08" in reminder.note and "司法确认" in reminder.note
    notices = Notification.objects.filter(case=case, kind="reminded", note__contains="司法确认")
    assert {n.user.username if n.user else n.organisation.name for n in notices} == {
        "village_mediator", "青山村社会治理工作站"}
    assert sweep_clocks(now=at(2026, 9, 22, 9)).reminded == 0  # once

    # Still open on 8 October (the holiday moved the end), closed at its end.
    assert sweep_clocks(now=at(2026, 10, 8, 23, 59)).fired == {}
    result = sweep_clocks(now=at(2026, 10, 9, 0, 1))
    assert result.fired == {"mediation.confirmation": 1}
    assert "30日期限已届满" in CaseEvent.objects.get(case=case, data__clock="mediation.confirmation",
                                                  data__step="clock_due").note


def test_a_period_ending_on_a_make_up_working_day_stays_there(demo, staff, village_room):
    # Signed Thursday 10 September 2026: day 30 is Saturday 10 October, a make-up working day (调休).
    case, _mediation = walk_to_success(staff, village_room, date(2026, 9, 10))
    assert confirmation_clock(case).due_at == at(2026, 10, 11, 0)


def test_an_application_after_the_period_is_refused(demo, staff, village_room):
    case, mediation = walk_to_success(staff, village_room, date(2026, 9, 1))
    vm = staff("village_mediator")
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        with pytest.raises(services.InvalidTransition, match="2026-10-08"):
            services.confirmation_apply(mediation_id=mediation.pk, actor=vm, court="示范县人民法院",
                                        applied_on=date(2026, 10, 9))
        confirmation = services.confirmation_apply(mediation_id=mediation.pk, actor=vm, court="示范县人民法院",
                                                   applied_on=date(2026, 10, 8))
    assert confirmation.applied_on == date(2026, 10, 8)
    assert confirmation_clock(case).outcome == "met"


def test_the_courts_3_days_then_15_plus_10(demo, staff, village_room):
    case, mediation = walk_to_success(staff, village_room, date(2026, 11, 2))
    vm = staff("village_mediator")
    common = {"mediation_id": mediation.pk, "actor": vm}
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        with pytest.raises(services.InvalidTransition):  # nothing applied for yet
            services.confirmation_accept(**common, accepted_on=date(2026, 11, 13))
        services.confirmation_apply(**common, court="示范县人民法院", applied_on=date(2026, 11, 10))
        acceptance = Clock.objects.get(case=case, kind="mediation.court_acceptance")
        assert acceptance.due_at == at(2026, 11, 14, 0)  # Tuesday 10th + 3 days: Friday 13th
        with pytest.raises(services.InvalidTransition, match="受理"):
            services.confirmation_decide(**common, decision="confirmed", decided_on=date(2026, 11, 12))
        services.confirmation_accept(**common, accepted_on=date(2026, 11, 12))
        decision = Clock.objects.get(case=case, kind="mediation.court_decision")
        assert Clock.objects.get(pk=acceptance.pk).outcome == "met"
        assert decision.due_at == at(2026, 11, 28, 0)  # Thursday 12th + 15 days: Friday 27th
        services.confirmation_extend(**common, note="经院长批准延长十日")
        assert Clock.objects.get(pk=decision.pk).due_at == at(2026, 12, 8, 0)  # + 10: Monday 7 December
        with pytest.raises(services.InvalidTransition, match="一次"):
            services.confirmation_extend(**common, note="again")
    with time_machine.travel(at(2026, 12, 3, 9), tick=False):
        confirmation = services.confirmation_decide(**common, decision="confirmed", decided_on=date(2026, 12, 3))
    assert confirmation.get_decision_display() == "裁定确认有效"
    assert Clock.objects.get(pk=decision.pk).outcome == "met"
    assert CaseEvent.objects.filter(case=case, data__step="confirmation_decided", is_public=True).exists()


def test_the_mediation_month_runs_out_and_gives_the_tier_clock_back(demo, staff):
    vm = staff("village_mediator")
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        case = village_dispute()
        tier_due = Clock.objects.get(case=case, kind="tier").due_at
        mediation = opened(case, vm)
    with time_machine.travel(at(2026, 11, 3, 9), tick=False):
        services.mediation_accept(mediation_id=mediation.pk, actor=vm)
    month = Clock.objects.get(case=case, kind="mediation.limit")
    assert month.due_at == at(2026, 12, 4, 0)  # 3 November + 30 days: Thursday 3 December
    # Reminded 5 days before: Sunday 29 November, so the next working day's opening.
    assert month.remind_at == at(2026, 11, 30, 8, 30)
    # The tier clock waited; while it waits nothing escalates the matter.
    assert sweep_clocks(now=at(2026, 11, 20, 9)).escalated == 0
    result = sweep_clocks(now=at(2026, 12, 4, 0, 5))
    assert result.fired["mediation.limit"] == 1
    tier = Clock.objects.get(case=case, kind="tier", stopped_at__isnull=True)
    assert tier.paused_at is None and tier.due_at > tier_due  # a month of waiting not counted
    assert Case.objects.get(pk=case.pk).deadline == tier.due_at
    assert Notification.objects.filter(user=vm, case=case, note__contains="调解期限已届满").exists()


def test_a_court_referred_matter_has_its_own_30_days(demo, staff):
    vm = staff("village_mediator")
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        case = village_dispute(channel=Channel.COURT_REFERRAL)
        mediation = opened(case, vm)
        services.mediation_accept(mediation_id=mediation.pk, actor=vm)
    assert mediation.court_referred
    clock = Clock.objects.get(case=case, kind="mediation.court_referred", stopped_at__isnull=True)
    assert clock.due_at == at(2026, 12, 3, 0)
    assert not Clock.objects.filter(case=case, kind="mediation.limit").exists()
    result = sweep_clocks(now=at(2026, 12, 3, 0, 5))
    assert result.fired["mediation.court_referred"] == 1
    assert "退回法院" in CaseEvent.objects.get(case=case, data__step="clock_due").note


def test_the_follow_up_is_due_in_working_days(demo, staff, village_room):
    case, mediation = walk_to_success(staff, village_room, date(2026, 9, 25))
    clock = Clock.objects.get(case=case, kind="mediation.follow_up")
    # Friday 25 September 11:00 + 10 working days: 28, 29, 30 September, (1-7 October off),
    # 8, 9, 10 (a make-up Saturday), 12, 13, 14, 15 October.
    assert clock.due_at == at(2026, 10, 15, 11)
