"""Bulk writing for the demo generator: PostgreSQL ``COPY ... FROM STDIN``.

``bulk_create`` spends about 0.5 ms of Python per matter (model instances,
per-value preparation, one huge INSERT statement): a million matters would take
a quarter of an hour. COPY takes rows as text, so the generator formats plain
tuples. Primary keys of new matters are reserved from the table's identity
sequence first, so parties and events can point at them.

For big runs a background thread sends the chunks while the next one is being
generated (psycopg2 releases the GIL while the server works), and the indexes
are built after the load (``without_indexes``).
"""
import io
import sys
import json
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.db import connection, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_FORMATS = {
    str: lambda v: v.translate(_ESCAPES),
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    datetime: datetime.isoformat,
    dict: lambda v: json.dumps(v, ensure_ascii=False).translate(_ESCAPES) if v else "{}",
}


def _text(value):
    """One value in COPY's text format."""
    try:
        return _FORMATS[type(value)](value)
    except KeyError:  # str subclasses such as TextChoices members
        if isinstance(value, str):
            return str.translate(value, _ESCAPES)
        raise


def reserve_ids(cursor, model, count):
    """``count`` new primary keys for ``model``, ascending."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return sorted(row[0] for row in cursor.fetchall())


def copy_buffer(model, attnames, rows):
    """(COPY statement, text buffer) for ``rows``, tuples in the order of ``attnames``."""
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(columns[name]) for name in attnames)
    text = "".join(["\t".join([_text(value) for value in row]) + "\n" for row in rows])
    return f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN", io.StringIO(text)


def write_buffers(buffers):
    """Send one chunk's COPY buffers in one transaction; a callable among them
    runs there too (a set-based statement over what the COPYs wrote)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for item in buffers:
            if callable(item):
                item()
            else:
                cursor.copy_expert(*item)


class Writer:
    """Writes chunks in order, in this thread or (``background=True``) in one
    writer thread with its own database connection, at most two chunks behind.
    Use only outside a transaction: the writer's connection must see the
    committed places, organisations and accounts."""

    def __init__(self, background):
        self.background = background
        self.error = None
        if background:
            self.queue = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._work, name="seed-demo-writer", daemon=True)
            self.thread.start()

    def put(self, buffers):
        if not self.background:
            write_buffers(buffers)
            return
        self._raise()
        self.queue.put(buffers)

    def close(self):
        if self.background:
            self.queue.put(None)
            self.thread.join()
            self._raise()

    def _raise(self):
        if self.error is not None:
            raise RuntimeError("writing demo matters failed") from self.error

    def _work(self):
        try:
            while (buffers := self.queue.get()) is not None:
                if self.error is None:
                    write_buffers(buffers)
        except BaseException as error:  # reported by the next put() or close()
            self.error = error
            while self.queue.get() is not None:  # let the producer finish
                pass
        finally:
            connection.close()


# The big tables a load writes, whose indexes it drops and builds again (the clocks,
# one per open matter, are few).
LOAD_TABLES = ["governance_case", "governance_casetext", "governance_party", "governance_caseevent"]


def without_indexes():
    """Drop the indexes of the tables a big load writes, but those that enforce something
    (primary keys, unique ones) and the parties' index by matter (each chunk's texts
    gather its parties by it), and return the function that builds them again.

    PostgreSQL builds an index over millions of rows in one sorted pass far faster
    than it updates one a row at a time: the text indexes (GIN: trigrams, character
    pairs) most of all, but also the dozen plain ones, which made the COPYs slower than
    the generator. The definitions are read from the catalogue, so whatever the
    migrations made comes back exactly."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT (t.relname = 'governance_party' AND pg_get_indexdef(i.oid) LIKE '%%USING btree (case_id)')
            """,
            [LOAD_TABLES])
        # The longest first (the character pairs' index takes as long as the other two
        # text indexes together), so that the two builders finish at about the same time.
        indexes = sorted(cursor.fetchall(), key=lambda index: (" USING gin " not in index[1],
                                                               "governance_bigrams" not in index[1]))
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def build(index):
        name, definition = index
        try:  # each thread has a connection of its own
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                started = time.monotonic()
                cursor.execute(definition)
            return name, time.monotonic() - started
        finally:
            connection.close()

    def rebuild(progress):
        # Two at a time: a build uses one core, and builds on one table do not block each other.
        with ThreadPoolExecutor(max_workers=2) as pool:
            for name, seconds in pool.map(build, indexes):
                if progress:
                    print(f"built index {name} ({seconds:.0f}s)", file=sys.stderr, flush=True)

    return rebuild
