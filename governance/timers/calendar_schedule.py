"""Loading a year's official holiday schedule (what the State Council publishes
each autumn) and re-counting the deadlines it changes."""
import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from governance.timers.calendar import days_for, forget_scheduled_years
from governance.timers.deadlines import timers_for
from governance.timers.models import Clock, WorkdayOverride
from governance.cases.models import Case
from governance.timers.services import TIER, limit_of

MARKS = {"休": False, "假": False, "holiday": False, "班": True, "work": True, "working": True}
LINE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*[,，\s]\s*(\S+)\s*$")


class ScheduleError(ValueError):
    """A line of a pasted schedule that cannot be read; the message names it."""


def parse_schedule(text: str, year: int) -> dict[date, bool]:
    """{date: is working day} from lines like ``2027-10-01 休`` / ``2027-09-26 班``."""
    days = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = LINE.match(line)
        mark = match and MARKS.get(match.group(4).lower())
        if not match or mark is None:
            raise ScheduleError(_("Line %(number)s, “%(line)s”: write a date and 休 or 班, e.g. “%(year)s-10-01 休”.")
                                % {"number": number, "line": line.strip()[:40], "year": year})
        try:
            day = date(*(int(part) for part in match.group(1, 2, 3)))
        except ValueError:
            raise ScheduleError(_("Line %(number)s: %(text)s is not a date.")
                                % {"number": number, "text": line.strip()[:20]}) from None
        if day.year != year:
            raise ScheduleError(_("Line %(number)s: %(day)s is not in %(year)s.")
                                % {"number": number, "day": day.isoformat(), "year": year})
        days[day] = mark
    if not any(not working for working in days.values()):
        raise ScheduleError(_("The schedule lists no holiday; paste the year's holidays and make-up working days."))
    return days


@transaction.atomic
def load_schedule(schedule, days: dict[date, bool]) -> int:
    """Replace the schedule's dates (and single overrides on those dates), then
    re-count the running clocks that reach into its year. Returns how many."""
    WorkdayOverride.objects.filter(schedule=schedule).exclude(date__in=list(days)).delete()
    for day, working in days.items():
        WorkdayOverride.objects.update_or_create(
            date=day, defaults={"is_working_day": working, "schedule": schedule,
                                "note": _("Official schedule %(year)s") % {"year": schedule.year}},
        )
    forget_scheduled_years()
    return retime_running_clocks(due_from=date(schedule.year, 1, 1), started_before=date(schedule.year + 1, 1, 1))


def retime_running_clocks(*, due_from: date, started_before: date) -> int:
    """Count again the running clocks started before ``started_before`` and due on or
    after ``due_from``. An admin's rare action over the clocks a calendar change
    touches; one calendar shared by all, saved in batches."""
    clocks = Clock.objects.filter(stopped_at__isnull=True, due_at__date__gte=due_from,
                                  started_at__date__lt=started_before).order_by("id")
    days = days_for(due_from, 400)
    changed, batch = 0, []
    for clock in clocks.iterator(chunk_size=500):
        timers = timers_for(limit_of(clock), clock.started_at, paused_units=clock.paused_units, days=days)
        clock.due_at = timers.deadline
        if clock.reminded_at is None:
            clock.remind_at = timers.remind_at
        batch.append(clock)
        if len(batch) == 500:
            changed += _save(batch)
            batch = []
    return changed + _save(batch)


def _save(clocks) -> int:
    Clock.objects.bulk_update(clocks, ["due_at", "remind_at"])
    tier = [clock for clock in clocks if clock.kind == TIER]
    Case.objects.bulk_update([Case(pk=clock.case_id, deadline=clock.due_at) for clock in tier], ["deadline"])
    return len(clocks)
