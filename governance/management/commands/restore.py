from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty database, and its files into the media root."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", help="restore into this (empty) database instead of the configured one")
        parser.add_argument("--media-root", type=Path, help="put the files here instead of MEDIA_ROOT")

    def handle(self, *args, folder, database_url=None, media_root=None, **options):
        try:
            manifest = restore(folder, target=Target.from_url(database_url) if database_url else None,
                               media_root=media_root)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {manifest['cases']} matters, {manifest['events']} timeline events and "
                          f"{len(manifest['media'])} files from {folder}")
