"""Each step of the loop runs a clock on the event's matter (kinds ``grid.register``,
``grid.dispatch``, ``grid.handle``, ``grid.verify``, ``grid.close``,
``grid.evaluate``), its limit from the event type. The core's one sweep sends the
reminders and, when a step's limit runs out, hands the clocks to ``on_due``
here: the step is marked overdue and urged automatically (催办), set-based."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import EventType as TimelineType
from governance.choices import NotificationKind
from governance.extensions import ClockHandler
from governance.models import CaseEvent, Clock, ClockOutcome, Notification
from governance.notifications import notify_many
from governance.timers.deadlines import Limit
from governance.timers.services import clock_start
from grid.choices import CLOCK_KINDS, STEP_OF_STATUS, Step, UrgeKind, clock_kind
from grid.models import GridEvent, Urge
from grid.services.common import center_language

LABELS = {
    Step.REGISTER: gettext_lazy("Grid event: register"),
    Step.DISPATCH: gettext_lazy("Grid event: dispatch"),
    Step.HANDLE: gettext_lazy("Grid event: handle and feed back"),
    Step.VERIFY: gettext_lazy("Grid event: verify"),
    Step.CLOSE: gettext_lazy("Grid event: close"),
    Step.EVALUATE: gettext_lazy("Grid event: evaluate"),
}


def step_limit(event_type, step) -> Limit:
    if step == Step.HANDLE:
        return Limit(event_type.handle_limit, event_type.handle_unit, event_type.remind_at_percent)
    return Limit(event_type.step_limit, event_type.step_unit, event_type.remind_at_percent)


def follow_step(event, *, now, restart=False):
    """After a state change of the (locked) event: keep the step's clock when the
    event still waits for the same step (dispatched -> being handled; overdue stays
    overdue), else stop it (met) and start the clock of the step it waits for now. ``restart``
    starts the step's clock afresh (a new round of handling). Updates the event's
    ``step_due_at`` / ``step_overdue_at`` (the caller saves them)."""
    step = STEP_OF_STATUS.get(event.status)
    clocks = Clock.objects.filter(case_id=event.pk, kind__in=CLOCK_KINDS)
    latest = clocks.order_by("-id").first()
    if step is not None and not restart and latest is not None and latest.kind == clock_kind(step) and (
            latest.stopped_at is None or latest.outcome == ClockOutcome.MISSED):
        return  # the same step goes on: its clock (or its overdue mark) stays
    clocks.filter(stopped_at__isnull=True).update(stopped_at=now, outcome=ClockOutcome.MET)
    event.step_overdue_at = None
    if step is None:
        event.step_due_at = None
        return
    clock = clock_start(case=event.case, kind=clock_kind(step), limit=step_limit(event.event_type, step),
                        start=now, data={"round": event.round})
    event.step_due_at = clock.due_at


def stop_steps(event, *, now, outcome=ClockOutcome.CANCELLED):
    Clock.objects.filter(case_id=event.pk, kind__in=CLOCK_KINDS, stopped_at__isnull=True).update(
        stopped_at=now, outcome=outcome)
    event.step_due_at = event.step_overdue_at = None


def responsible(step, event, holder_id) -> list[dict]:
    """Whose desk a step waits on: the center's for its own steps; the handler (or
    their body) for the handling; the reporting worker and the center for the
    verification."""
    center = {"organisation_id": holder_id}
    if step == Step.HANDLE:
        handler = {"user_id": event["assignee_id"]} if event["assignee_id"] else \
            {"organisation_id": event["handling_org_id"]}
        return [handler, center] if handler != center else [center]
    if step == Step.VERIFY:
        return [{"user_id": event["reporter_id"]}, center]
    return [center]


def _rows_with_events(rows):
    events = {e["pk"]: e for e in GridEvent.objects.filter(pk__in=[r["case_id"] for r in rows]).values(
        "pk", "status", "assignee_id", "handling_org_id", "reporter_id")}
    for row in rows:
        event = events.get(row["case_id"])
        if event is not None:
            yield row, Step(row["kind"].removeprefix("grid.")), event


def on_due(rows, now, memo) -> dict:
    """The steps whose limit ran out: marked overdue on the events, urged
    automatically (an urge row, a timeline entry, a message to whoever the step
    waits on), all in a few statements for the whole batch."""
    found = list(_rows_with_events(rows))
    if not found:
        return {}
    GridEvent.objects.filter(pk__in=[row["case_id"] for row, _step, _event in found]).update(
        step_overdue_at=now, updated_at=now)
    urges, entries, notices = [], [], []
    with center_language():
        for row, step, event in found:
            note = _("The step “%(step)s” is overdue: urged automatically.") % {"step": step.label}
            urges.append(Urge(event_id=row["case_id"], kind=UrgeKind.AUTOMATIC, status=event["status"], note=note,
                              at=now))
            entries.append(CaseEvent(case_id=row["case_id"], type=TimelineType.STEP, at=now, note=note,
                                     data={"app": "grid", "step": "urge", "clock": row["kind"], "automatic": True}))
            notices += [Notification(case_id=row["case_id"], kind=NotificationKind.MESSAGE, at=now, note=note,
                                     **who)
                        for who in responsible(step, event, row["holder_id"]) if any(who.values())]
    Urge.objects.bulk_create(urges)
    CaseEvent.objects.bulk_create(entries)
    notify_many(notices)
    return {"grid_step_overdue": len(found)}


def on_remind(rows, now, memo):
    """A step nearing its limit: a reminder on the timeline and to whoever it waits on."""
    entries, notices = [], []
    with center_language():
        for row, step, event in _rows_with_events(rows):
            note = _("Grid event step “%(step)s”.") % {"step": step.label}
            entries.append(CaseEvent(case_id=row["case_id"], type=TimelineType.REMINDED, at=now, note=note,
                                     from_tier=row["tier"], to_tier=row["tier"],
                                     data={"app": "grid", "clock": row["kind"]}))
            notices += [Notification(case_id=row["case_id"], kind=NotificationKind.REMINDED, at=now,
                                     due_at=row["due_at"], note=note, **who)
                        for who in responsible(step, event, row["holder_id"]) if any(who.values())]
    CaseEvent.objects.bulk_create(entries)
    notify_many(notices)


HANDLERS = [ClockHandler(kind=clock_kind(step), label=LABELS[step], on_due=on_due, on_remind=on_remind)
            for step in Step]

__all__ = ["HANDLERS", "follow_step", "stop_steps", "step_limit"]
