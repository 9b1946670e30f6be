"""Leaders' reception days and appointments (never double-booked: the database
refuses it), reception records, leader ownership (包案) with its board, and the
backlog (积案)."""
from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from governance.models import CaseEvent, Notification
from petitions import selectors
from petitions.models import Appointment, ReceptionDay, ReceptionSchedule
from petitions.services import ownership as owning
from petitions.services.reception import SlotTaken, appointment_book, reception_days_plan, reception_record
from tests.petitions.helpers import SHANGHAI, at, on_day, register_letter, sweep_at, user


def test_the_15th_of_each_month_on_a_rest_day_moves_to_the_next_working_day(db):
    ReceptionDay.objects.all().delete()
    with on_day(date(2026, 11, 1)):
        assert reception_days_plan(months=2, today=date(2026, 11, 1)) == 3
        assert reception_days_plan(months=2, today=date(2026, 11, 1)) == 0  # planned once
    days = list(ReceptionDay.objects.filter(leader__username="leader").values_list("date", flat=True))
    # 15 Nov 2026 is a Sunday: Mon 16 Nov. 15 Dec is a Tuesday. 15 Jan 2027 is a Friday.
    assert days == [date(2026, 11, 16), date(2026, 12, 15), date(2027, 1, 15)]
    assert ReceptionSchedule.objects.get(leader__username="leader").place


def _day():
    ReceptionDay.objects.all().delete()
    with on_day(date(2026, 11, 1)):
        reception_days_plan(months=0, today=date(2026, 11, 1))
    return ReceptionDay.objects.get(date=date(2026, 11, 16))


def test_a_slot_is_never_double_booked(db, api_as):
    day = _day()
    case = register_letter(date(2026, 11, 2)).case
    client = api_as("petition_clerk")
    body = {"leader": "leader", "day": day.pk, "starts": "2026-11-16T09:30:00+08:00", "name": "王建国",
            "phone": "13912348888", "topic": "拖欠工资", "case": case.pk}
    with on_day(date(2026, 11, 10)):
        first = client.post("/api/v1/petitions/appointments/", body, format="json")
        assert first.status_code == 201, first.content
        # Another petitioner for 09:45 overlaps 09:30-10:00: refused, naming the booking it clashes with.
        clash = client.post("/api/v1/petitions/appointments/", {**body, "name": "李四", "case": None,
                                                                "starts": "2026-11-16T09:45:00+08:00",
                                                                "minutes": 15}, format="json")
        assert clash.status_code == 409
        assert clash.json()["clash"]["id"] == first.json()["id"] and "王建国" in clash.json()["detail"]
        assert "09:30" in clash.json()["detail"]
        after = client.post("/api/v1/petitions/appointments/", {**body, "name": "李四", "case": None,
                                                                "starts": "2026-11-16T10:00:00+08:00"},
                            format="json")
        assert after.status_code == 201, after.content
        outside = client.post("/api/v1/petitions/appointments/", {**body, "starts": "2026-11-16T11:15:00+08:00"},
                              format="json")
        assert outside.status_code == 400 and "starts" in outside.json()
        slots = client.get("/api/v1/petitions/reception-days/").json()["results"][0]["slots"]
    assert [s["booked"] for s in slots][:3] == [False, True, True]
    # The database refuses it whatever the code checked.
    start = datetime(2026, 11, 16, 9, 40, tzinfo=SHANGHAI)
    with pytest.raises(IntegrityError, match="appointment_no_double_booking"), transaction.atomic():
        Appointment.objects.create(leader=user("leader"), period=DateTimeTZRange(start, start + timedelta(minutes=5)),
                                   name="直接写入")
    assert CaseEvent.objects.filter(case=case, data__step="appointment").exists()
    assert Notification.objects.filter(user=user("leader"), case=case).exists()


def test_a_cancelled_booking_frees_the_slot_and_a_reception_is_recorded(db):
    day = _day()
    case = register_letter(date(2026, 11, 2)).case
    clerk, leader = user("petition_clerk"), user("leader")
    start = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
    with on_day(date(2026, 11, 10)):
        booked = appointment_book(actor=clerk, leader=leader, day=day, starts=start, name="王建国", case=case)
        with pytest.raises(SlotTaken):
            appointment_book(actor=clerk, leader=leader, day=day, starts=start, name="李四")
        booked.status = "cancelled"
        booked.save()
        again = appointment_book(actor=clerk, leader=leader, day=day, starts=start, name="李四", case=case)
    with on_day(date(2026, 11, 16), hour=11):
        record = reception_record(actor=clerk, leader=leader, appointment=again, received_at=at(2026, 11, 16, 9, 5),
                                  attendees="李四", demands="要求尽快发放工资", instructions="请县人社局三日内答复")
    again.refresh_from_db()
    assert again.status == "received" and record.case == case
    assert "请县人社局三日内答复" in CaseEvent.objects.get(case=case, data__step="received").note


def test_a_leader_owns_a_petition_with_a_plan_milestones_and_notes(db, client, staff):
    case = register_letter(date(2026, 11, 2)).case
    leader = user("leader")
    with on_day(date(2026, 11, 3)):
        with pytest.raises(Exception, match="只有领导"):
            owning.ownership_assign(case_id=case.pk, actor=user("petition_clerk"), leader=leader, plan="x")
        ownership = owning.ownership_assign(
            case_id=case.pk, actor=leader, leader=leader, plan="约谈企业负责人，督促分期支付欠薪",
            target_on=date(2026, 12, 31), milestones=[("约谈企业", date(2026, 11, 10))])
        with pytest.raises(Exception, match="已由"):
            owning.ownership_assign(case_id=case.pk, actor=leader, leader=leader, plan="再次")
        owning.ownership_note(ownership_id=ownership.pk, actor=leader, text="已约谈企业负责人")
        owning.ownership_milestone_done(milestone_id=ownership.milestones.get().pk, actor=leader,
                                        done_on=date(2026, 11, 3))
    assert Notification.objects.filter(user=leader, case=case, note__contains="包案").exists()
    assert CaseEvent.objects.filter(case=case, type="leader_ownership").exists()
    client.force_login(staff("leader"))
    with on_day(date(2026, 11, 4)):
        board = client.get("/petitions/owned/").content.decode()
    assert case.number in board and "约谈企业负责人，督促分期支付欠薪" in board and "已约谈企业负责人" in board
    assert client.get(f"/petitions/{case.pk}/").status_code == 200


def test_the_backlog_lists_petitions_past_their_limit_or_brought_three_times(db, api_as):
    late = register_letter(date(2026, 9, 28)).case  # forward due 13 Oct
    often = register_letter(date(2026, 10, 12)).case
    fine = register_letter(date(2026, 10, 12), petitioners=[{"name": "赵六", "phone": "13700000000"}]).case
    for day in (date(2026, 10, 13), date(2026, 10, 14)):
        register_letter(day, repeat_of=often.pk)  # the same petitioner twice more: three visits
    clerk = user("petition_clerk")
    with on_day(date(2026, 10, 15)):
        # Not swept yet: the forward period ran out at 00:00 on 14 Oct all the same.
        listed = {p.pk: p.past_limit for p in selectors.backlog(user=clerk)}
    assert listed == {late.pk: True, often.pk: False}
    sweep_at(at(2026, 10, 15))
    with on_day(date(2026, 10, 15)):
        page = api_as("petition_clerk").get("/api/v1/petitions/backlog/").json()["results"]
    assert {p["id"]: p["past_limit"] for p in page} == {late.pk: True, often.pk: False}
    assert fine.pk not in {p["id"] for p in page}
