"""Prometheus metrics.

Web processes (``/metrics``, answered by ``governance.health.ProbeMiddleware``):
- requests by view, method and status, and latency histograms by view: django-prometheus's
  middleware (``django_http_responses_total_by_status_view_method``,
  ``django_http_requests_latency_seconds_by_view_method``);
- read at scrape time (``GovernanceCollector``): messages waiting in each Celery queue
  (``governance_celery_queue_length``), and the age of the oldest clock that is due but
  not yet swept (``governance_clock_oldest_due_seconds``, with ``governance_clocks_due``):
  the one figure that says the timers are late. The sweep runs every minute, so anything
  well above 60 s means beat, the broker or the timers worker is not keeping up.

Celery workers (their own port, ``CELERY_METRICS_PORT``): tasks by name and outcome
(``governance_celery_tasks_total``) and their run time (``governance_celery_task_seconds``).

With several processes per node (gunicorn workers, a prefork pool), set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder of that node's own (one per gunicorn,
one per Celery worker): every process writes its figures there and the scrape adds them up.
"""
import hmac
import logging
import os
import shutil
import time
from pathlib import Path

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram,
                               generate_latest, multiprocess, start_http_server)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

TASKS = Counter("governance_celery_tasks", "Celery tasks run, by task name and outcome (success, failure, retry)",
                ["task", "outcome"])
TASK_SECONDS = Histogram("governance_celery_task_seconds", "Run time of Celery tasks, by task name", ["task"],
                         buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, float("inf")))

# kombu's Redis transport keeps a queue's messages of priority p > 0 in a list of its own.
_KOMBU_PRIORITY_SEPARATOR = "\x06\x16"
_KOMBU_PRIORITY_STEPS = (0, 3, 6, 9)


def multiprocess_dir():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def empty_multiprocess_dir():
    """At a server's start: the figures of the processes of an earlier run go."""
    folder = multiprocess_dir()
    if folder is None:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for child in path.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def process_registry():
    """The registry a scrape reads: every process of this node's, or this process's own."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


class GovernanceCollector:
    """Figures read from Redis and PostgreSQL when Prometheus scrapes (every 15-60 s)."""

    def collect(self):
        yield from self._queues()
        yield from self._clocks()

    def _queues(self):
        from django.conf import settings

        import redis

        gauge = GaugeMetricFamily("governance_celery_queue_length",
                                  "Messages waiting in each Celery queue (not yet taken by a worker)", labels=["queue"])
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
            try:
                names = [queue.name for queue in settings.CELERY_TASK_QUEUES]
                with client.pipeline(transaction=False) as pipe:
                    for name in names:
                        for step in _KOMBU_PRIORITY_STEPS:
                            pipe.llen(name if step == 0 else f"{name}{_KOMBU_PRIORITY_SEPARATOR}{step}")
                    lengths = pipe.execute()
            finally:
                client.close()
        except Exception:  # noqa: BLE001 - a scrape never fails for one source
            logger.warning("queue lengths unavailable", exc_info=True)
            return
        steps = len(_KOMBU_PRIORITY_STEPS)
        for index, name in enumerate(names):
            gauge.add_metric([name], sum(lengths[index * steps:(index + 1) * steps]))
        yield gauge

    # Served by the partial index clock_due (stopped_at IS NULL AND paused_at IS NULL). The
    # statement's time, not the transaction's: a scrape may come inside a long transaction.
    CLOCK_SQL = """
        SELECT EXTRACT(EPOCH FROM statement_timestamp() - min(due_at)), count(*)
        FROM (SELECT due_at FROM governance_clock
              WHERE stopped_at IS NULL AND paused_at IS NULL AND due_at <= statement_timestamp()
              ORDER BY due_at LIMIT 100000) AS due
    """

    def _clocks(self):
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                cursor.execute(self.CLOCK_SQL)
                oldest, count = cursor.fetchone()
        except Exception:  # noqa: BLE001
            logger.warning("clock lag unavailable", exc_info=True)
            return
        yield GaugeMetricFamily(
            "governance_clock_oldest_due_seconds",
            "Age of the oldest clock that is due but not yet swept (0 when none is): the timers are late when "
            "this grows past the sweep interval (60 s)", value=float(oldest or 0))
        yield GaugeMetricFamily("governance_clocks_due", "Clocks due but not yet swept (counted up to 100,000)",
                                value=count)


_governance_registry = CollectorRegistry(auto_describe=False)
_governance_registry.register(GovernanceCollector())


def metrics_view(request):
    """The exposition for Prometheus. ``METRICS_TOKEN`` set: a Bearer token is required."""
    from django.conf import settings
    from django.http import HttpResponse

    token = getattr(settings, "METRICS_TOKEN", "")
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponse(status=403)
    body = generate_latest(process_registry()) + generate_latest(_governance_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# -- Celery ------------------------------------------------------------------------------

_started = {}


def _task_prerun(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    name = getattr(task, "name", "unknown")
    TASKS.labels(task=name, outcome=(state or "unknown").lower()).inc()
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task=name).observe(time.monotonic() - started)


def _worker_init(**kwargs):
    empty_multiprocess_dir()


def _worker_ready(**kwargs):
    port = os.environ.get("CELERY_METRICS_PORT")
    if port:
        start_http_server(int(port), addr=os.environ.get("CELERY_METRICS_ADDR", "0.0.0.0"),
                          registry=process_registry())
        logger.info("Celery metrics on port %s", port)


def _worker_process_shutdown(pid=None, **kwargs):
    if multiprocess_dir() and pid:
        multiprocess.mark_process_dead(pid)


def connect_celery_signals():
    from celery import signals

    signals.task_prerun.connect(_task_prerun, weak=False)
    signals.task_postrun.connect(_task_postrun, weak=False)
    signals.worker_init.connect(_worker_init, weak=False)
    signals.worker_ready.connect(_worker_ready, weak=False)
    signals.worker_process_shutdown.connect(_worker_process_shutdown, weak=False)
