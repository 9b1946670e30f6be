"""The mediation's time limits, as clocks of the core's one clock table
(``governance.timers``), and what the sweep does when they remind or run out.

Kinds (each clock's ``data`` carries the mediation and its lead, so the handlers
need no query per row):

- ``mediation.limit``: the month a people's mediation generally takes (local
  rules), from acceptance; extendable once by agreement;
- ``mediation.court_referred``: a court-referred matter's 30 days before filing (诉前委派);
- ``mediation.confirmation``: 30 days from the agreement taking effect for the joint
  application for judicial confirmation (人民调解法 art. 33), reminded on day 20;
- ``mediation.court_acceptance`` / ``mediation.court_decision``: the court's 3 days
  to accept and 15 (+10) to decide (最高法 2011 规定 arts. 4-5);
- ``mediation.follow_up``: the follow-up visit after the outcome.

Every period in days is counted as the law counts them (民法典 arts. 200-203),
the follow-up in working days.
"""
import json
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import EventType
from governance.choices import NotificationKind as Notify
from governance.extensions import ClockHandler
from governance.models import Case, CaseEvent, Clock, LimitUnit, Notification
from governance.notifications import notify_many
from governance.timers.calendar import at_working_time
from governance.timers.deadlines import Limit
from governance.timers.services import clock_pause, clock_resume, clock_start, clock_stop
from governance.timers.services import TIER

LIMIT = "mediation.limit"
COURT_REFERRED = "mediation.court_referred"
CONFIRMATION = "mediation.confirmation"
COURT_ACCEPTANCE = "mediation.court_acceptance"
COURT_DECISION = "mediation.court_decision"
FOLLOW_UP = "mediation.follow_up"
DAYS = LimitUnit.CALENDAR_DAYS

LABELS = {
    LIMIT: gettext_lazy("Mediation limit"),
    COURT_REFERRED: gettext_lazy("Court-referred mediation limit"),
    CONFIRMATION: gettext_lazy("Judicial confirmation: application period"),
    COURT_ACCEPTANCE: gettext_lazy("Court: acceptance of the application"),
    COURT_DECISION: gettext_lazy("Court: decision on confirmation"),
    FOLLOW_UP: gettext_lazy("Follow-up visit"),
}
# The timeline's and the desk's words when a clock runs out (marked here, translated when written).
DUE_NOTES = {
    LIMIT: gettext_lazy("The mediation limit has run out: record the outcome, or extend it once if the parties "
                        "agree. The matter's tier clock runs again."),
    COURT_REFERRED: gettext_lazy("The 30 days of court-referred mediation have run out: settle it now or "
                                 "return the matter to the court for filing. The matter's tier clock runs again."),
    CONFIRMATION: gettext_lazy("The 30 days to apply for judicial confirmation have run out."),
    COURT_ACCEPTANCE: gettext_lazy("The court has not said within 3 days whether it accepts the application for "
                                   "judicial confirmation: ask the court."),
    COURT_DECISION: gettext_lazy("The court's period to decide on judicial confirmation has run out: ask the "
                                 "court."),
    FOLLOW_UP: gettext_lazy("The follow-up visit is overdue."),
}
REMIND_NOTES = {
    LIMIT: gettext_lazy("The mediation limit ends soon: record the outcome or agree an extension."),
    COURT_REFERRED: gettext_lazy("The court-referred mediation period ends soon."),
    CONFIRMATION: gettext_lazy("Remind the parties: they may apply jointly for judicial confirmation until "
                               "%(last_day)s."),
    COURT_DECISION: gettext_lazy("The court's period to decide on judicial confirmation ends soon."),
    FOLLOW_UP: gettext_lazy("The follow-up visit is due soon."),
}
# Running out, the mediation month gives the matter back to its tier clock.
RESUMES_TIER = (LIMIT, COURT_REFERRED)


def last_day(due_at):
    """The last day of a period that ends at ``due_at`` (24:00 of that day)."""
    return timezone.localtime(due_at - timedelta(seconds=1)).date()


def _data(mediation):
    return {"mediation": mediation.pk, "lead": mediation.lead_id}


def mediation_kind(mediation) -> str:
    return COURT_REFERRED if mediation.court_referred else LIMIT


def start_mediation_clock(mediation, rules, *, at):
    """The month (or a court-referred matter's 30 days) from acceptance; the matter's
    tier clock is paused meanwhile, so a matter in mediation does not climb the tiers
    while its own, longer limit runs (it runs again at the outcome or when this one
    runs out)."""
    days = rules.court_referred_days if mediation.court_referred else rules.mediation_days
    limit = Limit(days, DAYS, remind_percent=None, remind_before=rules.mediation_remind_before)
    clock = clock_start(case=mediation.case, kind=mediation_kind(mediation), limit=limit, start=at,
                        data=_data(mediation))
    pause_tier_clock(mediation.case, at=at)
    return clock


def stop_mediation_clock(mediation, *, at, outcome="met"):
    return clock_stop(case=mediation.case, kind=mediation_kind(mediation), outcome=outcome, at=at)


def pause_tier_clock(case, *, at):
    """Pause the matter's tier clock; its deadline is not shown while it waits."""
    if clock_pause(case=case, kind=TIER, at=at) is not None:
        Case.objects.filter(pk=case.pk).update(deadline=None)
        case.deadline = None


def resume_tier_clock(case, *, at):
    """Count the tier clock again from where it stopped (the pause moves its deadline out)."""
    clock = clock_resume(case=case, kind=TIER, at=at)
    if clock is not None:
        Case.objects.filter(pk=case.pk).update(deadline=clock.due_at)
        case.deadline = clock.due_at
    return clock


def start_confirmation_clock(agreement, rules):
    """The 30 days from the day the agreement took effect, counted as the law counts
    (the first day not counted; a last day on a holiday moves to the next working day),
    with the reminder at the start of office hours on day 20 (or the next working day)."""
    mediation = agreement.mediation
    start = timezone.make_aware(datetime.combine(agreement.signed_on, time(12)))
    limit = Limit(rules.confirmation_days, DAYS, remind_percent=None, remind_before=None)
    clock = clock_start(case=mediation.case, kind=CONFIRMATION, limit=limit, start=start,
                        data={**_data(mediation), "agreement": agreement.pk})
    day = agreement.signed_on + timedelta(days=rules.confirmation_remind_day)
    remind_at = at_working_time(timezone.make_aware(datetime.combine(day, time())))
    if remind_at < clock.due_at:
        Clock.objects.filter(pk=clock.pk).update(remind_at=remind_at)
        clock.remind_at = remind_at
    return clock


def start_day_clock(mediation, kind, days, *, on, data=None, remind_before=None):
    """A clock of ``days`` counted as the law counts from the date ``on``."""
    start = timezone.make_aware(datetime.combine(on, time(12)))
    limit = Limit(days, DAYS, remind_percent=None, remind_before=remind_before)
    return clock_start(case=mediation.case, kind=kind, limit=limit, start=start,
                       data={**_data(mediation), **(data or {})})


def start_follow_up_clock(mediation, rules, *, at):
    limit = Limit(rules.follow_up_working_days, LimitUnit.WORKING_DAYS, remind_percent=80)
    return clock_start(case=mediation.case, kind=FOLLOW_UP, limit=limit, start=at, data=_data(mediation))


# -- the sweep's handlers -------------------------------------------------------------

def _with_data(rows):
    """The sweep's rows come from a raw query, where Django's psycopg2 leaves jsonb as text."""
    for row in rows:
        if not isinstance(row["data"], dict):
            row["data"] = json.loads(row["data"] or "{}")
    return rows


def _tell(rows, now, *, event_type, notes, kind, due=False):
    """For each row: a timeline event in the center's language, and a notice to the
    lead mediator and the holder's desk. Set-based: two inserts for the batch."""
    with translation.override(settings.LANGUAGE_CODE):
        texts = {row["id"]: str(notes[kind]) % {"last_day": f"{last_day(row['due_at']):%Y-%m-%d}"} for row in rows}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=row["case_id"], type=event_type, at=now, note=texts[row["id"]],
                  data={"app": "mediation", "step": "clock_due" if due else "clock_reminder", "clock": kind,
                        "mediation": row["data"].get("mediation")})
        for row in rows
    )
    notices = []
    for row in rows:
        common = {"case_id": row["case_id"], "kind": Notify.MESSAGE if due else Notify.REMINDED, "at": now,
                  "note": texts[row["id"]], "due_at": row["due_at"]}
        notices.append(Notification(organisation_id=row["holder_id"], **common))
        if row["data"].get("lead"):
            notices.append(Notification(user_id=row["data"]["lead"], **common))
    notify_many(notices)


def _handler(kind):
    def on_due(rows, now, memo):
        rows = _with_data(rows)
        _tell(rows, now, event_type=EventType.STEP, notes=DUE_NOTES, kind=kind, due=True)
        if kind in RESUMES_TIER:
            # Tier clocks are locked with their matter, as the sweep claimed it: safe to resume here.
            for case in Case.objects.filter(pk__in=[row["case_id"] for row in rows]):
                resume_tier_clock(case, at=now)
        return {"mediation_due": len(rows)}

    def on_remind(rows, now, memo):
        rows = _with_data(rows)
        _tell(rows, now, event_type=EventType.REMINDED, notes=REMIND_NOTES, kind=kind)

    return ClockHandler(kind=kind, label=LABELS[kind], on_due=on_due,
                        on_remind=on_remind if kind in REMIND_NOTES else None)


HANDLERS = [_handler(kind) for kind in LABELS]
