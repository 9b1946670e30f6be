"""`manage.py seed_demo [--cases N]`: the demo county, idempotently."""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.reference import seed_reference
from demo.cases import BIG_SEED
from demo.load import generate_cases
from governance.models import Case, Organisation, Region, User
from demo.intake import seed_intake
from demo.mediation import seed_mediation
from demo.grid import seed_grid
from demo.petitions import seed_petitions
from demo.bulk_records import seed_records
from governance.dashboards.rollup import refresh as refresh_dashboards
from demo.triage import train_demo_model


def on_own_connection(step, *args):
    """``step`` in a thread, which has a database connection of its own: closed after."""
    try:
        return step(*args)
    finally:
        connection.close()


class Command(BaseCommand):
    help = (
        "Seed the demo county 示范县: places, organisations, categories and accounts "
        "(password demo12345), and with --cases N enough demo matters to hold at least N."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=0,
            help="ensure at least this many matters exist (adds N minus the current count; default 0)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for a reproducible demo")

    def handle(self, *args, cases=0, seed=2026, verbosity=1, **options):
        if cases < 0:
            raise CommandError("--cases must be 0 or more")
        started = time.monotonic()
        phases = {}  # what took how long (-v 2 shows it: where a big seed spends its minutes)

        def timed(name, step, *args, **kwargs):
            begun = time.monotonic()
            value = step(*args, **kwargs)
            phases[name] = time.monotonic() - begun
            return value

        report = timed("reference", seed_reference)
        timed("intake", seed_intake)
        timed("grid", seed_grid, events=cases > 0)
        missing = max(0, cases - Case.objects.count())
        progress = missing >= 5000 and verbosity > 0 and sys.stderr.isatty()
        added = timed("matters", generate_cases, missing, seed=seed, progress=progress,
                      verbose=verbosity > 1)
        timed("mediation", seed_mediation, seed=seed)  # after the matters: its demo mediations sit on them
        timed("petitions", seed_petitions)
        # Training reads the closed matters and writes only its model. After a big load it
        # runs in a thread beside the apps' records and the dashboards' counts, which are the
        # server's work: its Python has a core of its own meanwhile.
        beside = added >= BIG_SEED and not connection.in_atomic_block
        with ThreadPoolExecutor(max_workers=1) as pool:
            training = pool.submit(on_own_connection, timed, "triage", train_demo_model) if beside else None
            records = timed("records", seed_records)  # the apps' records of every other generated matter, set-based
            timed("dashboards", refresh_dashboards, full=True)  # the leaders' dashboards count them at once
            model = training.result() if training else timed("triage", train_demo_model)
        if verbosity > 1:
            self.stderr.write("phases: " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in phases.items()))
        if verbosity == 0:
            return
        created = report.created
        self.stdout.write(
            f"Demo county ready in {time.monotonic() - started:.1f}s: "
            f"{Region.objects.count()} regions (+{created['regions']}), "
            f"{Organisation.objects.count()} organisations (+{created['organisations']}), "
            f"{created['categories']} new categories, "
            f"{User.objects.count()} accounts (+{created['accounts']}), "
            f"{added} matters added ({Case.objects.count()} in all); app records added: {records}."
            + (f" Triage model v{model.version} trained on {model.matters} closed matters ({model.status})."
               if model else "")
        )
