"""Generator processes for a big demo load: each makes whole chunks of matters
(``CaseGenerator.chunk``), which the loading process numbers and writes in order.

They are started fresh ("spawn"), not forked: a forked child would share the parent's
database connections, and closing them there would close them for the parent too.
Each sets Django up, connects to the loading process's database (a test database has a
name of its own, the embedded server a port of its own) and builds the same generator
from the same seed and clock."""
import multiprocessing
from contextlib import contextmanager

CONNECTION_SETTINGS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
_generator = None


def _start(database, seed, pool_size, now):
    global _generator
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].update(database)
    from demo.cases import CaseGenerator

    _generator = CaseGenerator(seed, pool_size, now=now)


def make_chunk(index, times, ids):
    return _generator.chunk(index, times, ids)


@contextmanager
def generator_pool(processes, seed, pool_size, now):
    from django.db import connection

    database = {key: connection.settings_dict[key] for key in CONNECTION_SETTINGS}
    pool = multiprocessing.get_context("spawn").Pool(processes, _start, (database, seed, pool_size, now))
    try:
        yield pool
        pool.close()
    finally:
        pool.terminate()
        pool.join()
