"""One deadline sweep, synchronously: `manage.py sweep_deadlines [--now 2027-01-31T09:00] [--batch-size N]`."""
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.timers.sweep import BATCH_SIZE, sweep_deadlines


def parse_local_time(text):
    """ISO time; without an offset it is local (Asia/Shanghai) time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now: not an ISO date and time: {text!r} (e.g. 2027-01-31T09:00)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Send due reminders, escalate matters past their tier's limit, mark county matters overdue."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=parse_local_time, help="simulate this time (drills, tests)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                            help=f"matters claimed per transaction (default {BATCH_SIZE})")

    def handle(self, *args, now=None, batch_size=BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        result = sweep_deadlines(now=now, batch_size=batch_size)
        self.stdout.write(
            f"reminders: {result.reminded}, escalations: {result.escalated}, overdue: {result.overdue}, "
            f"failed: {len(result.failed)}"
        )
        for case_id, error in result.failed:
            self.stderr.write(f"matter {case_id} skipped: {error}")
