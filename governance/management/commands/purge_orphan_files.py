"""Remove uploaded files that no row points at (written for a transaction that then
rolled back, or left by a process killed between the write and the commit).

Every model's FileFields are read, so each app's uploads are covered; a file is only
removed when older than --min-age (a registration in flight writes its files before
its rows). Celery beat runs it hourly (governance.tasks.purge_orphan_files_task)."""
from django.core.management.base import BaseCommand

from governance.files import purge_orphan_files


class Command(BaseCommand):
    help = "Remove uploaded files that no row points at."

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=int, default=3600, help="seconds a file must be old (default 3600)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age, dry_run, **options):
        removed = purge_orphan_files(min_age=min_age, dry_run=dry_run)
        for name in removed:
            self.stdout.write(name)
        self.stdout.write(f"{'would remove' if dry_run else 'removed'} {len(removed)} orphan file(s)")
