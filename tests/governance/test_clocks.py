"""Clocks: every time limit on a matter, each counted in its unit, paused and
resumed, swept once by the one sweep, and handed to the handler of its kind."""
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from governance import extensions
from governance.cases import services as case_services
from governance.choices import EventType
from governance.models import CaseEvent, Clock, HolidaySchedule
from governance.timers.calendar import at_working_time, deadline_is_provisional, due_after, is_working_day
from governance.timers.deadlines import Limit, timers_for
from governance.timers.services import clock_extend, clock_pause, clock_resume, clock_start, clock_stop
from governance.timers.sweep import sweep_clocks
from tests.factories import CaseFactory, region, registered_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEGAL = "calendar_days"


def at(y, m, d, hour=9, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def end_of(y, m, d):
    """24:00 of a day: when a period counted in legal days ends."""
    return at(y, m, d, 0) + timedelta(days=1)


# -- units ---------------------------------------------------------------------------------

def test_a_legal_period_ending_on_national_day_moves_to_the_next_working_day(db):
    # Received Wednesday 16 September 2026: the first day is not counted; 15 days end on
    # Thursday 1 October, a statutory holiday (1-7 October), so the period ends on
    # Thursday 8 October at 24:00.
    assert due_after(at(2026, 9, 16, 15), 15, LEGAL) == end_of(2026, 10, 8)
    # The same on a weekend: 30 days from Monday 2 March 2026 end on Wednesday 1 April;
    # 33 days end on Saturday 4 April, moved over Qingming (4-6 April) to Tuesday 7 April.
    assert due_after(at(2026, 3, 2), 30, LEGAL) == end_of(2026, 4, 1)
    assert due_after(at(2026, 3, 2), 33, LEGAL) == end_of(2026, 4, 7)


def test_a_legal_period_ending_on_a_make_up_working_day_stays_there(db):
    # Saturday 10 October and Sunday 20 September 2026 are make-up working days (调休).
    assert due_after(at(2026, 9, 30), 10, LEGAL) == end_of(2026, 10, 10)
    assert due_after(at(2026, 9, 5), 15, LEGAL) == end_of(2026, 9, 20)


def test_hours_are_plain_hours(db):
    assert due_after(at(2026, 9, 30, 18), 48, "hours") == at(2026, 10, 2, 18)


def test_a_2027_deadline_skips_new_years_day_and_is_provisional(db):
    # chinesecalendar 1.11 stops at 2026; the `holidays` package gives 1 January 2027.
    due = due_after(at(2026, 12, 30), 2, "working_days")  # 31 Dec, (1 Jan, weekend), 4 Jan
    assert due == at(2027, 1, 4)
    assert deadline_is_provisional(due) and not deadline_is_provisional(at(2026, 12, 31))
    # Spring Festival 2027 by rule: 5-10 February are holidays.
    assert due_after(at(2027, 2, 4), 1, "working_days") == at(2027, 2, 11)


def test_a_2027_deadline_is_marked_provisional_on_the_receipt_and_the_api(client, api_as, staff):
    case = registered_at(at(2026, 12, 28), region=region("339901001001"))  # 5 working days: 5 January 2027
    assert case.deadline == at(2027, 1, 5)
    client.force_login(staff("village_mediator"))
    receipt = client.get(reverse("intake-receipt", args=[case.pk])).content.decode()
    assert "暂定" in receipt
    clocks = api_as("village_mediator").get(f"/api/v1/cases/{case.pk}/").json()["clocks"]
    assert [(c["kind"], c["state"], c["provisional"]) for c in clocks] == [("tier", "running", True)]


def test_a_loaded_official_schedule_wins_and_ends_provisional(client, staff):
    case = registered_at(at(2026, 12, 28), region=region("339901001001"))
    client.force_login(staff("admin"))
    # A made-up schedule: 4 January 2027 a holiday, Saturday 9 January a make-up working day.
    response = client.post(reverse("admin:governance_holidayschedule_add"), {
        "year": 2027, "source": "国办发明电〔2026〕X号",
        "dates": "2027-01-01 休\n2027-01-04 休\n2027-01-09 班\n",
    })
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert not is_working_day(date(2027, 1, 4)) and is_working_day(date(2027, 1, 9))
    assert is_working_day(date(2027, 2, 8))  # not listed: its weekday decides, not the holidays package
    assert not deadline_is_provisional(at(2027, 1, 5))
    case.refresh_from_db()
    # 29, 30, 31 December, (1-4 January off), 5, 6 January: re-counted when the schedule was loaded.
    assert case.deadline == at(2027, 1, 6) == case.clock().due_at


def test_a_bad_schedule_line_is_refused_in_chinese(client, staff):
    client.force_login(staff("admin"))
    response = client.post(reverse("admin:governance_holidayschedule_add"), {
        "year": 2027, "dates": "2027-01-01 休\n2027-13-01 班\n"})
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    assert not HolidaySchedule.objects.exists()


# -- reminders at working time -------------------------------------------------------------

def test_a_reminder_due_on_sunday_morning_goes_out_when_monday_office_hours_begin(db):
    assert at_working_time(at(2026, 3, 8, 6, 35)) == at(2026, 3, 9, 8, 30)  # Sunday -> Monday 08:30
    assert at_working_time(at(2026, 3, 9, 7, 0)) == at(2026, 3, 9, 8, 30)  # before office hours
    assert at_working_time(at(2026, 3, 9, 18, 0)) == at(2026, 3, 10, 8, 30)  # after them
    assert at_working_time(at(2026, 3, 9, 10, 0)) == at(2026, 3, 9, 10, 0)
    assert at_working_time(at(2026, 9, 30, 20, 0)) == at(2026, 10, 8, 8, 30)  # over National Day
    # 48 hours from Friday 06:35 end on Sunday 06:35; 80 % (Saturday evening) would move to
    # Monday 08:30, after the deadline: no reminder at all.
    assert timers_for(Limit(48, "hours"), at(2026, 3, 6, 6, 35)).remind_at is None


def test_a_reminder_past_its_deadline_is_not_sent_beside_the_escalation(demo):
    case = registered_at(at(2026, 3, 2), region=region("339901001001"))
    with time_machine.travel(at(2026, 3, 10), tick=False):  # nobody swept for a day
        result = sweep_clocks()
    assert (result.reminded, result.escalated) == (0, 1)
    assert list(case.events.values_list("type", flat=True)) == ["created", "escalated"]


# -- pause, resume, extend, reopen ----------------------------------------------------------

def test_a_paused_clock_resumes_with_its_paused_time_not_counted(demo):
    case = CaseFactory()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        clock = clock_start(case=case, kind="test.review", limit=Limit(30, LEGAL))
    assert clock.due_at == end_of(2026, 4, 1)
    clock_pause(case=case, kind="test.review", at=at(2026, 3, 10))  # a hearing
    # While paused the clock is not swept, however late it gets.
    assert sweep_clocks(now=at(2026, 5, 1)).fired == {}
    clock = clock_resume(case=case, kind="test.review", at=at(2026, 3, 17))
    # 7 days not counted: 37 days from 2 March end on Wednesday 8 April.
    assert (clock.paused_units, clock.due_at) == (7, end_of(2026, 4, 8))
    clock = clock_extend(case=case, kind="test.review", by=2)  # 39 days: Friday 10 April
    assert (clock.limit, clock.due_at) == (32, end_of(2026, 4, 10))


def test_a_reopened_matter_gets_a_fresh_deadline(demo, staff):
    case = registered_at(at(2026, 3, 2), region=region("339901001001"))
    actor = staff("village_mediator")
    with time_machine.travel(at(2026, 3, 4), tick=False):
        case_services.case_resolve(case_id=case.pk, actor=actor, note="双方达成协议")
    assert case.clocks.get().outcome == "met"
    with time_machine.travel(at(2026, 4, 1), tick=False):
        case_services.case_reopen(case_id=case.pk, actor=actor, note="协议未履行")
        assert sweep_clocks().escalated == 0  # the old deadline (9 March) is gone
    case.refresh_from_db()
    assert case.deadline == at(2026, 4, 9) == case.clock().due_at  # 5 working days from 1 April (Qingming 4-6)
    assert list(case.clocks.order_by("id").values_list("outcome", flat=True)) == ["met", ""]


def test_a_terminated_matter_cancels_its_tier_clock(demo, staff):
    case = CaseFactory()
    case_services.case_terminate(case_id=case.pk, actor=staff("village_mediator"), note="申请人撤回")
    assert case.clocks.get().outcome == "cancelled"


# -- the sweep hands each kind to its handler ------------------------------------------------

@pytest.fixture
def two_kinds():
    """Two clock kinds of a pretend app: each due clock writes a note on the timeline."""
    def on_due(label):
        def handle(rows, now, memo):
            assert all(isinstance(row["data"], dict) for row in rows)  # decoded, as the handlers expect
            CaseEvent.objects.bulk_create(CaseEvent(case_id=row["case_id"], type=EventType.NOTE, at=now,
                                                    note=label, data={"clock": row["kind"]}) for row in rows)
            return {label: len(rows)}
        return handle

    for kind in ("test.alpha", "test.beta"):
        extensions.register_clock_handler(extensions.ClockHandler(kind, kind, on_due(kind)))
    yield
    for kind in ("test.alpha", "test.beta"):
        extensions._clock_handlers.pop(kind, None)


@pytest.mark.django_db(transaction=True)
def test_two_kinds_on_one_matter_fire_independently_each_once_under_two_sweeps(demo_transactional, two_kinds):
    cases = [CaseFactory() for _ in range(20)]
    for case in cases:
        with time_machine.travel(at(2026, 3, 2), tick=False):
            clock_start(case=case, kind="test.alpha", limit=Limit(1, "working_days"))  # 3 March
            clock_start(case=case, kind="test.beta", limit=Limit(5, LEGAL))  # 7 March, Saturday -> 9 March
    results, errors = [], []
    barrier = threading.Barrier(2)

    def sweep(now):
        try:
            barrier.wait()
            results.append(sweep_clocks(now=now, batch_size=3))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    for now in (at(2026, 3, 4), at(2026, 3, 10)):
        threads = [threading.Thread(target=sweep, args=(now,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        barrier.reset()
    assert not errors
    fired = sum((r.fired for r in results), start=__import__("collections").Counter())
    assert fired["test.alpha"] == 20 and fired["test.beta"] == 20
    ids = [case.pk for case in cases]
    notes = CaseEvent.objects.filter(case_id__in=ids, type=EventType.NOTE)
    assert notes.filter(note="test.alpha").count() == 20 and notes.filter(note="test.beta").count() == 20
    # alpha fired on the first sweep (4 March), beta only on the second (after 9 March 24:00)
    assert set(notes.filter(note="test.alpha").values_list("at", flat=True)) == {at(2026, 3, 4)}
    assert set(notes.filter(note="test.beta").values_list("at", flat=True)) == {at(2026, 3, 10)}
    assert set(Clock.objects.filter(case_id__in=ids, kind__startswith="test.").values_list("outcome", flat=True)) == {
        "missed"}


def test_a_clock_stopped_in_time_never_fires(demo, two_kinds):
    case = CaseFactory()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        clock_start(case=case, kind="test.alpha", limit=Limit(1, "working_days"))
    clock_stop(case=case, kind="test.alpha")
    assert sweep_clocks(now=at(2026, 6, 1)).fired["test.alpha"] == 0
    assert case.clocks.get(kind="test.alpha").outcome == "met"


def test_a_kind_without_a_handler_is_stopped_and_logged(demo, caplog):
    case = CaseFactory()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        clock_start(case=case, kind="nobody.handles", limit=Limit(1, "working_days"))
    assert sweep_clocks(now=at(2026, 3, 4)).fired["nobody.handles"] == 1
    assert "no handler for clock kind 'nobody.handles'" in caplog.text
    assert case.clocks.get(kind="nobody.handles").outcome == "missed"


def test_one_running_clock_per_kind(demo):
    from django.db import IntegrityError, transaction

    case = CaseFactory()
    clock_start(case=case, kind="test.alpha", limit=Limit(3, "working_days"))
    clock_start(case=case, kind="test.alpha", limit=Limit(5, "working_days"))  # replaces the first
    assert list(case.clocks.filter(kind="test.alpha").values_list("outcome", flat=True).order_by("id")) == [
        "cancelled", ""]
    with pytest.raises(IntegrityError), transaction.atomic():
        Clock.objects.create(case=case, kind="test.alpha", unit="hours", limit=1, started_at=at(2026, 3, 2),
                             due_at=at(2026, 3, 2, 10))


def test_the_api_shows_each_clock_and_the_overdue_and_supervised_times(api_as, staff):
    case = registered_at(at(2026, 3, 2), region=region("339901001001"))
    body = api_as("village_mediator").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["overdue_at"] is None and body["supervised_at"] is None
    (clock,) = body["clocks"]
    assert clock["kind"] == "tier" and clock["label"] == "层级办理时限" and clock["unit"] == "working_days"
    assert clock["due_at"].startswith("2026-03-09T09:00") and clock["state"] == "running"
    assert clock["remind_at"].startswith("2026-03-09T08:30")  # 80 % falls on Saturday 7 March


def test_the_matter_page_lists_its_clocks(client, staff):
    case = registered_at(at(2026, 12, 28), region=region("339901001001"))
    client.force_login(staff("village_mediator"))
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="clocks"' in html and "层级办理时限" in html and "2027-01-05 09:00" in html
    assert "计时中" in html and "暂定" in html


def test_pausing_and_resuming_the_tier_clock_moves_the_matters_deadline(demo):
    case = registered_at(at(2026, 3, 2), region=region("339901001001"))  # due 9 March 09:00
    clock_pause(case=case, kind="tier", at=at(2026, 3, 3))
    clock_resume(case=case, kind="tier", at=at(2026, 3, 5))  # 2 working days not counted
    case.refresh_from_db()
    assert case.deadline == at(2026, 3, 11) == case.clock().due_at
