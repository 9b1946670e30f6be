"""Demo petitions at every statutory step, on the demo county's generated matters
of the kind petition (their registration, status and holder already simulated by
``demo.cases``). Each gets the step its age and status suggest, the dates of the
steps before it, its periods as clocks (taken in time, or missed: overdue and in
the backlog), the notices served, and the timeline. Written directly, in bulk:
dates in the past cannot go through the services, which refuse them."""
from datetime import timedelta
from collections import Counter
from itertools import cycle

from django.conf import settings
from django.utils import timezone, translation

from governance.choices import CaseStatus, EventType
from governance.models import Case, CaseEvent, Clock, Organisation, Party, User
from governance.timers.deadlines import timers_for
from governance.timers.services import remind_spec
from petitions import clocks, documents
from petitions.choices import DocumentKind, Ground, Period, Step
from petitions.models import Ownership, Petition, Petitioner
from petitions.periods import period_last_day, period_limit, spoken, start_of
from petitions.services.notices import notice_values

LIMIT = 400  # the most recent petitions of the demo; enough for every step
OPINION = "经调查核实，已责成相关单位依法依规处理，并将处理情况告知信访人。"


NEWEST_REGISTERED = 3  # the newest open petitions wait for the decision on acceptance


def _plan(case, today, newest, turns, terminated=False):
    """(step, {date field: day}) for a demo matter, from its status and age; ``turns``
    counts the matters of each kind met so far, so that each step gets some in turn.
    ``terminated``: the matter was terminated (and may since have been closed)."""
    received = timezone.localtime(case.created_at).date()
    age = (today - received).days

    def day(offset):
        return min(received + timedelta(days=offset), today)

    if case.status == CaseStatus.REGISTERED or newest and case.status == CaseStatus.IN_PROGRESS:
        return Step.REGISTERED, {}
    if terminated or case.status == CaseStatus.TERMINATED:
        return Step.NOT_ACCEPTED, {"not_accepted_on": day(3)}
    if case.status == CaseStatus.IN_PROGRESS:
        if age <= 12:
            return Step.FORWARDED, {"forwarded_on": day(1)}
        if age <= 30:
            return Step.ACCEPTED, {"forwarded_on": day(1), "accepted_on": day(6)}
        # Replied, and the petitioner asked for a review (a review request reopens the
        # matter); every third, reviewed and a re-review asked. Replied on day 50 where the
        # matter's age allows, earlier where not, so that a demo of a few hundred petitions,
        # with few open for long, has both steps whatever the day it is generated on.
        reply = min(50, age - 20)
        dates = {"forwarded_on": day(1), "accepted_on": day(6), "replied_on": day(reply),
                 "review_requested_on": day(reply + 12)}
        turns["old"] += 1
        if turns["old"] % 3 != 2:
            return Step.REVIEW_REQUESTED, dates
        return Step.RE_REVIEW_REQUESTED, {**dates, "reviewed_on": day(reply + 16),
                                          "re_review_requested_on": day(reply + 19)}
    # Answered: replied when the matter was resolved (the demo simulated when), accepted before.
    replied = max(timezone.localtime(case.resolved_at).date() if case.resolved_at else day(40), received)
    dates = {"forwarded_on": min(day(1), replied), "accepted_on": min(day(6), replied), "replied_on": replied}
    window_end = period_last_day(Period.REVIEW_REQUEST, replied)
    since = (today - replied).days
    if today <= window_end:
        return Step.REPLIED, dates

    def after(days):
        return min(replied + timedelta(days=days), today)

    if 28 < since <= 55:
        turns["reviewed"] += 1
        if turns["reviewed"] % 2:
            return Step.REVIEWED, {**dates, "review_requested_on": after(10), "reviewed_on": after(28)}
    if since > 75:
        turns["final"] += 1
        if turns["final"] % 4 == 1:
            return Step.FINAL, {**dates, "review_requested_on": after(10), "reviewed_on": after(28),
                                "re_review_requested_on": after(38), "re_reviewed_on": after(60),
                                "concluded_on": after(60)}
    return Step.CONCLUDED, {**dates, "concluded_on": window_end}


# The periods each step has run, as (clock kind, start field, field that ended it).
RUNS = [
    (clocks.ACCEPTANCE, "forwarded_on", "accepted_on"),
    (clocks.REPLY, "accepted_on", "replied_on"),
    (clocks.REVIEW_REQUEST, "replied_on", "review_requested_on"),
    (clocks.REVIEW, "review_requested_on", "reviewed_on"),
    (clocks.RE_REVIEW_REQUEST, "reviewed_on", "re_review_requested_on"),
    (clocks.RE_REVIEW, "re_review_requested_on", "re_reviewed_on"),
]
NOTICES = [("accepted_on", DocumentKind.ACCEPTANCE), ("not_accepted_on", DocumentKind.NON_ACCEPTANCE),
           ("replied_on", DocumentKind.REPLY), ("reviewed_on", DocumentKind.REVIEW),
           ("re_reviewed_on", DocumentKind.RE_REVIEW)]
EVENT_NOTES = {
    "forwarded_on": "转送至{holder}。", "accepted_on": "{holder}受理，受理告知书已直接送达。",
    "not_accepted_on": "不予受理：属于应当通过诉讼途径解决的事项，已告知信访人向人民法院起诉。",
    "replied_on": "处理意见书已送达。", "review_requested_on": "信访人请求复查。", "reviewed_on": "复查意见书已送达。",
    "re_review_requested_on": "信访人请求复核。", "re_reviewed_on": "复核意见书已送达，信访事项终结。",
}


def _clock(case_id, kind, start, ended, now):
    """A clock of ``kind`` from ``start``: met when ``ended`` (the next step's day) came
    within it, else running, or missed once past."""
    limit = period_limit(clocks.BY_KIND[kind].period)
    timers = timers_for(limit, start_of(start))
    stopped, outcome = None, ""
    if ended is not None:
        stopped, outcome = start_of(ended) + timedelta(hours=10), "met"
        if stopped > timers.deadline:
            outcome = "missed"
    elif timers.deadline <= now:
        stopped, outcome = timers.deadline, "missed"
    reminded = timers.remind_at if timers.remind_at and timers.remind_at <= (stopped or now) else None
    return Clock(case_id=case_id, kind=kind, unit=limit.unit, limit=limit.limit, started_at=start_of(start),
                 due_at=timers.deadline, remind_at=None if reminded or stopped else timers.remind_at,
                 reminded_at=reminded, stopped_at=stopped, outcome=outcome,
                 data={"app": "petitions", "from": start.isoformat(), **remind_spec(limit)})


def seed_petition_steps(limit=LIMIT) -> int:
    now, today = timezone.now(), timezone.localdate()
    office = Organisation.objects.get(name="县信访局")
    clerk = User.objects.get(username="petition_clerk")
    cases = list(Case.objects.filter(kind="petition", petition__isnull=True).select_related("holder")
                 .order_by("-created_at")[:limit])
    petitions, new_clocks, events, overdue = [], [], [], []
    waiting, turns = 0, Counter()
    # Terminated, then perhaps closed: the timeline remembers (not accepted, for a petition).
    terminated = set(CaseEvent.objects.filter(case__in=cases, type=EventType.STATUS_CHANGED,
                                              to_status=CaseStatus.TERMINATED).values_list("case_id", flat=True))
    for case in cases:  # newest first
        step, dates = _plan(case, today, newest=waiting < NEWEST_REGISTERED, turns=turns,
                            terminated=case.pk in terminated)
        waiting += step == Step.REGISTERED
        received = timezone.localtime(case.created_at).date()
        petition = Petition(case=case, step=step, received_on=received, addressed_to="县人民政府",
                            office=office if "forwarded_on" in dates else None,
                            forwarded_to=case.holder if "forwarded_on" in dates else None, **dates)
        if step == Step.NOT_ACCEPTED:
            petition.ground, petition.reason = Ground.OTHER, "属于应当通过诉讼途径解决的事项。"
            petition.proper_channel, petition.concluded_on = "请依法向人民法院提起诉讼。", dates["not_accepted_on"]
        if dates.get("review_requested_on"):
            petition.review_organ = office.name
        if dates.get("re_review_requested_on"):
            petition.re_review_organ = "市人民政府信访事项复查复核委员会"
        first = clocks.FORWARD if petition.office else clocks.ACCEPTANCE
        ended = dates.get("forwarded_on") or dates.get("accepted_on") or dates.get("not_accepted_on")
        runs = [(first, received, ended)] + [(kind, dates[begin], dates.get(end)) for kind, begin, end in RUNS
                                             if dates.get(begin) and (kind != clocks.ACCEPTANCE or petition.office)]
        for kind, start, end in runs:  # a window that lapsed (concluded) ends as missed, as the sweep ends it
            clock = _clock(case.pk, kind, start, end, now)
            new_clocks.append(clock)
            if clock.outcome == "missed" and clocks.BY_KIND[kind].owed_by_organ and end is None:
                petition.overdue_since = clock.stopped_at
                overdue.append(case.pk)
        petitions.append(petition)
        with translation.override(settings.LANGUAGE_CODE):
            events.append(CaseEvent(case=case, type=EventType.STEP, at=start_of(received) + timedelta(hours=9),
                                    actor=clerk, is_public=True, data={"app": "petitions", "step": "registered"},
                                    note=f"登记信访事项：{spoken(received)}收到。"))
        for field, text in EVENT_NOTES.items():
            if dates.get(field):
                events.append(CaseEvent(case=case, type=EventType.STEP, at=start_of(dates[field]) + timedelta(hours=10),
                                        is_public=True, data={"app": "petitions", "step": field.removesuffix("_on")},
                                        note=text.format(holder=case.holder.name)))
    Petition.objects.bulk_create(petitions)
    parties = Party.objects.filter(case__in=cases, role="applicant")
    Petitioner.objects.bulk_create(Petitioner(petition_id=party.case_id, party=party) for party in parties)
    Clock.objects.filter(case__in=cases, kind="tier", stopped_at__isnull=True).update(stopped_at=now,
                                                                                       outcome="cancelled")
    Clock.objects.bulk_create(new_clocks)
    CaseEvent.objects.bulk_create(events)
    _deadlines(cases, overdue, now)
    _notices(petitions, clerk)
    _ownerships(petitions, today)
    return len(petitions)


def _deadlines(cases, overdue, now):
    """The matters' deadline: their running organ period (the tier clock gave way)."""
    running = dict(Clock.objects.filter(case__in=cases, kind__in=clocks.ORGAN_KINDS, stopped_at__isnull=True)
                   .values_list("case_id", "due_at"))
    for case in cases:
        case.deadline = running.get(case.pk)
    Case.objects.bulk_update(cases, ["deadline"], batch_size=500)
    Case.objects.filter(pk__in=overdue, status__in=[CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS]).update(
        overdue_at=now)


def _notices(petitions, clerk):
    for petition in petitions:
        organ = petition.forwarded_to or petition.case.holder
        for field, kind in NOTICES:
            day = getattr(petition, field)
            if day is None:
                continue
            extra = {"opinion": OPINION, "reason": petition.reason, "proper_channel": petition.proper_channel}
            if kind in (DocumentKind.REPLY, DocumentKind.REVIEW):
                window = Period.REVIEW_REQUEST if kind == DocumentKind.REPLY else Period.RE_REVIEW_REQUEST
                extra["request_until"] = period_last_day(window, day)
            documents.issue(petition=petition, kind=kind, organisation=organ if field != "reviewed_on" else
                            petition.office or organ, actor=clerk, issued_on=day,
                            values=notice_values(petition, decided_on=day, **extra), served_on=day,
                            service="in_person")


def _ownerships(petitions, today):
    """The county leader owns a few overdue or long-standing petitions (包案)."""
    leader = User.objects.filter(username="leader").first()
    if leader is None:
        return
    hard = [p for p in petitions if p.overdue_since or p.step == Step.RE_REVIEW_REQUESTED][:4]
    plans = cycle(["约谈相关单位负责人，逐项核实诉求，一个月内拿出化解方案。",
                   "组织信访、人社、司法联合接访，落实法律援助，推动依法化解。"])
    for petition in hard:
        ownership = Ownership.objects.create(petition=petition, leader=leader, assigned_by=leader,
                                             plan=next(plans), target_on=today + timedelta(days=30))
        ownership.milestones.create(title="约谈信访人，听取诉求", due_on=today + timedelta(days=3))
        ownership.milestones.create(title="召开协调会", due_on=today + timedelta(days=14))

