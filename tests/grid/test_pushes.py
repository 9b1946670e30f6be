"""Pushing events along: each step's clock (reminder, then overdue and an automatic
urge from the core's sweep), urging by hand, a leader's supervision, and joint
handling that closes only when every part is in; a dispute event escalates as a
dispute matter from the village tier."""
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance.choices import CaseKind
from governance.models import Case, CaseEvent, Clock, Notification, User
from governance.timers.calendar import due_after
from governance.timers.sweep import sweep_clocks
from grid.choices import EventStatus as S
from grid.models import GridEvent, Urge
from grid.services import CaseChangeForbidden, InvalidTransition, loop, pushes
from tests.grid.conftest import jpeg, organisation, report, to_step

pytestmark = pytest.mark.django_db


def test_an_overdue_step_is_marked_and_urged_automatically_once(people):
    event = to_step(report(people["gridworker"]), people, "dispatched")
    clock = Case.objects.get(pk=event.pk).clock("grid.handle")
    # 3 working days for a rental-housing hazard (the event type's handling limit).
    assert clock.due_at == due_after(clock.started_at, 3, "working_days")
    sweep_clocks(now=clock.remind_at + timedelta(minutes=1))  # (the matter's tier clock reminds too)
    assert CaseEvent.objects.filter(case_id=event.pk, type="reminded", data__clock="grid.handle").count() == 1
    assert Notification.objects.filter(case_id=event.pk, user=people["handler"], kind="reminded").exists()
    result = sweep_clocks(now=clock.due_at + timedelta(minutes=1))
    assert result.fired["grid.handle"] == 1 and result.counts["grid_step_overdue"] == 1
    event.refresh_from_db()
    assert event.step_overdue_at is not None
    urge = Urge.objects.get(event=event)
    assert (urge.kind, urge.status, urge.by) == ("automatic", "dispatched", None)
    assert Notification.objects.filter(case_id=event.pk, user=people["handler"], kind="message",
                                       note__contains="超时").exists()
    assert Notification.objects.filter(case_id=event.pk, organisation__name="青山村社会治理工作站",
                                       kind="message", note__contains="超时").exists()
    assert sweep_clocks(now=clock.due_at + timedelta(hours=2)).fired["grid.handle"] == 0  # once
    assert GridEvent.objects.get(pk=event.pk).step_overdue_at is not None
    # Handling on after the limit: the next step starts a fresh clock, the overdue mark goes.
    loop.event_handle(event_id=event.pk, actor=people["handler"])
    assert GridEvent.objects.get(pk=event.pk).step_overdue_at is not None  # still the handling step
    event = loop.event_feedback(event_id=event.pk, actor=people["handler"], note="已整改", photos=[jpeg()])
    assert event.step_overdue_at is None and Case.objects.get(pk=event.pk).clock("grid.verify") is not None


def test_emergencies_run_on_hours(people):
    event = report(people["gridworker"], code="emergency", text="村道水管爆裂")
    clock = Case.objects.get(pk=event.pk).clock("grid.register")
    assert (clock.unit, clock.limit) == ("hours", 2)


def test_urge_by_hand_tells_whoever_the_step_waits_on(people):
    event = to_step(report(people["gridworker"]), people, "fed_back")
    with pytest.raises(CaseChangeForbidden):
        pushes.event_urge(event_id=event.pk, actor=people["handler"])
    pushes.event_urge(event_id=event.pk, actor=people["village_clerk"], note="请今天核查")
    assert Notification.objects.filter(case_id=event.pk, user=people["gridworker"], note__contains="请今天核查").exists()
    assert Urge.objects.get(event=event).kind == "manual"
    event = to_step(GridEvent.objects.get(pk=event.pk), people, "closed")
    with pytest.raises(InvalidTransition):
        pushes.event_urge(event_id=event.pk, actor=people["village_clerk"])


def test_a_leader_supervises_an_unfinished_event(people):
    event = to_step(report(people["gridworker"]), people, "handling")
    with pytest.raises(CaseChangeForbidden):
        pushes.event_supervise(event_id=event.pk, actor=people["village_clerk"], instruction="加快")
    with pytest.raises(ValidationError):
        pushes.event_supervise(event_id=event.pk, actor=people["leader"], instruction=" ")
    pushes.event_supervise(event_id=event.pk, actor=people["leader"], instruction="限两日内整改到位")
    case = Case.objects.get(pk=event.pk)
    assert case.supervised_at is not None and GridEvent.objects.get(pk=event.pk).supervised_at is not None
    assert CaseEvent.objects.filter(case=case, type="supervised", note="限两日内整改到位").exists()
    assert Notification.objects.filter(case=case, user=people["handler"], note__contains="限两日内").exists()
    assert Notification.objects.filter(case=case, organisation=case.holder, kind="supervised").exists()


def test_joint_handling_closes_only_when_every_part_is_in(people):
    police, market = organisation("县公安局"), organisation("县市场监管局")
    police_officer = User.objects.create_user("police_handler", organisation=police, role="handler")
    market_officer = User.objects.create_user("market_handler", organisation=market, role="handler")
    event = to_step(report(people["gridworker"]), people, "registered")
    loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"], assignee=people["handler"],
                        joint=[police], instruction="联合检查")
    pushes.event_add_joint(event_id=event.pk, actor=people["village_clerk"], organisations=[market])
    assert Case.objects.restrict(police_officer, "view").filter(pk=event.pk).exists()
    event = to_step(GridEvent.objects.get(pk=event.pk), people, "verified")
    with pytest.raises(InvalidTransition, match="县公安局.*县市场监管局|县市场监管局.*县公安局"):
        loop.event_close(event_id=event.pk, actor=people["village_clerk"])
    pushes.event_record_part(event_id=event.pk, actor=police_officer, note="派出所已清查住户", photos=[jpeg()])
    with pytest.raises(InvalidTransition, match="县市场监管局"):
        loop.event_close(event_id=event.pk, actor=people["village_clerk"])
    assert GridEvent.objects.get(pk=event.pk).status == S.VERIFIED
    with pytest.raises(CaseChangeForbidden):  # a body not in the joint handling
        pushes.event_record_part(event_id=event.pk, actor=people["handler"], note="我们也做了")
    pushes.event_record_part(event_id=event.pk, actor=market_officer, note="已查扣违规电器")
    with pytest.raises(InvalidTransition):  # once only
        pushes.event_record_part(event_id=event.pk, actor=market_officer, note="再来一次")
    event = loop.event_close(event_id=event.pk, actor=people["village_clerk"])
    assert event.status == S.CLOSED and not event.joint_parts.filter(done_at__isnull=True).exists()


def test_a_dispute_event_is_a_village_dispute_matter_that_escalates_on_time(people):
    event = report(people["gridworker"], code="dispute", text="4组两户因宅基地界墙争吵，情绪激动。")
    case = Case.objects.get(pk=event.pk)
    assert (case.kind, case.channel, case.tier) == (CaseKind.DISPUTE, "grid_report", "village")
    assert case.holder.name == "青山村社会治理工作站" and case.category.code == "neighbourhood"
    tier = case.clock("tier")
    assert tier.due_at == due_after(case.created_at, 5, "working_days")  # the dispute rule: village 5 working days
    event = loop.event_register(event_id=event.pk, actor=people["village_clerk"])
    loop.event_dispatch(event_id=event.pk, actor=people["village_clerk"], assignee=people["village_mediator"])
    assert sweep_clocks(now=tier.due_at - timedelta(minutes=1)).escalated == 0  # not before its time
    assert Case.objects.get(pk=event.pk).tier == "village"
    result = sweep_clocks(now=tier.due_at + timedelta(minutes=1))
    case = Case.objects.get(pk=event.pk)
    assert result.escalated == 1 and (case.tier, case.holder.name) == ("town", "青山镇社会治理中心")
    assert case.clock("tier").due_at == due_after(tier.due_at + timedelta(minutes=1), 10, "working_days")
    assert CaseEvent.objects.filter(case=case, type="escalated").exists()
    # The town center now holds it and runs the rest of the loop; the mediator still handles.
    with time_machine.travel(tier.due_at + timedelta(minutes=5)):
        loop.event_handle(event_id=event.pk, actor=people["village_mediator"])
        loop.event_feedback(event_id=event.pk, actor=people["village_mediator"], note="双方达成和解",
                            photos=[jpeg()])
        loop.event_verify(event_id=event.pk, actor=people["town_clerk"], passed=True, note="回访确认")
        event = loop.event_close(event_id=event.pk, actor=people["town_clerk"])
    assert Case.objects.get(pk=event.pk).status == "closed"


def test_no_step_clock_is_left_running_after_a_decline_or_evaluation(people):
    first = report(people["gridworker"])
    loop.event_decline(event_id=first.pk, actor=people["village_clerk"], reason="不属实")
    second = to_step(report(people["gridworker"]), people, "evaluated")
    assert not Clock.objects.filter(case_id__in=[first.pk, second.pk], kind__startswith="grid.",
                                    stopped_at__isnull=True).exists()
