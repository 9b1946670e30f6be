"""Probes for load balancers, docker and Kubernetes-style orchestration.

- ``/healthz/`` (liveness): the process is up and answers. It touches nothing else,
  so a database or Redis outage never gets healthy web processes restarted.
- ``/readyz/`` (readiness): the database and the broker answer and every migration
  is applied; 503 otherwise, so a load balancer sends no traffic to a node that
  would fail it (e.g. a new release started before ``migrate`` ran).

Both are answered by ``ProbeMiddleware``, first in the chain: before the host check
(a probe comes as ``127.0.0.1:8000`` or ``web:8000``, not the public name), the HTTPS
redirect, sessions and the metrics of real requests.
"""
import time

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse

# Once every migration is applied, a running process stays so (a release with new
# migrations runs in new processes): the migration graph is read only until then.
_migrations_applied = False


def healthz(request):
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request):
    checks = {
        "database": _check(_database),
        "broker": _check(_broker),
    }
    checks["migrations"] = _check(_migrations) if checks["database"]["ok"] else {"ok": False,
                                                                                "error": "database unreachable"}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status=200 if ready else 503, headers={"Cache-Control": "no-store"})


def _check(probe):
    started = time.monotonic()
    try:
        detail = probe()
    except Exception as error:  # noqa: BLE001 - any failure means not ready; say which
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result = {"ok": detail is None, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail is not None:
        result["error"] = detail
    return result


def _database():
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def _migrations():
    global _migrations_applied
    if _migrations_applied:
        return None
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
        return f"{len(plan)} unapplied: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}"
    _migrations_applied = True
    return None


def forget_migrations_state():
    """For tests: read the migration graph again at the next readiness check."""
    global _migrations_applied
    _migrations_applied = False


class ProbeMiddleware:
    """Answers the probes and the metrics scrape before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        from governance import metrics

        self.routes = {"/healthz/": healthz, "/readyz/": readyz, "/metrics": metrics.metrics_view}

    def __call__(self, request):
        view = self.routes.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
