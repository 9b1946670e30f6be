#!/usr/bin/env python
"""`make bench`: the deadline sweep over a million open matters.

Runs against a dedicated database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/governance_bench) on the machine's
PostgreSQL. The first run creates and migrates it, seeds the demo county's
reference data (places, centers, categories) and loads 1,000,000 open matters
with INSERT ... SELECT generate_series (a few minutes); later runs find them
there and start measuring at once.

The data, at a fixed simulated time NOW (so runs do not depend on the date):
  * every matter is open and runs two clocks: its tier clock, due in the future
    (two in three with a reminder due later, the others none), and a second
    clock of another kind ("bench.other", e.g. a statutory step) due later still;
  * matters 100, 200, ... 1,000,000 (exactly 10,000) sit at a village with its
    work station as holder (a town center above). They are "the due set".

What is measured (in this process, the sweep called as beat's task calls it):
  sweep_idle_ms            median of several sweeps with nothing due, after a warm-up
  sweep_10k_escalations_s  the sweep after the due set's deadlines were moved into
                           the past (and the clocks analyzed, as autovacuum keeps a
                           real database): 10,000 escalations village -> town with
                           their events and notifications (new and previous holder)
  sweep_10k_queries        SQL statements that sweep ran
  matters                  open matters in the database

After each measurement the due set is put back (set-based UPDATE) and the
rows the sweep wrote are removed, so every run measures the same thing.
Results go to .bench/results.json (one flat JSON object) and stdout.
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/governance_bench")
# Never DATABASE_URL from the caller's environment: this script empties the timeline.
os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")  # settings want one; the sweep does not use it
os.environ["DJANGO_SETTINGS_MODULE"] = "governance.settings.development"

MATTERS = 1_000_000
DUE_EVERY = 100  # matters 100, 200, ... are the due set
DUE = MATTERS // DUE_EVERY
SLOTS = 1000  # a matter's place is slot (id % SLOTS) of a small table; a multiple of DUE_EVERY
LOAD_CHUNK = 100_000
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday; chinesecalendar knows 2026
RESULTS = ROOT / ".bench" / "results.json"


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_database():
    """Create the bench database if it is missing (the server must run already)."""
    import psycopg2

    parts = urlsplit(BENCH_DATABASE_URL)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to run on {name!r}: the bench empties tables; use a database named *bench*")
    try:
        conn = psycopg2.connect(dbname="postgres", user=parts.username or "postgres", password=parts.password,
                                host=parts.hostname, port=parts.port or 5432)
    except psycopg2.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL for {BENCH_DATABASE_URL}: {error}")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def ensure_reference():
    from django.core.management import call_command

    from demo.reference import seed_reference
    from governance.models import Organisation, TierRule

    call_command("migrate", verbosity=0)
    if not (Organisation.objects.filter(kind="center").exists() and TierRule.objects.exists()):
        log("seeding the demo county's places, centers and categories")
        seed_reference()


def slot_table():
    """SLOTS rows (slot, region, tier, holder): where matter ``id`` sits is slot id % SLOTS.

    Slots that are multiples of DUE_EVERY are villages (the due set lives there);
    of the others, 80 % are village-level places (village, grid, micro-grid, held
    by the village's work station), 15 % towns and 5 % the county.
    """
    from governance.models import Organisation, Region

    steplen = Region.steplen
    centers = dict(Organisation.objects.filter(kind="center").values_list("region__path", "id"))
    by_level = {"county": [], "town": [], "village": [], "village_level": []}
    for region_id, path, level in Region.objects.order_by("path").values_list("id", "path", "level"):
        if level in ("county", "town"):
            by_level[level].append((region_id, level, centers[path]))
        else:  # village, grid, micro-grid: held at the village tier by the village's station
            place = (region_id, "village", centers[path[: 3 * steplen]])
            by_level["village_level"].append(place)
            if level == "village":
                by_level["village"].append(place)
    rows = []
    for slot in range(SLOTS):
        if slot % DUE_EVERY == 0:
            pool = by_level["village"]
        elif slot % 20 < 16:
            pool = by_level["village_level"]
        elif slot % 20 < 19:
            pool = by_level["town"]
        else:
            pool = by_level["county"]
        rows.append((slot, *pool[slot % len(pool)]))
    return rows


def has_matters(cursor):
    cursor.execute("SELECT count(*), count(*) FILTER (WHERE number LIKE 'BENCH-%%') FROM governance_case")
    total, ours = cursor.fetchone()
    return total == ours == MATTERS


def load_matters(cursor):
    """1,000,000 open matters, set-based: INSERT ... SELECT FROM generate_series, in chunks."""
    from governance.models import Category

    log(f"loading {MATTERS:,} matters (first run only)")
    # A half-loaded table from an interrupted run: start again (bench database only).
    cursor.execute("TRUNCATE governance_case CASCADE")
    cursor.execute("CREATE TEMPORARY TABLE bench_slot (slot int PRIMARY KEY, region_id bigint, tier text, "
                   "holder_id bigint)")
    cursor.execute(
        "INSERT INTO bench_slot SELECT * FROM unnest(%s::int[], %s::bigint[], %s::text[], %s::bigint[])",
        [list(column) for column in zip(*slot_table())],
    )
    categories = list(Category.objects.order_by("id").values_list("id", flat=True))
    started = time.monotonic()
    for low in range(1, MATTERS + 1, LOAD_CHUNK):
        high = min(low + LOAD_CHUNK - 1, MATTERS)
        cursor.execute(
            """
            INSERT INTO governance_case (
                id, number, kind, channel, category_id, region_id, address, narrative, tier, holder_id,
                status, deadline, overdue_at, supervised_at, visit_count, police_referrals,
                risk_flagged_at, registered_by_id, created_at, updated_at, resolved_at, closed_at)
            SELECT g, 'BENCH-' || lpad(g::text, 7, '0'),
                   (ARRAY['dispute', 'grid_event', 'petition'])[1 + (g / 100) %% 3], 'walk_in',
                   (%(categories)s::bigint[])[1 + (g / 7) %% %(n_categories)s],
                   s.region_id, '', '压测事项', s.tier, s.holder_id,
                   CASE WHEN g %% 2 = 0 THEN 'registered' ELSE 'in_progress' END,
                   t.deadline,
                   NULL, NULL, 1, 0, NULL, NULL,
                   t.created_at, t.created_at, NULL, NULL
            FROM generate_series(%(low)s, %(high)s) AS g
            JOIN bench_slot AS s ON s.slot = g %% %(slots)s
            CROSS JOIN LATERAL (SELECT
                %(now)s + interval '2 days' + (g %% 20) * interval '1 day' + (g %% 3600) * interval '1 second'
                    AS deadline,
                %(now)s - (g %% 90) * interval '1 day' AS created_at) AS t
            """,
            {"categories": categories, "n_categories": len(categories), "low": low, "high": high,
             "slots": SLOTS, "now": NOW},
        )
        cursor.execute("INSERT INTO governance_casetext (case_id, narrative, search_text) "
                       "SELECT id, narrative, number || E'\\n' || narrative FROM governance_case "
                       "WHERE id BETWEEN %s AND %s", [low, high])
        log(f"  {high:>9,} matters ({time.monotonic() - started:.0f}s)")
    cursor.execute("SELECT setval(pg_get_serial_sequence('governance_case', 'id'), %s)", [MATTERS])
    cursor.execute("DROP TABLE bench_slot")


CLOCKS_SQL = """
INSERT INTO governance_clock (case_id, kind, unit, "limit", started_at, due_at, remind_at, paused_units,
                              outcome, data)
SELECT c.id, k.kind, 'working_days', k.lim, c.created_at, k.due_at, k.remind_at, 0, '', '{}'::jsonb
FROM governance_case c
CROSS JOIN LATERAL (VALUES
    ('tier', 5, c.deadline, CASE WHEN c.id %% 3 = 0 THEN NULL ELSE c.deadline - interval '1 day' END),
    ('bench.other', 60, c.deadline + interval '40 days', NULL)
) AS k (kind, lim, due_at, remind_at)
WHERE c.id BETWEEN %(low)s AND %(high)s
"""


def ensure_clocks(cursor):
    """Two running clocks per open matter (a bench database from before the clock table gets them)."""
    cursor.execute("SELECT count(*) FROM governance_clock")
    if cursor.fetchone()[0] == 2 * MATTERS:
        return
    log(f"writing {2 * MATTERS:,} clocks (first run only)")
    cursor.execute("TRUNCATE governance_clock")
    started = time.monotonic()
    for low in range(1, MATTERS + 1, LOAD_CHUNK):
        cursor.execute(CLOCKS_SQL, {"low": low, "high": min(low + LOAD_CHUNK - 1, MATTERS)})
    log(f"  clocks written ({time.monotonic() - started:.0f}s)")
    cursor.execute("VACUUM (ANALYZE) governance_clock")


def reset(cursor):
    """Back to the starting point: nothing due, no rows written by a sweep.

    The timeline is append-only: migration 0002's trigger refuses UPDATE and
    DELETE on governance_caseevent, row by row. TRUNCATE fires no row triggers,
    and in this throwaway database the timeline holds only what the benchmark's
    sweeps wrote, so emptying it is the reset. Never do this to a real database.
    Without CASCADE: should another table ever point at events, this fails loudly.
    """
    cursor.execute("SELECT to_regclass('governance_notification') IS NOT NULL")
    tables = ["governance_caseevent"] + (["governance_notification"] if cursor.fetchone()[0] else [])
    cursor.execute(f"TRUNCATE {', '.join(tables)}")
    # The due set back at its village station, due in a few days, no reminder pending,
    # with one running tier clock (the sweep's stopped ones and the town's new ones removed).
    due_set = {"now": NOW, "every": DUE_EVERY, "matters": MATTERS}
    cursor.execute(
        """
        UPDATE governance_case AS c
        SET tier = 'village', holder_id = o.id, overdue_at = NULL,
            deadline = %(now)s + interval '3 days' + (c.id %% 600) * interval '1 minute', updated_at = %(now)s
        FROM governance_organisation AS o
        WHERE c.id IN (SELECT generate_series(%(every)s, %(matters)s, %(every)s))
          AND o.region_id = c.region_id AND o.kind = 'center'
        """,
        due_set,
    )
    if cursor.rowcount != DUE:
        sys.exit(f"reset touched {cursor.rowcount} matters, expected {DUE}: is the bench data intact?")
    cursor.execute(
        """
        DELETE FROM governance_clock
        WHERE kind = 'tier' AND case_id IN (SELECT generate_series(%(every)s, %(matters)s, %(every)s))
        """,
        due_set,
    )
    cursor.execute(
        """
        INSERT INTO governance_clock (case_id, kind, unit, "limit", started_at, due_at, remind_at,
                                      paused_units, outcome, data)
        SELECT c.id, 'tier', 'working_days', 5, c.created_at, c.deadline, NULL, 0, '', '{}'::jsonb
        FROM governance_case c WHERE c.id IN (SELECT generate_series(%(every)s, %(matters)s, %(every)s))
        """,
        due_set,
    )
    # Dead rows and index entries from the last run would otherwise tax the next one.
    cursor.execute("VACUUM (ANALYZE) governance_case")
    cursor.execute("VACUUM (ANALYZE) governance_clock")


def make_due(cursor):
    """The due set's tier clocks (and deadlines) 1 minute to 10 hours in the past."""
    cursor.execute(
        """
        UPDATE governance_clock
        SET due_at = %(now)s - (1 + case_id %% 600) * interval '1 minute'
        WHERE kind = 'tier' AND stopped_at IS NULL
          AND case_id IN (SELECT generate_series(%(every)s, %(matters)s, %(every)s))
        """,
        {"now": NOW, "every": DUE_EVERY, "matters": MATTERS},
    )
    assert cursor.rowcount == DUE
    # On a county's database the clocks that come due were written days before, and the
    # planner's statistics know their due times; this UPDATE moves 10,000 of them below
    # everything the statistics have seen, which would have the claim planned for ~200
    # due clocks (sort them all, for every batch: 0.7-1.5 s of the sweep) instead of
    # walking the due-time index. ANALYZE gives the planner what a real database has.
    cursor.execute("ANALYZE governance_clock")


class StatementCounter:
    """A connection execute_wrapper that only counts (cheaper than CaptureQueriesContext)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_sweep():
    from django.db import connection

    from governance.timers.sweep import sweep_clocks

    counter = StatementCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = sweep_clocks(now=NOW)
        elapsed = time.perf_counter() - started
    return result, elapsed, counter.count


def measure_sweep(args):
    """The sweep's keys of results.json (see the module's docstring)."""
    from django.db import connection

    from governance.models import CaseEvent, Notification

    timed_sweep()  # warm-up: connection, imports, plans
    idle = []
    for _ in range(args.idle_runs):
        result, elapsed, idle_queries = timed_sweep()
        if (result.reminded, result.escalated, result.overdue, result.failed) != (0, 0, 0, []):
            sys.exit(f"the idle sweep found work: {result}; the bench data are not what they should be")
        idle.append(elapsed * 1000)

    runs = []
    for run in range(args.runs):
        with connection.cursor() as cursor:
            make_due(cursor)
        result, elapsed, queries = timed_sweep()
        events = CaseEvent.objects.filter(type="escalated").count()
        notifications = Notification.objects.filter(kind__in=["escalated", "escalated_away"]).count()
        log(f"run {run + 1}: {result.escalated} escalated in {elapsed:.2f}s, {queries} statements")
        if (result.escalated, result.reminded, result.overdue, result.failed, events, notifications) != (
                DUE, 0, 0, [], DUE, 2 * DUE):
            sys.exit(f"expected {DUE} escalations, events and two notifications each, got {result}, "
                     f"{events} events and {notifications} notifications")
        runs.append((elapsed, queries))
        with connection.cursor() as cursor:
            reset(cursor)

    return {
        "sweep_idle_ms": round(statistics.median(idle), 2),
        "sweep_10k_escalations_s": round(statistics.median(r[0] for r in runs), 3),
        "sweep_10k_queries": int(statistics.median(r[1] for r in runs)),
        "sweep_10k_escalated": DUE,
        "clocks": 2 * MATTERS,
        "sweep_idle_queries": idle_queries,
        "sweep_idle_min_ms": round(min(idle), 2),
        "sweep_idle_max_ms": round(max(idle), 2),
        "sweep_10k_runs": len(runs),
        "sweep_10k_min_s": round(min(r[0] for r in runs), 3),
        "sweep_10k_max_s": round(max(r[0] for r in runs), 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle-runs", type=int, default=15, help="idle sweeps to take the median of")
    parser.add_argument("--runs", type=int, default=3, help="10k-escalation sweeps to take the median of")
    parser.add_argument("--parts", default="sweep,lists",
                        help="what to measure: sweep, lists (search and the matter list), or both; the keys of "
                             "the parts not run stay in results.json as they were")
    args = parser.parse_args()
    parts = set(args.parts.split(","))

    ensure_database()
    import django

    django.setup()
    from django.db import connection

    from governance.choices import OPEN_STATUSES
    from governance.models import Case

    ensure_reference()
    with connection.cursor() as cursor:
        if not has_matters(cursor):
            load_matters(cursor)
        ensure_clocks(cursor)
        log("resetting the due set and vacuuming")
        reset(cursor)

    open_matters = Case.objects.filter(status__in=OPEN_STATUSES).count()
    load_before = os.getloadavg()[0]  # other work on the machine skews the numbers: recorded with them
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "sweep" in parts:
        results.update(measure_sweep(args))
    if "lists" in parts:
        import bench_lists

        RESULTS.parent.mkdir(exist_ok=True)
        results.update(bench_lists.measure(RESULTS.parent))
    results.update({
        "matters": open_matters,
        "loadavg_1m_before": round(load_before, 2),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "simulated_now": NOW.isoformat(),
        "database": urlsplit(BENCH_DATABASE_URL).path.lstrip("/"),
    })
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
