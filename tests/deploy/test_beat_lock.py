"""Exactly one scheduler: a second Celery beat started beside the first schedules nothing
while the first lives (celery-redbeat's lock in Redis), takes over when the first dies,
and does not send again what the first already sent.

Both beats are real processes on a Redis of the test's own, so every message in its
queues was published by one of them: the test counts the messages themselves, not only
what the beats say they did."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from tests.deploy.helpers import OwnRedis, database_url, stop

ROOT = Path(__file__).resolve().parents[2]
SENT = "Sending due task"
HEARTBEAT = "governance.tasks.record_heartbeat"
SWEEP = "governance.tasks.sweep_clocks_task"
# Shortened for the test (HEARTBEAT_SECONDS, SWEEP_SECONDS): each is sent many times in a few seconds.
INTERVALS = {HEARTBEAT: 1.0, SWEEP: 3.0}
ENTRY = {HEARTBEAT: "heartbeat", SWEEP: "sweep-clocks"}
LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})")


def sends(log_path):
    return [line for line in log_path.read_text(errors="replace").splitlines() if SENT in line]


def send_times(lines, entry):
    """When each line says the entry was sent (beat's log time, to the millisecond)."""
    return [datetime.strptime(LOG_TIME.match(line).group(1), "%Y-%m-%d %H:%M:%S,%f")
            for line in lines if f"{SENT} {entry} " in line]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def queued_messages(client):
    """(task name, queue) of every message waiting in the Redis of the test."""
    found = []
    for key in client.scan_iter():
        if client.type(key) != b"list":
            continue
        for raw in client.lrange(key, 0, -1):
            message = json.loads(raw)
            found.append((message["headers"]["task"], key.decode()))
    return found


@pytest.mark.slow
@pytest.mark.django_db
def test_a_second_beat_schedules_nothing_twice(tmp_path):
    with OwnRedis() as own:
        if own.binary is None:
            pytest.skip("no redis-server binary")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", "DATABASE_URL": database_url(),
               "REDIS_URL": own.url, "CELERY_TASK_ALWAYS_EAGER": "false", "HEARTBEAT_SECONDS": "1",
               "SWEEP_SECONDS": "3",
               "CACHE_KEY_PREFIX": f"govtest-beats-{uuid.uuid4().hex[:8]}"}
        # --max-interval 1: each beat wakes every second; redbeat's lock then lapses 5 s after
        # its holder stops renewing it.
        command = [sys.executable, "-m", "celery", "-A", "governance", "beat", "--loglevel", "DEBUG",
                   "--max-interval", "1", "--pidfile", ""]
        logs = {name: tmp_path / f"beat-{name}.log" for name in "AB"}
        beats = {}

        def start(name):
            beats[name] = subprocess.Popen(command + ["--schedule", str(tmp_path / f"schedule-{name}")], cwd=ROOT,
                                           env=env, stdout=logs[name].open("w"), stderr=subprocess.STDOUT)

        try:
            start("A")
            wait_for(lambda: any(HEARTBEAT in line for line in sends(logs["A"])), 60, "the first beat to send")
            start("B")
            wait_for(lambda: "Acquiring lock" in logs["B"].read_text(errors="replace"), 60,
                     "the second beat to ask for the lock")
            time.sleep(8)  # longer than the lock's 5 s: a beat without the lock would have sent by now
            assert beats["A"].poll() is None and beats["B"].poll() is None
            assert sends(logs["B"]) == [], "the second beat sent while the first held the lock"
            sent_by_a = len(sends(logs["A"]))
            assert sent_by_a >= 8, sends(logs["A"])  # the first kept working: a heartbeat a second

            beats["A"].send_signal(signal.SIGKILL)  # a crash: the lock is not released, it lapses
            beats["A"].wait(timeout=30)
            killed = time.monotonic()
            wait_for(lambda: sends(logs["B"]), 30, "the second beat to take over")
            took_over_after = time.monotonic() - killed
            time.sleep(3)
        finally:
            for process in beats.values():
                stop(process)

        by_a, by_b = sends(logs["A"]), sends(logs["B"])
        assert took_over_after < 15, took_over_after
        for task, interval in INTERVALS.items():
            # The second beat carries on from the first's last run (kept in Redis), not from its own start ...
            assert send_times(by_b, ENTRY[task]), (task, by_b)
            times = sorted(send_times(by_a, ENTRY[task]) + send_times(by_b, ENTRY[task]))
            gaps = [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:])]
            # ... so no run is sent twice: two beats without the lock would send each within milliseconds.
            assert min(gaps) >= interval * 0.5, (task, gaps)
        messages = queued_messages(own.client())
        per_task = Counter(task for task, _queue in messages)
        # Every message in the broker was sent by the one beat that held the lock: the counts match their
        # logs. Beat logs a send before it publishes, so the one send the first logged as it was killed
        # may never have reached the broker: one message, of one task, may be missing, never one extra.
        for task in INTERVALS:
            logged = sum(f"{SENT} {ENTRY[task]} " in line for line in by_a + by_b)
            assert logged - 1 <= per_task[task] <= logged, task
        assert len(by_a) + len(by_b) - 1 <= sum(per_task.values()) <= len(by_a) + len(by_b), per_task
        # Both land on the timers queue, served by the timers worker alone.
        assert {queue for _task, queue in messages} == {"timers"}, messages


@pytest.mark.parametrize("task, queue", [
    ("governance.tasks.sweep_clocks_task", "timers"),
    ("governance.tasks.record_heartbeat", "timers"),
    ("governance.tasks.deliver_pending_notifications", "notifications"),
    ("governance.tasks.refresh_dashboards_task", "reports"),
    ("governance.tasks.check_warnings_task", "reports"),
    ("governance.tasks.schedule_bulletins_task", "reports"),
    ("governance.tasks.write_bulletin_task", "reports"),
    ("intake.triage.tasks.train_triage_model", "training"),
    ("intake.triage.tasks.train_triage_models_nightly", "training"),
    ("some.future.task", "celery"),
])
def test_each_kind_of_work_has_its_queue(task, queue):
    from governance.celery import app

    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_every_scheduled_task_is_routed_to_a_named_queue():
    from django.conf import settings

    from governance.celery import app

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert app.amqp.router.route({}, entry["task"])["queue"].name != "celery", name
