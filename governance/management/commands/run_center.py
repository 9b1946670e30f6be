"""`make run`: set everything up, then run web + worker + beat in the foreground."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [
    ("admin", "superuser / admin"),
    ("leader", "county center leader"),
    ("clerk", "county center window clerk"),
    ("town_clerk", "first town's center clerk"),
    ("other_town_clerk", "second town's center clerk"),
    ("mediator", "county mediator"),
    ("village_mediator", "first village's mediator"),
    ("gridworker", "grid worker of that village's three grids"),
    ("village_clerk", "first village's clerk: registers and dispatches its grid events"),
    ("handler", "handler of the county labour bureau (stationed department)"),
    ("petition_clerk", "clerk of the county petition bureau (县信访局, the petition office)"),
    ("housing_handler", "handler of the county housing bureau (stationed department)"),
]


class Command(BaseCommand):
    help = "Migrate, seed the demo county, then run the web server, a Celery worker and Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--cases", type=int, default=1500, help="demo matters to have (0: none)")

    def handle(self, *args, port, cases, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("seed_demo", cases=cases)
        self.print_banner(port)
        procfile = Path(settings.BASE_DIR) / "Procfile"
        bin_dir = str(Path(sys.executable).parent)  # gunicorn and celery live beside this python
        env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "PYTHONUNBUFFERED": "1"}
        command = [str(Path(bin_dir) / "honcho"), "start", "-f", str(procfile), "-d", str(settings.BASE_DIR)]
        runner = subprocess.Popen([*command, "-p", str(port)], env=env)
        # Ctrl-C reaches honcho too (same process group): let it stop its children
        # cleanly, then return so the embedded servers are stopped at exit.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda signum, frame: runner.send_signal(signal.SIGTERM))
        runner.wait()
        self.stdout.write("Stopped. Data is kept under .local/ for next time.")

    def print_banner(self, port):
        lines = [
            "",
            f"  County social governance center: http://127.0.0.1:{port}/",
            "  Demo accounts (password demo12345):",
            *[f"    {username:<18} {what}" for username, what in DEMO_ACCOUNTS],
            "  API docs: /api/docs/   Admin: /admin/   Stop: Ctrl-C",
            "",
        ]
        self.stdout.write("\n".join(lines))
