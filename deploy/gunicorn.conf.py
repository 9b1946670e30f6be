"""gunicorn for the web service (docker-compose.yml, `make loadtest`): every value from the
environment, with the defaults a county server wants. docs/deploy.md explains the sizing."""
import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes: about 2 per core. Two threads each: a request spends a third to a half of its
# time waiting for PostgreSQL, and the other thread works meanwhile (`make loadtest`: 19 ->
# 35 registrations a second with 1 -> 2 threads). Each thread holds one database connection
# (conn_max_age keeps it), so workers x threads x nodes must stay under PostgreSQL's
# max_connections (or go through PgBouncer).
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a request longer than this is killed
graceful_timeout = 30  # on SIGTERM (a deploy), requests in flight get this long to finish
keepalive = 5  # nginx keeps connections to gunicorn open, and drops them first (its keepalive_timeout 4s)
# A worker is replaced after this many requests (memory growth never builds up).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))

# Django writes one JSON line per request (with the request id and the user id), so
# gunicorn's own access log is off; its error log goes to stderr, JSON in production.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if (os.environ.get("LOG_FORMAT") or ("json" if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(
        ".production") else "text")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "governance.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False}},
    }


def on_starting(server):
    """Prometheus's figures of an earlier run go (each worker writes its own file there)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for child in path.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink(missing_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
