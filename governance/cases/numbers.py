"""Human-readable matter numbers (2026-000123), allocated without races."""
import os
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections

_local = threading.local()

UPSERT = """
    INSERT INTO governance_casenumbersequence (year, last) VALUES (%s, %s)
    ON CONFLICT (year) DO UPDATE SET last = governance_casenumbersequence.last + EXCLUDED.last
    RETURNING last
"""


def allocate_case_numbers(year: int, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive numbers for ``year`` in one UPSERT.

    The row lock taken by the UPDATE serialises concurrent callers, so two
    registrations can never get the same number, even across processes.

    Where that lock is held is a setting (CASE_NUMBERS_GAPLESS):

    - on (the default): inside the registration's transaction. A registration that
      fails uses no number, but the lock lasts until the whole registration commits,
      so the county's registrations queue behind each other: `make loadtest` found
      half of the database sessions waiting there, at ~30 registrations a second.
    - off: on a connection of its own, in autocommit, so the lock lasts one statement
      and registrations no longer wait for each other. A registration that fails after
      taking its number leaves that number unused (a gap), as a PostgreSQL sequence
      would. Numbers stay unique and in order. For a city's volume.
    """
    if getattr(settings, "CASE_NUMBERS_GAPLESS", True):
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [year, count])
            last = cursor.fetchone()[0]
        return [format_case_number(year, n) for n in range(last - count + 1, last + 1)]
    for attempt in (1, 2):
        side = _numbering_connection()
        try:
            with side.cursor() as cursor:
                cursor.execute(UPSERT, [year, count])
                last = cursor.fetchone()[0]
            break
        except (InterfaceError, OperationalError):
            # A connection the server closed meanwhile (a restart, an idle timeout): once more, anew.
            _forget_numbering_connection()
            if attempt == 2:
                raise
    return [format_case_number(year, n) for n in range(last - count + 1, last + 1)]


def format_case_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def _numbering_connection():
    """This thread's own connection to the default database, in autocommit."""
    side = getattr(_local, "connection", None)
    if side is None:
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        _local.connection = side
    return side


def _forget_numbering_connection():
    side = getattr(_local, "connection", None)
    _local.connection = None
    if side is not None:
        try:
            side.close()
        except Exception:  # noqa: BLE001 - it is being thrown away
            pass


def _after_fork():
    # A forked worker must not share its parent's socket to the server.
    _local.connection = None


os.register_at_fork(after_in_child=_after_fork)
