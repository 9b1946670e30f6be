"""The one place that reads the environment.

Every setting that differs between a laptop, CI and a county's servers comes
from here; the rest of settings/ only imports these values.
"""
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def get(name, default=None):
    """The variable's value; unset or empty means the default (docker-compose passes
    ``${NAME:-}`` as an empty string when .env leaves a variable out)."""
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Run commands through manage.py (which starts the "
            f"embedded servers) or set {name}."
        )
    return value


def celery_broker_url(redis_url):
    """redis-py speaks unix://path; kombu wants redis+socket://path for the same socket."""
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        query = f"?{parts.query}" if parts.query else ""
        return f"redis+socket://{parts.path}{query}"
    return redis_url


def list_of(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
