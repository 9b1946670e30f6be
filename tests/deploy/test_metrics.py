"""Prometheus metrics: requests by view and status, latency, queue depth, the timers' lag,
and Celery tasks by name and outcome (in-process, and from a real worker's own port)."""
import os
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from governance.celery import app as celery_app
from governance.models import Clock
from tests.deploy.helpers import database_url, free_port, stop
from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return parse(response.content.decode())


def parse(text):
    """{(sample name, frozenset(labels)): value}"""
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def test_requests_are_counted_by_view_and_status_with_latency(client, demo):
    before = scrape(client)
    key = dict(view="api:category-list", method="GET")
    client.get("/api/v1/categories/")
    client.get("/api/v1/categories/")
    client.get("/api/v1/cases/")  # 401: not logged in
    after = scrape(client)
    counted = "django_http_responses_total_by_status_view_method_total"
    assert (value(after, counted, status="200", **key) or 0) - (value(before, counted, status="200", **key) or 0) == 2
    unauthorised = dict(status="401", view="api:case-list", method="GET")
    assert (value(after, counted, **unauthorised) or 0) - (value(before, counted, **unauthorised) or 0) == 1
    latency = "django_http_requests_latency_seconds_by_view_method"
    assert value(after, f"{latency}_count", **key) - (value(before, f"{latency}_count", **key) or 0) == 2
    assert value(after, f"{latency}_bucket", le="+Inf", **key) == value(after, f"{latency}_count", **key)
    assert value(after, f"{latency}_bucket", le="0.1", **key) is not None  # a histogram, with buckets


def test_the_age_of_the_oldest_due_but_unswept_clock(client, demo):
    samples = scrape(client)
    assert value(samples, "governance_clock_oldest_due_seconds") == 0
    assert value(samples, "governance_clocks_due") == 0
    case = CaseFactory()
    clock = Clock.objects.get(case=case, kind="tier", stopped_at__isnull=True)
    Clock.objects.filter(pk=clock.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    samples = scrape(client)
    assert 300 <= value(samples, "governance_clock_oldest_due_seconds") < 330
    assert value(samples, "governance_clocks_due") == 1
    # Paused or stopped clocks are not late.
    Clock.objects.filter(pk=clock.pk).update(paused_at=timezone.now())
    assert value(scrape(client), "governance_clock_oldest_due_seconds") == 0


def test_the_due_clock_query_is_served_by_the_partial_index(db):
    from django.db import connection

    from governance.metrics import GovernanceCollector

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a near-empty table: ask what the plan can use
        cursor.execute("EXPLAIN " + GovernanceCollector.CLOCK_SQL)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "clock_due" in plan, plan


def test_queue_depth_per_queue(client, db):
    import redis

    queues = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    assert set(queues) == {"timers", "notifications", "reports", "training", "celery"}
    client_redis = redis.Redis.from_url(settings.REDIS_URL)
    before = scrape(client)
    marker = b"metrics-test-not-a-message"
    client_redis.rpush("reports", marker, marker, marker)
    try:
        after = scrape(client)
    finally:
        client_redis.lrem("reports", 0, marker)
    for name in queues:
        assert value(after, "governance_celery_queue_length", queue=name) is not None
    assert value(after, "governance_celery_queue_length", queue="reports") - value(
        before, "governance_celery_queue_length", queue="reports") == 3


def test_a_scrape_still_answers_when_redis_is_down(client, db):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        samples = scrape(client)
    assert value(samples, "governance_celery_queue_length", queue="timers") is None
    assert value(samples, "governance_clock_oldest_due_seconds") == 0


@override_settings(METRICS_TOKEN="scrape-secret")
def test_metrics_token(client, db):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scrape(client, HTTP_AUTHORIZATION="Bearer scrape-secret")


@shared_task(name="tests.deploy.failing_task")
def failing_task():
    raise ValueError("expected by the test")


def test_tasks_are_counted_by_name_and_outcome(db):
    from governance.tasks import record_heartbeat

    def counted(task, outcome):
        return REGISTRY.get_sample_value("governance_celery_tasks_total", {"task": task, "outcome": outcome}) or 0

    heartbeat = "governance.tasks.record_heartbeat"
    before = counted(heartbeat, "success"), counted("tests.deploy.failing_task", "failure")
    record_heartbeat.delay()
    assert failing_task.apply(throw=False).failed()  # as a worker runs it: the error kept, not raised here
    assert counted(heartbeat, "success") - before[0] == 1
    assert counted("tests.deploy.failing_task", "failure") - before[1] == 1
    assert REGISTRY.get_sample_value("governance_celery_task_seconds_count", {"task": heartbeat}) >= 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # send_task always publishes
def test_a_prefork_worker_exposes_its_tasks_on_its_own_port(tmp_path, demo_transactional):
    """A real worker (prefork pool, two children, figures shared through PROMETHEUS_MULTIPROC_DIR)
    runs tasks sent through Redis; its port reports them, added up over its children."""
    import uuid

    port = free_port()
    prefix = f"govtest-metrics-{uuid.uuid4().hex[:8]}"
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"  # a queue of this test's own on the shared Redis
    (tmp_path / "stale.db").write_bytes(b"left by an earlier run")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", "DATABASE_URL": database_url(),
           "CELERY_TASK_ALWAYS_EAGER": "false", "CACHE_KEY_PREFIX": prefix, "CELERY_METRICS_PORT": str(port),
           "CELERY_METRICS_ADDR": "127.0.0.1", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "governance", "worker", "--pool", "prefork", "--concurrency", "2",
         "--queues", queue, "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        samples, deadline = {}, time.monotonic() + 60
        while True:
            assert worker.poll() is None, worker.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
                    samples = parse(response.read().decode())
                break
            except OSError:
                assert time.monotonic() < deadline, "the worker's metrics port never answered"
                time.sleep(0.25)
        assert not (tmp_path / "stale.db").exists(), "an earlier run's figures were kept"
        for _ in range(4):
            celery_app.send_task("governance.tasks.record_heartbeat", queue=queue)
        heartbeat = {"task": "governance.tasks.record_heartbeat", "outcome": "success"}
        deadline = time.monotonic() + 60
        while value(samples, "governance_celery_tasks_total", **heartbeat) != 4:
            assert time.monotonic() < deadline, f"tasks not counted: {samples}"
            time.sleep(0.25)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
                samples = parse(response.read().decode())
        assert value(samples, "governance_celery_task_seconds_count", task=heartbeat["task"]) == 4
    finally:
        stop(worker)
        log = worker.stdout.read()
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        client.delete(queue)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
    assert "succeeded" in log, log
