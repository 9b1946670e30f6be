"""Every statutory deadline computed BY HAND here from the law's rule, with the
clock moved, and compared with what the API shows and what the sweep does.

The rule (民法典 arts. 200-203, as the 信访工作条例's periods are counted): a
period of N days counted from a day (received, forwarded, accepted, served,
asked) does not count that day; it ends at 24:00 of the N-th day after it; when
that day is a statutory holiday or a rest day, the period ends on the next
working day instead; holidays inside the period count like any day; a make-up
working day (调休) is a working day. Only the send-back period counts working days.

2026 (State Council schedule): Spring Festival 15-23 Feb, make-up Sat 14 Feb and
Sat 28 Feb; Labour Day 1-5 May, make-up Sat 9 May; Mid-autumn Fri 25 Sep (with
the weekend 26-27); National Day 1-7 Oct, make-up Sun 20 Sep and Sat 10 Oct.
"""
from datetime import date, timedelta

import pytest

from governance.models import Case, CaseEvent
from petitions.models import Petition
from tests.petitions.helpers import (
    at, end_of, org, post, read, register_letter, served, sweep_at,
)

OPINION = "经调查核实，已责令用人单位于十日内足额支付拖欠工资。"


def forward(api_as, case_id, day, to="县人社局"):
    response = post(api_as("petition_clerk"), case_id, "forward", day, to=org(to).pk, forwarded_on=day.isoformat())
    assert response.status_code == 200, response.content
    return response.json()


def accept(api_as, case_id, day, who="handler"):
    response = post(api_as(who), case_id, "accept", day, **served(day))
    assert response.status_code == 200, response.content
    return response.json()


def reply(api_as, case_id, day, who="handler"):
    response = post(api_as(who), case_id, "reply", day, opinion=OPINION, **served(day))
    assert response.status_code == 200, response.content
    return response.json()


def ask(api_as, case_id, day, what="request-review", asked_on=None):
    return post(api_as("petition_clerk"), case_id, what, day, requested_on=(asked_on or day).isoformat())


def decide(api_as, case_id, day, what="decide-review"):
    response = post(api_as("petition_clerk"), case_id, what, day, opinion="维持原处理意见。", **served(day))
    assert response.status_code == 200, response.content
    return response.json()


def replied_petition(api_as, *, received, forwarded, accepted, replied):
    case_id = register_letter(received).case.pk
    forward(api_as, case_id, forwarded)
    accept(api_as, case_id, accepted)
    reply(api_as, case_id, replied)
    return case_id


# -- a letter received on Monday 28 September 2026 -------------------------------------------

def test_a_letter_received_on_28_september_across_the_national_day_holidays(db, api_as):
    # Received Mon 28 Sep, registered a day later (Tue 29 Sep): the forward period counts from receipt.
    case_id = register_letter(date(2026, 9, 28), on=date(2026, 9, 29)).case.pk
    # Forward (art. 22), 15 days from 28 Sep: day 1 is 29 Sep; the seven National Day holidays (1-7 Oct) fall
    # inside the period and count; day 15 is Tue 13 Oct, a working day, so the period ends at its 24:00.
    # (Counted from the registration it would end on 14 Oct: a day too late.)
    shown = read(api_as("petition_clerk"), case_id, date(2026, 9, 29))
    assert shown["status"] == "registered"
    assert shown["forward_due"] == {"date": "2026-10-13", "days_left": 14, "state": "running", "provisional": False}
    assert shown["acceptance_due"] is None and shown["reply_due"] is None
    assert Petition.objects.get(pk=case_id).case.deadline == end_of(date(2026, 10, 13))

    # Forwarded the same day to the county's labour bureau.
    shown = forward(api_as, case_id, date(2026, 9, 29))
    # Acceptance (art. 23), 15 days from the day the body received it, 29 Sep: day 15 is Wed 14 Oct.
    assert shown["acceptance_due"] == {"date": "2026-10-14", "days_left": 15, "state": "running",
                                       "provisional": False}
    assert shown["forward_due"]["state"] == "met" and shown["forward_due"]["days_left"] is None
    # Sending back a wrongly routed item (art. 23): 5 WORKING days after 29 Sep: Wed 30 Sep (1), the holidays
    # 1-7 Oct and not, Thu 8 Oct (2), Fri 9 Oct (3), Sat 10 Oct, a make-up working day (4), Sun 11 Oct not,
    # Mon 12 Oct (5). Were the make-up Saturday not counted, it would be 13 Oct.
    assert shown["send_back_until"] == "2026-10-12"
    assert shown["holder"]["name"] == "县人社局"

    # On the make-up Saturday the body is at work: it accepts and serves the notice in person.
    shown = accept(api_as, case_id, date(2026, 10, 10))
    # Reply (art. 34), 60 days from acceptance on 10 Oct: 21 days to 31 Oct, 30 to 30 Nov, 9 to Wed 9 Dec.
    assert shown["reply_due"] == {"date": "2026-12-09", "days_left": 60, "state": "running", "provisional": False}
    assert shown["acceptance_due"]["state"] == "met"
    assert [d["kind"] for d in shown["documents"]] == ["acceptance"]


@pytest.mark.parametrize("received, last_day, why", [
    (date(2026, 9, 10), date(2026, 9, 28),
     "day 15 is Fri 25 Sep, the Mid-autumn Festival; 26-27 Sep are its weekend: the next working day is Mon 28"),
    (date(2026, 9, 16), date(2026, 10, 8),
     "day 15 is Thu 1 Oct, National Day; the holidays last to 7 Oct: the next working day is Thu 8 Oct"),
    (date(2026, 9, 5), date(2026, 9, 20),
     "day 15 is Sun 20 Sep, a make-up working day: the period ends there"),
    (date(2026, 9, 25), date(2026, 10, 10),
     "received on the Mid-autumn holiday: day 15 is Sat 10 Oct, a make-up working day"),
])
def test_letters_received_around_mid_autumn_and_national_day(db, api_as, received, last_day, why):
    case_id = register_letter(received).case.pk
    shown = read(api_as("petition_clerk"), case_id, received)
    assert shown["forward_due"]["date"] == last_day.isoformat(), why
    assert shown["forward_due"]["days_left"] == (last_day - received).days


def test_a_forward_period_that_ran_out_puts_the_petition_on_the_supervision_list(db, api_as):
    case_id = register_letter(date(2026, 9, 28)).case.pk
    # Not forwarded by 24:00 on 13 Oct: at 00:00 on 14 Oct the period has run out.
    assert sweep_at(end_of(date(2026, 10, 13)) - timedelta(minutes=1)).fired == {}
    assert sweep_at(end_of(date(2026, 10, 13))).fired == {"petitions.forward": 1}
    petition = Petition.objects.select_related("case").get(pk=case_id)
    assert petition.overdue_since is not None and petition.case.overdue_at is not None
    overdue = CaseEvent.objects.get(case_id=case_id, type="overdue")
    assert "2026年10月13日" in overdue.note
    shown = read(api_as("petition_clerk"), case_id, date(2026, 10, 14))
    assert shown["forward_due"] == {"date": "2026-10-13", "days_left": None, "state": "missed", "provisional": False}
    # Forwarded late: the late step is still taken, and the petition leaves the supervision list.
    forward(api_as, case_id, date(2026, 10, 14))
    petition.refresh_from_db()
    petition.case.refresh_from_db()
    assert petition.overdue_since is None and petition.case.overdue_at is None
    assert read(api_as("petition_clerk"), case_id, date(2026, 10, 14))["forward_due"]["state"] == "missed"
    # Forwarded after the last day but before any sweep ran: late all the same.
    other = register_letter(date(2026, 9, 28)).case.pk
    assert forward(api_as, other, date(2026, 10, 14))["forward_due"]["state"] == "missed"


def test_a_wrongly_routed_item_is_sent_back_within_five_working_days(db, api_as):
    case_id = register_letter(date(2026, 9, 28)).case.pk
    forward(api_as, case_id, date(2026, 9, 29))  # may be sent back until Mon 12 Oct (see above)
    late = post(api_as("handler"), case_id, "send-back", date(2026, 10, 13), sent_on="2026-10-13",
                reason="属于住房保障事项，非本局职责")
    assert late.status_code == 409 and "2026年10月12日" in late.json()["detail"]
    response = post(api_as("handler"), case_id, "send-back", date(2026, 10, 12), sent_on="2026-10-12",
                    reason="属于住房保障事项，非本局职责")
    assert response.status_code == 200, response.content
    shown = read(api_as("petition_clerk"), case_id, date(2026, 10, 12))
    assert shown["status"] == "registered" and shown["holder"]["name"] == "县信访局"
    # The office forwards it again within 15 days of getting it back: 12 Oct + 15 = Tue 27 Oct.
    assert shown["forward_due"]["date"] == "2026-10-27"
    assert shown["acceptance_due"]["state"] == "cancelled"


# -- a reply served just before the Spring Festival of 2026 --------------------------------

def test_a_reply_served_just_before_the_spring_festival(db, api_as):
    case_id = register_letter(date(2025, 12, 1)).case.pk
    forward(api_as, case_id, date(2025, 12, 2))
    shown = accept(api_as, case_id, date(2025, 12, 16))
    # 60 days from 16 Dec 2025: 15 days to 31 Dec, 31 to 31 Jan, 14 to Sat 14 Feb 2026, a make-up working day
    # before the Spring Festival: the period ends there.
    assert shown["reply_due"]["date"] == "2026-02-14"
    # The reply is served on Fri 13 Feb, the last working day but one before the holidays.
    shown = reply(api_as, case_id, date(2026, 2, 13))
    assert shown["case_status"] == "resolved" and shown["replied_on"] == "2026-02-13"
    # The window to ask for a review (art. 35), 30 days from 13 Feb: the holidays (15-23 Feb) inside it count;
    # 15 days to 28 Feb, 15 more to Sun 15 Mar, a rest day: the window ends on Mon 16 Mar.
    assert shown["review_request_due"] == {"date": "2026-03-16", "days_left": 31, "state": "running",
                                           "provisional": False}
    # At 00:00 on 16 Mar (the unmoved end) nothing happens: the window is still open.
    assert sweep_at(end_of(date(2026, 3, 15)) + timedelta(minutes=1)).fired == {}
    # Asked on Mon 16 Mar, the 31st day but the window's last: accepted, and the review is due 30 days on,
    # Wed 15 Apr.
    response = ask(api_as, case_id, date(2026, 3, 16))
    assert response.status_code == 200, response.content
    assert response.json()["review_due"]["date"] == "2026-04-15"
    assert response.json()["case_status"] == "in_progress"


# -- an extension ------------------------------------------------------------------------

def test_one_extension_of_the_reply_approved_and_told(db, api_as):
    case_id = register_letter(date(2026, 7, 25)).case.pk
    forward(api_as, case_id, date(2026, 7, 27))
    shown = accept(api_as, case_id, date(2026, 8, 3))
    # 60 days from 3 Aug: 28 to 31 Aug, 30 to 30 Sep, day 60 is Fri 2 Oct, National Day: moved to Thu 8 Oct.
    assert shown["reply_due"]["date"] == "2026-10-08"
    handler = api_as("handler")
    extension = {"days": 30, "reason": "涉及多个部门，需联合调查核实", "approver": "leader", **served(date(2026, 9, 21))}
    refused = [
        ({**extension, "days": 31}, 400, "days"),  # at most 30 days
        ({**extension, "reason": " "}, 400, "reason"),
        ({**extension, "approver": "handler"}, 400, "approver"),  # a handler may not approve it
    ]
    for body, code, field in refused:
        response = post(handler, case_id, "extend", date(2026, 9, 21), **body)
        assert response.status_code == code and field in response.json(), response.content
    response = post(handler, case_id, "extend", date(2026, 9, 21), **extension)
    assert response.status_code == 200, response.content
    shown = response.json()
    # The extension lengthens the period to 90 days from acceptance: 3 Aug + 90 = Sun 1 Nov, a rest day: Mon 2 Nov.
    # (Only the end of the period as it now stands moves; the moved end of the 60 days, 8 Oct, does not count.)
    assert shown["reply_due"]["date"] == "2026-11-02" and shown["reply_due"]["days_left"] == 42
    assert shown["extension_days"] == 30
    notice = [d for d in shown["documents"] if d["kind"] == "extension"]
    assert notice and notice[0]["served_on"] == "2026-09-21"
    again = post(handler, case_id, "extend", date(2026, 9, 22), **{**extension, **served(date(2026, 9, 22))})
    assert again.status_code == 409 and "一次" in again.json()["detail"]
    # Nothing at the old end; at the new end, unanswered, the petition is overdue.
    assert sweep_at(end_of(date(2026, 10, 8)) + timedelta(minutes=1)).fired == {}
    assert sweep_at(end_of(date(2026, 11, 2))).fired == {"petitions.reply": 1}
    assert Case.objects.get(pk=case_id).overdue_at is not None


# -- a review asked on the 30th day and on the 31st -----------------------------------------

def test_a_review_asked_on_the_30th_day_is_accepted_and_on_the_31st_refused(db, api_as):
    dates = {"received": date(2026, 2, 2), "forwarded": date(2026, 2, 3), "accepted": date(2026, 2, 10),
             "replied": date(2026, 3, 2)}
    on_time, too_late, by_post = (replied_petition(api_as, **dates) for _ in range(3))
    # Served Mon 2 Mar: day 30 is Wed 1 Apr, a working day: the last day to ask.
    assert read(api_as("petition_clerk"), on_time, date(2026, 3, 2))["review_request_due"]["date"] == "2026-04-01"
    response = ask(api_as, on_time, date(2026, 4, 1))
    assert response.status_code == 200, response.content
    # The review is due 30 days after the request: 1 Apr + 30 = Fri 1 May, Labour Day (1-5 May): Wed 6 May.
    assert response.json()["review_due"]["date"] == "2026-05-06"
    assert response.json()["holder"]["name"] == "县信访局"  # the review office took it

    # At 00:00 on 2 Apr the others' windows have closed: the handling opinion stands.
    assert sweep_at(end_of(date(2026, 4, 1))).fired == {"petitions.review_request": 2}
    assert Petition.objects.get(pk=too_late).step == "concluded"
    assert Petition.objects.get(pk=too_late).concluded_on == date(2026, 4, 1)
    # Asked on the 31st day: refused, with the day the window closed; nothing changes but the record.
    response = ask(api_as, too_late, date(2026, 4, 2))
    assert response.status_code == 409
    assert response.json()["window_closed_on"] == "2026-04-01"
    assert "2026年4月1日" in response.json()["detail"] and "第三十五条" in response.json()["detail"]
    assert Petition.objects.get(pk=too_late).step == "concluded"
    refusal = CaseEvent.objects.get(case_id=too_late, data__step="review_refused")
    assert "2026年4月1日" in refusal.note and "2026年4月2日" in refusal.note
    # A request received on 1 Apr by post but registered on 2 Apr counts from its receipt: accepted.
    response = ask(api_as, by_post, date(2026, 4, 2), asked_on=date(2026, 4, 1))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "review_requested"
    assert response.json()["review_request_due"]["state"] == "met"  # asked in time, registered late


# -- a re-review with a hearing -------------------------------------------------------------

def test_a_re_review_with_a_paused_hearing(db, api_as):
    case_id = replied_petition(api_as, received=date(2026, 1, 5), forwarded=date(2026, 1, 6),
                               accepted=date(2026, 1, 12), replied=date(2026, 2, 9))
    assert ask(api_as, case_id, date(2026, 2, 24)).status_code == 200
    shown = decide(api_as, case_id, date(2026, 3, 20))
    # Re-review window: 30 days from the review opinion served on 20 Mar: Sun 19 Apr, a rest day: Mon 20 Apr.
    assert shown["re_review_request_due"]["date"] == "2026-04-20"
    shown = ask(api_as, case_id, date(2026, 4, 10), what="request-re-review").json()
    # The re-review is due 30 days after 10 Apr: Sun 10 May, a rest day (the make-up day is Sat 9 May): Mon 11 May.
    assert shown["re_review_due"] == {"date": "2026-05-11", "days_left": 31, "state": "running",
                                      "provisional": False}
    clerk = api_as("petition_clerk")
    response = post(clerk, case_id, "pause", date(2026, 4, 20), on="2026-04-20", note="组织听证")
    assert response.status_code == 200, response.content
    # While the hearing lasts the period does not run: two days later the days left are as on 20 Apr.
    shown = read(clerk, case_id, date(2026, 4, 22))
    assert shown["re_review_due"] == {"date": "2026-05-11", "days_left": 21, "state": "paused", "provisional": False}
    assert post(clerk, case_id, "pause", date(2026, 4, 22), on="2026-04-22").status_code == 409
    response = post(clerk, case_id, "resume", date(2026, 4, 27), on="2026-04-27")
    assert response.status_code == 200, response.content
    # The hearing took 20-27 Apr: 7 days not counted. 30 + 7 = 37 days from 10 Apr: Sun 17 May: Mon 18 May.
    assert response.json()["re_review_due"] == {"date": "2026-05-18", "days_left": 21, "state": "running",
                                                "provisional": False}
    # Nothing happens at the end the period had before the hearing.
    assert sweep_at(end_of(date(2026, 5, 11)) + timedelta(minutes=1)).fired == {}
    shown = decide(api_as, case_id, date(2026, 5, 15), what="decide-re-review")
    assert shown["status"] == "final" and shown["re_review_due"]["state"] == "met"
    assert shown["case_status"] == "resolved"
    assert [d["kind"] for d in shown["documents"]] == ["acceptance", "reply", "review", "re_review"]


# -- reminders before each deadline ------------------------------------------------------

REMINDERS = [
    # (step to take before, kind, reminder time by hand, last day)
    ("petitions.forward", at(2026, 6, 15, 8, 30), date(2026, 6, 16)),
    ("petitions.acceptance", at(2026, 6, 29, 8, 30), date(2026, 6, 30)),
    ("petitions.reply", at(2026, 8, 19, 8, 30), date(2026, 8, 28)),
    ("petitions.review_request", at(2026, 9, 16, 8, 30), date(2026, 9, 20)),
    ("petitions.review", at(2026, 10, 15, 8, 30), date(2026, 10, 19)),
    ("petitions.re_review_request", at(2026, 11, 12, 8, 30), date(2026, 11, 16)),
    ("petitions.re_review", at(2026, 12, 10, 8, 30), date(2026, 12, 14)),
]


def _reminded(case_id, kind):
    return CaseEvent.objects.filter(case_id=case_id, type="reminded", data__clock=kind)


def test_a_reminder_before_each_deadline(db, api_as):
    """Each period reminds its holder some days before its end (3 for forward and acceptance, 10 for the
    reply, 5 for the rest), at the start of office hours (08:30) on a working day."""
    case_id = register_letter(date(2026, 6, 1)).case.pk
    steps = [
        # Forward: 1 Jun + 15 = Tue 16 Jun, ends 00:00 17 Jun; 3 days before is 00:00 Sun 14 Jun -> Mon 15 Jun 08:30.
        lambda: forward(api_as, case_id, date(2026, 6, 15)),
        # Acceptance: 15 Jun + 15 = Tue 30 Jun, ends 00:00 1 Jul; 3 days before: 00:00 Sun 28 Jun -> Mon 29 Jun.
        lambda: accept(api_as, case_id, date(2026, 6, 29)),
        # Reply: 29 Jun + 60 = Fri 28 Aug, ends 00:00 29 Aug; 10 days before: 00:00 Wed 19 Aug -> 08:30 that day.
        lambda: reply(api_as, case_id, date(2026, 8, 20)),
        # Review window: 20 Aug + 30 = Sat 19 Sep, moved to Sun 20 Sep, a make-up working day; 5 days before the
        # end (00:00 21 Sep): 00:00 Wed 16 Sep -> 08:30.
        lambda: ask(api_as, case_id, date(2026, 9, 17)),
        # Review: 17 Sep + 30 = Sat 17 Oct, moved to Mon 19 Oct; 5 days before 00:00 20 Oct: Thu 15 Oct 08:30.
        lambda: decide(api_as, case_id, date(2026, 10, 16)),
        # Re-review window: 16 Oct + 30 = Sun 15 Nov -> Mon 16 Nov; 5 days before: Thu 12 Nov 08:30.
        lambda: ask(api_as, case_id, date(2026, 11, 13), what="request-re-review"),
        # Re-review: 13 Nov + 30 = Sun 13 Dec -> Mon 14 Dec; 5 days before: Thu 10 Dec 08:30.
        lambda: decide(api_as, case_id, date(2026, 12, 11), what="decide-re-review"),
    ]
    for (kind, remind_at, last), take_step in zip(REMINDERS, steps):
        sweep_at(remind_at - timedelta(minutes=1))
        assert not _reminded(case_id, kind).exists(), kind
        sweep_at(remind_at)
        event = _reminded(case_id, kind).get()
        assert f"{last.year}年{last.month}月{last.day}日" in event.note, (kind, event.note)
        holder = Case.objects.get(pk=case_id).holder_id
        assert event.case.notifications.filter(kind="reminded", organisation_id=holder,
                                               note=event.note).exists(), kind
        take_step()
    assert Petition.objects.get(pk=case_id).step == "final"
