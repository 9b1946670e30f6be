"""The tier rules as the demo generator applies them to a million simulated matters."""
from datetime import datetime, timedelta

from governance.timers.calendar import Days, due_after
from governance.timers.deadlines import Limit, tier_limit, timers_for

from demo.dates import HOUR, SHANGHAI, dt


class Limits:
    """The tier rules as the sweep applies them, fast enough for a million matters:
    each (kind, category, tier)'s limit looked up once, and each limit counted from
    a start date once (working days keep the time of day; legal days end at 24:00;
    hours are hours), on one calendar loaded for the whole span."""

    def __init__(self, first_ts, last_ts):
        first, last = dt(first_ts).date(), dt(last_ts).date()
        self.days = Days(first - timedelta(days=1), last + timedelta(days=500))
        self.rules, self.offsets = {}, {}

    def limit(self, kind, category_id, tier) -> Limit:
        key = (kind, category_id, tier)
        if key not in self.rules:
            self.rules[key] = tier_limit(kind=kind, category_id=category_id, tier=tier)
        return self.rules[key]

    def deadline(self, kind, category_id, tier, start_ts) -> float:
        limit = self.limit(kind, category_id, tier)
        if limit.unit == "hours":
            return start_ts + limit.limit * HOUR
        start = dt(start_ts)
        key = (limit, start.date())
        if key not in self.offsets:
            midnight = datetime.combine(start.date(), datetime.min.time(), SHANGHAI)
            due = due_after(midnight, limit.limit, limit.unit, self.days)
            # working days: same time of day, N days on; legal days: a fixed end (24:00)
            self.offsets[key] = ("fixed", due.timestamp()) if limit.unit == "calendar_days" else \
                ("offset", due.timestamp() - midnight.timestamp())
        how, value = self.offsets[key]
        return value if how == "fixed" else start_ts + value

    def timers(self, kind, category_id, tier, start_ts):
        return timers_for(self.limit(kind, category_id, tier), dt(start_ts), days=self.days)
