"""One sweep of every clock, synchronously: `manage.py sweep_deadlines [--now 2027-01-31T09:00] [--batch-size N]`."""
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.timers.sweep import BATCH_SIZE, sweep_clocks


def parse_local_time(text):
    """ISO time; without an offset it is local (Asia/Shanghai) time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now: not an ISO date and time: {text!r} (e.g. 2027-01-31T09:00)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = ("Send due reminders and act on every clock past its limit: escalate matters past their tier's "
            "limit, mark county matters overdue, and each app's own clocks.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=parse_local_time, help="simulate this time (drills, tests)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                            help=f"clocks claimed per transaction (default {BATCH_SIZE})")

    def handle(self, *args, now=None, batch_size=BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        result = sweep_clocks(now=now, batch_size=batch_size)
        others = {kind: n for kind, n in sorted(result.fired.items()) if kind != "tier"}
        self.stdout.write(
            f"reminders: {result.reminded}, escalations: {result.escalated}, overdue: {result.overdue}, "
            f"other clocks: {others or 0}, failed: {len(result.failed)}"
        )
        for clock_id, error in result.failed:
            self.stderr.write(f"clock {clock_id} skipped: {error}")
