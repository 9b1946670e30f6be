#!/usr/bin/env python
"""`make bench-dashboard`: the leaders' dashboards at 1,000,000 demo matters, over HTTP.

1. `manage.py seed_demo --cases 1000000` into a database of its own
   (DASHBOARD_DATABASE_URL, default .../governance_bench_dashboard), timed: seed_1m_s
   (the first run only; later runs find the matters there and reuse them);
2. the dashboards' summary rebuilt in full (refresh_dashboards --full);
3. a real gunicorn on loopback (WORKERS: 4) serving that database; as the demo's
   county `leader` and as a town leader, with a token:
     dashboard_county_p95_ms   GET /dashboard/ (the whole page: every figure and
                               chart) for the last 365 days, the county
     dashboard_county_api_p95_ms  GET /api/v1/dashboard/summary/ for the same
     dashboard_town_p95_ms     GET /dashboard/ for one town
     case_list_p95_ms          GET /api/v1/cases/ (first page) as the county leader
   and beside them the summary's aggregate as hand-written SQL on a raw psycopg2
   connection (dashboard_county_raw_sql_p95_ms): the ORM and the page must stay
   within 2x of it. p50 and p95 over REQUESTS requests each, after a warm-up.
   Before them: the county page once with nothing in the cache (dashboard_county_cold_ms:
   the page counting the apps' live figures itself), then what beat does every
   DASHBOARD_WARM_SECONDS (warm_dashboards_task, timed: dashboard_warm_s).
Results are merged into .bench/results.json (other keys are kept).
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / ".bench" / "results.json"
DATABASE_URL = os.environ.get("DASHBOARD_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/governance_bench_dashboard")
REDIS_URL = os.environ.get("DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/13")
MATTERS = int(os.environ.get("DASHBOARD_MATTERS", "1000000"))
REQUESTS = 60
WORKERS = 4  # gunicorn workers, as the production shape runs
TOWN = "339901001000"


def log(message):
    print(message, file=sys.stderr, flush=True)


def env():
    return {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "governance.settings.development", "CACHE_KEY_PREFIX": "benchdash"}


def manage(*args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True, **kwargs)


def ensure_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to use {name!r}: the bench needs a database of its own named *bench*")
    conn = psycopg2.connect(dbname="postgres", user=parts.username or "postgres", host=parts.hostname,
                            port=parts.port or 5432)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def matters():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    with psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username or "postgres", host=parts.hostname,
                          port=parts.port or 5432) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT to_regclass('governance_case') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM governance_case")
        return cursor.fetchone()[0]


def seed() -> float | None:
    manage("migrate", "-v0")
    if matters() >= MATTERS:
        log(f"{MATTERS:,} matters are there already: seed not timed again")
        return None
    log(f"seeding {MATTERS:,} demo matters (timed)")
    started = time.monotonic()
    manage("seed_demo", "--cases", str(MATTERS), "-v2")  # -v2: each phase's time on stderr
    return round(time.monotonic() - started, 1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fetch, n=REQUESTS):
    for _ in range(2 * WORKERS):  # warm-up: each worker's connection, caches and plans
        fetch()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), round(percentile(times, 0.95), 1)


class Session:
    """A signed-in browser: the login form, then its session cookie."""

    def __init__(self, base, username):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(f"{base}/accounts/login/").read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        body = urlencode({"username": username, "password": "demo12345", "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(f"{base}/accounts/login/", data=body, headers={"Referer": base})
        self.opener.open(request).read()

    def get(self, path, params=None):
        url = f"{self.base}{path}" + (f"?{urlencode(params)}" if params else "")
        with self.opener.open(url) as response:
            body = response.read()
            assert response.status == 200, (url, response.status)
            return body


def county_path():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    with psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username or "postgres", host=parts.hostname,
                          port=parts.port or 5432) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT path FROM governance_region WHERE code = '339901000000'")
        return cursor.fetchone()[0]


def raw_summary_sql(region_path, date_from, date_to):
    """The summary's aggregate, written by hand, on a connection of its own."""
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    conn = psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username or "postgres", host=parts.hostname,
                            port=parts.port or 5432)
    sql = """
        SELECT sum(registered) FILTER (WHERE d.dimension = 'all'), sum(resolved) FILTER (WHERE d.dimension = 'all'),
               sum(resolved_on_time) FILTER (WHERE d.dimension = 'all'), sum(repeat) FILTER (WHERE d.dimension = 'all'),
               sum(settled_village) FILTER (WHERE d.dimension = 'kind' AND d.value = 'dispute'),
               sum(settled_first_visit) FILTER (WHERE d.dimension = 'kind' AND d.value = 'petition'),
               sum(overdue) FILTER (WHERE d.dimension = 'all'), sum(open) FILTER (WHERE d.dimension = 'all')
        FROM governance_matterday d JOIN governance_region r ON r.id = d.place_id
        WHERE d.dimension IN ('all', 'kind') AND d.day BETWEEN %s AND %s AND r.path LIKE %s
    """

    def run():
        with conn.cursor() as cursor:
            cursor.execute(sql, [date_from, date_to, region_path + "%"])
            cursor.fetchall()

    return run, conn


def main():
    ensure_database()
    seed_seconds = seed()
    log("rebuilding the dashboards' summary")
    started = time.monotonic()
    manage("refresh_dashboards", "--full")
    refresh_seconds = round(time.monotonic() - started, 1)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "governance.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--log-level", "warning"], cwd=ROOT, env=env(), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        manage("shell", "-c", "from governance.models import Organisation, User; "
                              f"User.objects.get_or_create(username='bench_town_leader', defaults={{'role': 'leader', "
                              f"'organisation': Organisation.objects.get(region__code='{TOWN}', kind='center')}}); "
                              "u = User.objects.get(username='bench_town_leader'); u.set_password('demo12345'); "
                              "u.save()", capture_output=True)
        today = date.today()
        year = {"from": (today - timedelta(days=365)).isoformat(), "to": today.isoformat()}
        county, town = Session(base, "leader"), Session(base, "bench_town_leader")
        results = {}
        # Once, with nothing kept: the page counting the apps' live figures itself.
        manage("shell", "-c", "from django.core.cache import cache; cache.delete_pattern('dashboard:*')",
               capture_output=True)
        started = time.perf_counter()
        county.get("/dashboard/", year)
        results["dashboard_county_cold_ms"] = round((time.perf_counter() - started) * 1000, 1)
        # What beat does every DASHBOARD_WARM_SECONDS: the usual views' live figures counted ahead.
        started = time.monotonic()
        manage("shell", "-c", "from governance.tasks import warm_dashboards_task; warm_dashboards_task()",
               capture_output=True)
        results["dashboard_warm_s"] = round(time.monotonic() - started, 1)
        results["dashboard_county_p50_ms"], results["dashboard_county_p95_ms"] = timed(
            lambda: county.get("/dashboard/", year))
        results["dashboard_county_api_p50_ms"], results["dashboard_county_api_p95_ms"] = timed(
            lambda: county.get("/api/v1/dashboard/summary/", year))
        results["dashboard_town_p50_ms"], results["dashboard_town_p95_ms"] = timed(
            lambda: town.get("/dashboard/", year))
        results["case_list_http_p50_ms"], results["case_list_http_p95_ms"] = timed(
            lambda: county.get("/api/v1/cases/"))
        run, conn = raw_summary_sql(county_path(), year["from"], year["to"])
        results["dashboard_county_raw_sql_p50_ms"], results["dashboard_county_raw_sql_p95_ms"] = timed(run)
        conn.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results.update({"dashboard_matters": matters(), "dashboard_refresh_full_s": refresh_seconds,
                    "dashboard_requests_each": REQUESTS, "dashboard_loadavg_1m": round(os.getloadavg()[0], 2)})
    if seed_seconds is not None:
        results["seed_1m_s"] = seed_seconds
    RESULTS.parent.mkdir(exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
