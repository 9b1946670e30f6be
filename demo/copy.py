"""Bulk writing for the demo generator: PostgreSQL ``COPY ... FROM STDIN``.

``bulk_create`` spends about 0.5 ms of Python per matter (model instances,
per-value preparation, one huge INSERT statement): a million matters would take
a quarter of an hour. COPY takes rows as text, so the generator formats plain
tuples. Primary keys of new matters are reserved from the table's identity
sequence first, so parties and events can point at them.

For big runs a background thread sends the chunks while the next ones are being
generated (psycopg2 releases the GIL while the server works), and the indexes and
foreign keys come back after the load (``without_indexes``, ``without_foreign_keys``).
"""
import csv
import io
import sys
import json
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, models, transaction


class _CopyCSV(csv.excel):
    """COPY's CSV format as the csv module's C writer writes it: a value is quoted only
    when it holds a comma, a quote or a line break. ``None`` is written as an unquoted
    empty value, which COPY reads as NULL; in a column that cannot be NULL it reads as
    an empty string (FORCE_NOT_NULL). Booleans come out as True/False and datetimes as
    their str(), both of which PostgreSQL reads."""
    lineterminator = "\n"


def reserve_ids(cursor, model, count):
    """``count`` new primary keys for ``model``, ascending."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return sorted(row[0] for row in cursor.fetchall())


def copy_buffer(model, attnames, rows):
    """(COPY statement, CSV text) for ``rows``, tuples in the order of ``attnames``."""
    return copy_statement(model, attnames), "".join(csv_lines(model, attnames, rows))


def copy_statement(model, attnames):
    """The COPY statement for rows of ``model`` in CSV, values in the order of ``attnames``."""
    chosen = _fields(model, attnames)
    for field in chosen:
        if field.null and isinstance(field, (models.CharField, models.TextField)):
            # An empty string would be read back as NULL.
            raise ValueError(f"{model.__name__}.{field.name}: COPY CSV cannot write a nullable text column")
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(field.column) for field in chosen)
    not_null = ", ".join(quote(field.column) for field in chosen if not field.null)
    options = f"FORMAT csv, FORCE_NOT_NULL ({not_null})" if not_null else "FORMAT csv"
    return f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN WITH ({options})"


class _Lines(list):
    write = list.append  # the csv writer writes each row with one call


def csv_lines(model, attnames, rows):
    """One CSV line for each row. Formatting is most of the generator's time after the
    matters themselves, so it is left to the csv module's C writer; only JSON values
    are turned into text here."""
    json_at = [i for i, field in enumerate(_fields(model, attnames)) if isinstance(field, models.JSONField)]
    if json_at:
        rows = [_with_json(row, json_at) for row in rows]
    lines = _Lines()
    csv.writer(lines, _CopyCSV).writerows(rows)
    return lines


def _fields(model, attnames):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [fields[name] for name in attnames]


_json = json.JSONEncoder(ensure_ascii=False).encode


def _with_json(row, positions):
    row = list(row)
    for i in positions:
        row[i] = _json(row[i]) if row[i] else "{}"  # most are empty
    return row


def write_buffers(buffers):
    """Send one chunk's COPY buffers in one transaction; a callable among them
    runs there too (a set-based statement over what the COPYs wrote)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Not waiting for each chunk's commit to reach the disk: a crash loses at most the
        # last chunks, which the next seed_demo writes again (it makes up what is missing).
        cursor.execute("SET LOCAL synchronous_commit = off")
        for item in buffers:
            if callable(item):
                item()
            else:
                statement, text = item
                cursor.copy_expert(statement, io.StringIO(text))


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
        # The longest first (the three text indexes take minutes, the others seconds), so
        # that the two builders finish at about the same time.
        indexes = sorted(cursor.fetchall(), key=lambda index: (" USING gin " not in index[1],
                                                               "governance_bigrams" not in index[1]))
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def build(index):
        name, definition = index
        try:  # each thread has a connection of its own
            with connection.cursor() as cursor:
                # More memory is slower for the text (GIN) indexes: building the narratives'
                # trigram index over a million matters took 54 s with 64MB, 74 s with 512MB and
                # 83 s with 2GB (the pieces gathered in memory no longer fit the CPU's caches).
                cursor.execute("SET maintenance_work_mem = %s", ["64MB" if " USING gin " in definition else "512MB"])
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


def without_foreign_keys():
    """Drop the foreign keys of the tables a big load writes and return the function
    that adds them again.

    A foreign key checks each new row with a query of its own, at commit: about 25
    checks a matter (its events name a matter, an actor and two holders), which took
    the server longer than the COPYs themselves. Added again after the load, each key
    checks the whole table in one join, as pg_restore does. They come back NOT VALID
    first, so that whatever is written from then on is checked even if validating the
    load were to fail."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s)
            """,
            [LOAD_TABLES])
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')

    def restore():
        with connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition} NOT VALID')
            for table, name, _definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')

    return restore
