"""Loading demo matters: ``generate_cases`` makes them (``demo.cases``) chunk by chunk,
numbers them in order and writes them with COPY; a big load in generator processes, its
tables' indexes and foreign keys dropped meanwhile (``demo.copy``)."""
import os
import sys
import time
from collections import deque
from functools import partial
from itertools import groupby

from django.db import connection, transaction
from tqdm import tqdm

from demo.cases import BIG_SEED, CHUNK, CaseGenerator
from demo.copy import Writer, reserve_ids, without_foreign_keys, without_indexes
from governance.cases.numbers import allocate_case_numbers
from governance.cases.resolution import backfill_resolution_facts
from governance.cases.texts import write_case_texts
from governance.models import Case

GENERATOR_PROCESSES = min(4, os.cpu_count() or 1)  # for a big load


def numbered(chunk):
    """The chunk's COPY buffers, its matters numbered: numbers run by the year of
    registration in Beijing time, in time order. Call in chunk order."""
    numbers = []
    for year, group in groupby(chunk.years):
        numbers += allocate_case_numbers(year, sum(1 for _ in group))
    # A number (2026-000123) needs no quoting in CSV.
    text = "".join([f"{number},{line}" for number, line in zip(numbers, chunk.case_lines)])
    return [(chunk.case_statement, text), *chunk.buffers, partial(write_case_texts, chunk.case_ids)]


def chunks(generator, jobs, processes):
    """The chunks of ``jobs`` (index, times, ids), in order: made here, or by
    ``processes`` generator processes (the generator's Python is most of a big
    load's time, and a second core is idle while it runs)."""
    if processes <= 1:
        for job in jobs:
            yield generator.chunk(*job)
        return
    from demo.generator_processes import generator_pool, make_chunk

    with generator_pool(processes, generator.seed, generator.pool_size, generator.now) as pool:
        pending = deque()
        for job in jobs:
            pending.append(pool.apply_async(make_chunk, job))
            if len(pending) > 2 * processes:  # a few ahead, not the whole load in memory
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def load(generator, count, progress=False, verbose=False):
    """Write ``count`` matters of ``generator``; returns how many."""
    started = time.monotonic()
    times = generator.registration_times(count)
    with connection.cursor() as cursor:
        ids = reserve_ids(cursor, Case, count)
    jobs = [(index, times[start:start + CHUNK], ids[start:start + CHUNK])
            for index, start in enumerate(range(0, count, CHUNK))]
    big = count >= BIG_SEED and not connection.in_atomic_block
    # A writer thread, and the generator processes, need connections of their own
    # that see the committed places, organisations and accounts.
    writer = Writer(background=count >= 5 * CHUNK and not connection.in_atomic_block)
    restore_keys = without_foreign_keys() if big else None
    rebuild = without_indexes() if big else None
    try:
        with tqdm(total=count, unit="matter", disable=not progress, file=sys.stderr) as bar:
            for chunk in chunks(generator, jobs, processes=GENERATOR_PROCESSES if big else 1):
                with transaction.atomic():  # the numbers, and in this thread the rows too
                    writer.put(numbered(chunk))
                bar.update(len(chunk.case_ids))
    finally:
        try:
            writer.close()  # raises what failed in the writer thread
        finally:  # the keys and indexes come back whatever happened to the load
            if verbose:
                print(f"matters written ({time.monotonic() - started:.0f}s)", file=sys.stderr, flush=True)
            try:
                if restore_keys is not None:
                    restore_keys()
                    if verbose:
                        print(f"foreign keys checked ({time.monotonic() - started:.0f}s)", file=sys.stderr,
                              flush=True)
            finally:
                if rebuild is not None:
                    rebuild(progress or verbose)
    return count


def generate_cases(count, seed=2026, progress=False, verbose=False):
    """Add ``count`` demo matters; returns how many were added."""
    if count <= 0:
        return 0
    added = load(CaseGenerator(seed, pool_size=min(5000, max(300, count))), count, progress=progress,
                 verbose=verbose)
    # Statistics for what COPY wrote: the statements after a big load (the apps' records,
    # the dashboards' summary) are planned on them, as are this connection's cached plans.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE governance_case, governance_casetext, governance_party, governance_caseevent, "
                       "governance_clock")
    backfill_resolution_facts()  # nothing left for the generator's rows; kept for older ones
    return added
