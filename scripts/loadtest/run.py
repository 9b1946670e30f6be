"""`make loadtest`: the production shape on this machine, under a city's mixed traffic.

It starts, on loopback, everything docker-compose.yml runs (nginx in front of gunicorn with
4 workers, a timers worker and a worker for the other queues, one beat), against a database
of its own on the machine's PostgreSQL (LOAD_DATABASE_URL, created, migrated and seeded with
--cases demo matters once, reused after) and a Redis database of its own (LOAD_REDIS_URL,
emptied first). Then Locust (scripts/loadtest/locustfile.py) runs headless for --duration
seconds while --due open village matters reach their tier limit one after another: the
sweep, under the load, must escalate each within 2 minutes.

Written to .bench/loadtest.json (the previous runs kept under "history"): throughput,
p50/p95/p99 for each kind of request, errors, the escalation lag, the machine's load average
before and after, and the CPU each part used (the bottleneck). Every process started here
is stopped at the end, whatever happens.
"""
import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from deploy.nginx.loopback import nginx_config  # noqa: E402  (the project's root, put on the path above)
PY = sys.executable
TARGETS = {"registrations_per_s": 100, "p95_ms": 300, "errors": 0, "max_escalation_lag_s": 120}
REGISTRATIONS = ("clerk: register (API)", "clerk: register at the desk", "clerk: register at the desk (photo)")


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("LOADTEST_SECONDS") or 300))
    parser.add_argument("--cases", type=int, default=int(os.environ.get("LOADTEST_CASES") or 20000),
                        help="demo matters in the database before the run (seeded once)")
    parser.add_argument("--due", type=int, default=int(os.environ.get("LOADTEST_DUE") or 600),
                        help="open matters whose tier limit runs out during the run (as many as there are)")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LOADTEST_THREADS") or 2),
                        help="gunicorn threads per worker")
    parser.add_argument("--no-nginx", action="store_true", help="Locust talks to gunicorn directly")
    parser.add_argument("--gapless", action="store_true",
                        help="CASE_NUMBERS_GAPLESS=true (a county's default) instead of a city's setting")
    parser.add_argument("--dashboard-cache", type=int, default=900, help="DASHBOARD_CACHE_SECONDS (0: none)")
    parser.add_argument("--fresh", action="store_true", help="drop the load database and seed it again")
    parser.add_argument("--label", default=os.environ.get("LOADTEST_LABEL", ""))
    parser.add_argument("--out", default=str(ROOT / ".bench/loadtest.json"))
    return parser.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[loadtest {datetime.now():%H:%M:%S}] {message}", flush=True)


class Processes:
    """Every process this run starts, each in a session of its own; all stopped at the end."""

    def __init__(self, folder):
        self.folder, self.started = folder, {}

    def start(self, name, command, env, cwd=ROOT):
        output = (self.folder / f"{name}.log").open("w")
        self.started[name] = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                              start_new_session=True)
        return self.started[name]

    def check(self):
        for name, process in self.started.items():
            if process.poll() is not None and name != "locust":
                raise RuntimeError(f"{name} stopped (exit {process.returncode}); see {self.folder / name}.log")

    def stop(self):
        for name, process in reversed(list(self.started.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.started.items():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the group this run created for it
                process.wait()


def database(url, *, fresh):
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env, *command):
    subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)


def wait_ready(url, processes, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        processes.check()
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} never became ready")
        time.sleep(0.5)


class Watcher(threading.Thread):
    """Every 2 s: which due matters are escalated (first seen), the timers' lag and the
    queues as /metrics reports them; every 5 s, the CPU each part of the shape used."""

    def __init__(self, database_url, due, metrics_url, processes):
        super().__init__(daemon=True)
        self.database_url, self.metrics_url, self.processes = database_url, metrics_url, processes
        self.due = {row["case"]: row["due_at"] for row in due}
        self.escalated = {}
        self.max_oldest_due, self.max_queue = 0.0, {}
        # PostgreSQL sessions of this database, sampled every 2 s: how many run, how many wait
        # on a lock and on which statement (a hot row shows up here, not in CPU figures).
        self.samples, self.active, self.lock_waits = 0, 0, {}
        self.stopping = threading.Event()
        self.cpu = {}  # part -> {pid: [cpu seconds at the first sample, at the last]}
        self.started = time.time()
        self.database_name = urlsplit(database_url).path.lstrip("/")

    def run(self):
        connection = psycopg2.connect(self.database_url)
        connection.autocommit = True
        ticks = 0
        while not self.stopping.is_set():
            try:
                self.poll(connection)
                if ticks % 3 == 0:
                    self.sample_cpu()
            except Exception as error:  # noqa: BLE001 - keep watching
                log(f"watcher: {error}")
            ticks += 1
            self.stopping.wait(2)
        self.sample_cpu()
        connection.close()

    def poll(self, connection):
        pending = [case for case in self.due if case not in self.escalated]
        if pending:
            with connection.cursor() as cursor:
                cursor.execute("SELECT DISTINCT case_id FROM governance_caseevent WHERE type = 'escalated' "
                               "AND case_id = ANY(%s)", [pending])
                now = time.time()
                for (case,) in cursor.fetchall():
                    self.escalated[case] = now
        with connection.cursor() as cursor:
            cursor.execute("SELECT state, wait_event_type, left(query, 90) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            self.samples += 1
            for state, wait, query in cursor.fetchall():
                if state == "active":
                    self.active += 1
                    if wait == "Lock":
                        key = " ".join(query.split())
                        self.lock_waits[key] = self.lock_waits.get(key, 0) + 1
        with urllib.request.urlopen(self.metrics_url, timeout=5) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("governance_clock_oldest_due_seconds "):
                    self.max_oldest_due = max(self.max_oldest_due, float(line.split()[-1]))
                elif line.startswith("governance_celery_queue_length{"):
                    queue = line.split('queue="')[1].split('"')[0]
                    self.max_queue[queue] = max(self.max_queue.get(queue, 0), float(line.split()[-1]))

    def part_of(self, process):
        """Which part of the shape a process is (by what this run started, or by its title)."""
        for name, started in self.processes.started.items():
            if process.pid == started.pid:
                return name
        try:
            parent = process.parent()
        except psutil.Error:
            parent = None
        for name, started in self.processes.started.items():
            if parent is not None and parent.pid == started.pid:
                return name
        title = " ".join(process.cmdline())
        if title.startswith("postgres:") and f" {self.database_name} " in title:
            return "postgresql (this database's sessions)"
        if "redis-server" in title and ":6379" in title:
            return "redis (the machine's, shared)"
        return None

    def sample_cpu(self):
        self.last_sample_at = time.time()
        for process in psutil.process_iter():
            try:
                part = self.part_of(process)
                if part is None:
                    continue
                times = process.cpu_times()
                used = times.user + times.system
                seen = self.cpu.setdefault(part, {})
                if process.pid not in seen:
                    # A process older than the run (the shared servers): count from now on.
                    seen[process.pid] = [used if process.create_time() < self.started else 0.0, used]
                seen[process.pid][1] = used
            except psutil.Error:
                continue


def locust_stats(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as handle:
            failures = [{"request": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                        for row in csv.DictReader(handle)]
    return rows, failures


def figure(value):
    return None if value in ("", "N/A", None) else round(float(value), 1)


def main():
    options = arguments()
    started_at = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gov_load")
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
    folder = Path(tempfile.mkdtemp(prefix="loadtest-", dir=os.environ.get("LOADTEST_DIR") or None))
    (folder / "static").mkdir()
    (folder / "media").mkdir()
    log(f"logs and files in {folder}; load average before: {load_before}")

    web_port, site_port = free_port(), free_port()
    use_nginx = not options.no_nginx and shutil.which("nginx") is not None
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "scripts.loadtest.settings",
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "CACHE_KEY_PREFIX": "govload",
        "SECRET_KEY": "loadtest-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false", "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "LOG_REQUESTS": "true",
        "STATIC_ROOT": str(folder / "static"), "MEDIA_ROOT": str(folder / "media"),
        "MEDIA_ACCEL_REDIRECT": "/protected-media/" if use_nginx else "",
        # Every citizen of the test comes from 127.0.0.1: the per-address limits would refuse them.
        "PUBLIC_STATUS_RATE_IP": "1000000/m", "PUBLIC_STATUS_RATE_NUMBER": "1000000/d",
        # A city's settings (docs/deploy.md, "Sizing"): numbers taken outside the registration's
        # transaction; the apps' live dashboard figures kept as in production; the hotline
        # system's account allowed the whole city's volume (a person's default is 1,200 a minute).
        "CASE_NUMBERS_GAPLESS": "true" if options.gapless else "false",
        "DASHBOARD_CACHE_SECONDS": str(options.dashboard_cache),
        "API_USER_RATE": "60000/min",
        "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT),
    }
    database(database_url, fresh=options.fresh)
    log("migrating and seeding (first run only: minutes)")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--cases", str(options.cases), "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    fixtures = folder / "fixtures.json"
    subprocess.run([PY, "scripts/loadtest/fixtures.py", "prepare", str(fixtures)], cwd=ROOT, env=env, check=True)
    # The fixtures' mediations were booked in the past: whatever of theirs came due is acted on
    # now, so the timers' lag measured during the run is the run's own.
    manage(env, "sweep_deadlines")

    processes = Processes(folder)
    watcher = None
    try:
        processes.start("web", [PY, "-m", "gunicorn", "governance.wsgi", "--config", "deploy/gunicorn.conf.py"], {
            **env, "GUNICORN_BIND": f"127.0.0.1:{web_port}", "WEB_CONCURRENCY": str(options.web_workers),
            "GUNICORN_THREADS": str(options.threads), "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus-web")})
        celery = [PY, "-m", "celery", "-A", "governance"]
        processes.start("worker-timers", [*celery, "worker", "--queues", "timers", "--concurrency", "1",
                                          "--hostname", "timers@loadtest", "--without-gossip", "--without-mingle"],
                        {**env, "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus-timers"),
                         "CELERY_METRICS_PORT": str(free_port()), "CELERY_METRICS_ADDR": "127.0.0.1"})
        processes.start("worker-other", [*celery, "worker", "--queues", "notifications,reports,training,celery",
                                         "--concurrency", "1", "--hostname", "other@loadtest", "--without-gossip",
                                         "--without-mingle"],
                        {**env, "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus-other"),
                         "CELERY_METRICS_PORT": str(free_port()), "CELERY_METRICS_ADDR": "127.0.0.1"})
        processes.start("beat", [*celery, "beat", "--pidfile", "", "--schedule", str(folder / "beat-schedule")], env)
        host = f"http://127.0.0.1:{web_port}"
        if use_nginx:
            processes.start("nginx", ["nginx", "-c", str(nginx_config(folder, port=site_port, web_port=web_port))],
                            env)
            host = f"http://127.0.0.1:{site_port}"
        wait_ready(f"http://127.0.0.1:{web_port}/readyz/", processes)
        wait_ready(f"{host}/healthz/", processes)
        log(f"the shape answers at {host} (nginx: {use_nginx}); {options.duration} s of traffic")

        load_at_start = os.getloadavg()
        run_start = time.time()
        due_file = folder / "due.json"
        first_due, span = run_start + 15, max(options.duration - 45, 10)
        subprocess.run([PY, "scripts/loadtest/fixtures.py", "due", str(first_due), str(span), str(options.due),
                        str(due_file)], cwd=ROOT, env=env, check=True)
        due = json.loads(due_file.read_text())
        watcher = Watcher(database_url, due, f"http://127.0.0.1:{web_port}/metrics", processes)
        watcher.start()
        locust = processes.start("locust", [
            PY, "-m", "locust", "-f", "scripts/loadtest/locustfile.py", "--headless", "--users", "1000",
            "--spawn-rate", "20", "--run-time", f"{options.duration}s", "--host", host,
            "--csv", str(folder / "locust"), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
            # The figures count from the moment every user runs: logging in (a second of
            # PBKDF2 each, by design) is the users' start, not the traffic measured.
            "--reset-stats",
        ], {**env, "LOADTEST_FIXTURES": str(fixtures)})
        while locust.poll() is None:
            processes.check()
            time.sleep(1)
        run_end = time.time()
        log("traffic over; waiting for the last due matters to be escalated")
        deadline = time.time() + 180
        while len(watcher.escalated) < len(due) and time.time() < deadline:
            processes.check()
            time.sleep(2)
        watcher.stopping.set()
        watcher.join(timeout=30)
    finally:
        if watcher is not None:
            watcher.stopping.set()
        processes.stop()
    load_after = os.getloadavg()

    subprocess.run([PY, "scripts/loadtest/fixtures.py", "count", str(run_start), str(run_end),
                    str(folder / "counts.json")], cwd=ROOT, env=env, check=True)
    counts = json.loads((folder / "counts.json").read_text())
    rows, failures = locust_stats(folder / "locust")
    seconds = run_end - run_start
    total = rows["Aggregated"]
    # Rates as Locust measured them, from the moment every user ran (--reset-stats).
    measured = float(total["Request Count"]) / float(total["Requests/s"]) if float(total["Requests/s"]) else seconds
    registered = sum(int(rows[name]["Request Count"]) - int(rows[name]["Failure Count"])
                     for name in REGISTRATIONS if name in rows)
    lags = [watcher.escalated[case] - due_at for case, due_at in watcher.due.items() if case in watcher.escalated]
    unescalated = len(watcher.due) - len(lags)
    per_kind = {
        name: {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
               "per_s": round(int(row["Request Count"]) / measured, 2),
               "p50_ms": figure(row["50%"]), "p95_ms": figure(row["95%"]), "p99_ms": figure(row["99%"]),
               "max_ms": figure(row["Max Response Time"])}
        for name, row in rows.items() if name != "Aggregated"
    }
    watched = max(getattr(watcher, "last_sample_at", run_end) - watcher.started, 1)
    cpu = {part: round(sum(last - first for first, last in values.values()) / watched, 2)
           for part, values in (watcher.cpu or {}).items()}
    result = {
        "label": options.label,
        "started_at": started_at.isoformat(timespec="seconds"),
        "duration_s": round(seconds, 1),
        "measured_s": round(measured, 1),
        "registrations_per_s": round(registered / measured, 1),
        "matters_registered_per_s": round(counts["matters_registered"] / seconds, 1),
        "requests_per_s": round(int(total["Request Count"]) / measured, 1),
        "p50_ms": figure(total["50%"]), "p95_ms": figure(total["95%"]), "p99_ms": figure(total["99%"]),
        "errors": int(total["Failure Count"]),
        "error_kinds": failures[:20],
        "max_escalation_lag_s": round(max(lags), 1) if lags and not unescalated else None,
        "escalation_lag_p50_s": round(sorted(lags)[len(lags) // 2], 1) if lags else None,
        "due_matters": len(watcher.due), "escalated": len(lags), "unescalated": unescalated,
        "max_oldest_due_clock_s": round(watcher.max_oldest_due, 1),
        "max_queue_length": watcher.max_queue,
        "postgresql_sessions_active_avg": round(watcher.active / max(watcher.samples, 1), 2),
        "postgresql_lock_waits_avg": round(sum(watcher.lock_waits.values()) / max(watcher.samples, 1), 2),
        "postgresql_lock_waits_by_statement": dict(sorted(watcher.lock_waits.items(), key=lambda kv: -kv[1])[:5]),
        "per_request": per_kind,
        "cpu_cores_used": dict(sorted(cpu.items(), key=lambda item: -item[1])),
        "matters_by_channel": counts["matters_by_channel"], "matters_in_database": counts["matters_total"],
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in load_after],
        # The 1-minute figure here includes this run's own setup (migrate, seed, fixtures).
        "load_average_at_traffic_start": [round(value, 2) for value in load_at_start],
        "machine": {"cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
        "shape": {"nginx": use_nginx, "gunicorn_workers": options.web_workers, "gunicorn_threads": options.threads,
                  "celery_workers": ["timers (1 process)", "notifications,reports,training,celery (1 process)"],
                  "beat": "redbeat, 1", "seeded_matters": options.cases, "postgresql": "the machine's",
                  "case_numbers_gapless": options.gapless, "dashboard_cache_seconds": options.dashboard_cache,
                  "redis": redis_url},
        "logs": str(folder),
    }
    result["targets"] = {
        "registrations_per_s >= 100": result["registrations_per_s"] >= TARGETS["registrations_per_s"],
        "p95_ms < 300": result["p95_ms"] is not None and result["p95_ms"] < TARGETS["p95_ms"],
        "errors == 0": result["errors"] == 0,
        "every due matter escalated within 120 s": result["max_escalation_lag_s"] is not None
        and result["max_escalation_lag_s"] <= TARGETS["max_escalation_lag_s"],
    }
    out = Path(options.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    history = []
    if out.exists():
        previous = json.loads(out.read_text())
        history = previous.pop("history", [])
        history.append({key: previous.get(key) for key in (
            "label", "started_at", "duration_s", "registrations_per_s", "requests_per_s", "p50_ms", "p95_ms",
            "p99_ms", "errors", "max_escalation_lag_s", "cpu_cores_used", "postgresql_lock_waits_avg",
            "load_average_before",
            "load_average_after", "shape")})
    result["history"] = history[-20:]
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    log(f"written {out}")
    print(json.dumps({key: result[key] for key in (
        "registrations_per_s", "requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors", "max_escalation_lag_s",
        "unescalated", "cpu_cores_used", "postgresql_sessions_active_avg", "postgresql_lock_waits_avg",
        "postgresql_lock_waits_by_statement", "load_average_before", "load_average_after", "targets")},
        ensure_ascii=False, indent=1))
    for name, row in per_kind.items():
        print(f"  {name:45} {row['per_s']:7.2f}/s  p50 {row['p50_ms']}  p95 {row['p95_ms']}  p99 {row['p99_ms']}"
              f"  failures {row['failures']}")


if __name__ == "__main__":
    main()
