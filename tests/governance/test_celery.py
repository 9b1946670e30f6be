"""Celery beat's schedule really runs a task through a real worker over Redis."""
import os
import pickle
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from governance.tasks import record_heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_heartbeat_task_runs_eagerly_and_records_the_time():
    from django.core.cache import cache

    from governance.dashboards.home import HEARTBEAT_KEY

    at = record_heartbeat.delay().get()
    assert cache.get(HEARTBEAT_KEY) == at


@pytest.mark.slow
@pytest.mark.django_db
def test_beat_schedule_runs_the_heartbeat_through_a_worker():
    prefix = f"govtest-beat-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        # The test database (its matters are rolled back per test), so beat's other
        # task, the deadline sweep, has migrated tables to read.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "governance.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CACHE_KEY_PREFIX": prefix,  # isolates this run's cache keys and redbeat schedule
        "HEARTBEAT_SECONDS": "1",
    }
    celery = [sys.executable, "-m", "celery", "-A", "governance"]
    worker = subprocess.Popen(
        [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    beat = subprocess.Popen(
        [*celery, "beat", "--loglevel", "INFO", "--max-interval", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = f"{prefix}:1:worker-heartbeat"
    try:
        deadline = time.monotonic() + 90
        value = None
        while time.monotonic() < deadline and value is None:
            assert worker.poll() is None and beat.poll() is None, "worker or beat died"
            value = client.get(key)
            time.sleep(0.5)
        assert value is not None, "the scheduled heartbeat never ran"
        assert pickle.loads(value).startswith("20")
    finally:
        for process in (beat, worker):
            process.terminate()
        logs = [process.communicate(timeout=30)[0] for process in (beat, worker)]
        for k in client.scan_iter(f"{prefix}*"):
            client.delete(k)
    assert "Sending due task heartbeat" in logs[0]
    assert "governance.tasks.record_heartbeat" in logs[1] and "succeeded" in logs[1]
