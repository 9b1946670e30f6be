from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="the folder to create (default .local/backups/<time>)")

    def handle(self, *args, to=None, **options):
        try:
            folder = backup(to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {folder}")
