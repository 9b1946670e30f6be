"""`manage.py refresh_dashboards [--full]`: bring the dashboards' daily summary up to date."""
from django.core.management.base import BaseCommand

from governance.dashboards.rollup import refresh


class Command(BaseCommand):
    help = "Rebuild the dashboards' daily summary for the days whose matters changed (or all days: --full)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="rebuild every day")

    def handle(self, *args, full=False, **options):
        result = refresh(full=full)
        self.stdout.write("skipped: another refresh is running" if result["skipped"]
                          else f"days rebuilt: {result['days']}")
