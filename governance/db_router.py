"""An optional read replica for dashboards, exports and lists.

Off by default. With ``DATABASE_REPLICA_URL`` set (a PostgreSQL streaming replica),
settings add the ``replica`` database and this router. The rules:

1. Writes always go to the primary (``default``); so do migrations.
2. Reads go to the replica only while a request is served by one of the views named in
   ``REPLICA_READ_VIEWS`` (the dashboards, the exports, the lists), with GET or HEAD.
   Everything else (a matter's page, a form, the API's writes, Celery tasks, commands)
   reads the primary.
3. Read-your-writes: once anything has been written in a request, every later read of that
   request goes to the primary; and a request that wrote (or any POST, PUT, PATCH, DELETE)
   sets a short cookie (``REPLICA_PIN_SECONDS``, default 10 s) that keeps the same browser
   on the primary for its next requests, so the list a form redirects to shows the matter
   just saved even when the replica is a few seconds behind.
4. Inside a transaction on the primary, reads stay on the primary.
5. Sessions, tokens and users are always read from the primary: a login or a new API
   token must work at once.

A replica that lags serves dashboards and lists seconds old; nothing that decides
(permissions on a write, the sweep, a status change) ever reads it.
"""
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
PIN_COOKIE = "primary_pin"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Read from the primary whatever the view: login, tokens and the user behind them.
PRIMARY_ONLY_APPS = {"sessions", "authtoken", "auth", "contenttypes", "axes"}
# API tokens (a revocation must count at once), failed logins and the rate limits' fallback counters too.
PRIMARY_ONLY_MODELS = {("governance", "user"), ("governance", "apitoken"), ("governance", "ratecount")}


@dataclass
class RoutingState:
    replica_reads: bool = False  # this request may read the replica
    wrote: bool = False  # something was written: the replica may not have it yet


_state = ContextVar("db_routing_state", default=None)


def current_state():
    return _state.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.replica_reads or state.wrote:
            return DEFAULT_DB_ALIAS
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or (meta.app_label, meta.model_name) in PRIMARY_ONLY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        # Always named: an object read from the replica is saved to the primary, not back
        # where it came from (Django's default for an instance without a router's answer).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication


class ReplicaRoutingMiddleware:
    """Decides, per request, whether its reads may go to the replica (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():  # no replica: nothing to decide, no cookie
            return self.get_response(request)
        state = RoutingState()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(PIN_COOKIE, "1", max_age=pin_seconds(), httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is None or request.method not in ("GET", "HEAD") or request.COOKIES.get(PIN_COOKIE):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in replica_views():
            state.replica_reads = True
        return None


def replica_configured():
    return any(isinstance(each, ReplicaRouter) for each in router.routers)


def replica_views():
    return set(getattr(settings, "REPLICA_READ_VIEWS", ()))


def pin_seconds():
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 10))
