"""Rate limits that hold while Redis is down.

Counted in Redis (the cache: an atomic INCR per key and fixed window), and in
PostgreSQL when the cache does not answer, so a brute-force limit (the public
status lookup's four digits, the API's per-person rate) never opens because the
cache went away. ``rate`` is "count/period", period s, m, h or d (as django-ratelimit).
"""
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """(count, seconds) of "10/d", "5/h", "60/min" (DRF's spelling) or "10/5m"."""
    count, _, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits):][:1]
    return int(count), PERIODS[unit] * int(digits or 1)


def _cache_key(group, key, window):
    return f"{settings.RATELIMIT_CACHE_PREFIX}{group}:{key}:{window}"


def count(group: str, key: str, rate: str, *, increment: bool) -> int:
    """The hits of ``key`` in ``group`` in the current window (after this one, if
    ``increment``)."""
    _limit, seconds = parse_rate(rate)
    window = int(time.time()) // seconds
    cache_key = _cache_key(group, key, window)
    if increment:
        added = cache.add(cache_key, 0, seconds + 5)
        if added is not None:  # None: the cache did not answer (django-redis IGNORE_EXCEPTIONS)
            try:
                value = cache.incr(cache_key)
            except ValueError:  # expired between the two calls
                cache.add(cache_key, 1, seconds + 5)
                value = 1
            if value is not None:
                return value
    else:
        value = cache.get(cache_key, None)
        if value is not None or _cache_answers():
            return value or 0
    return _database_count(f"{group}:{key}", window, seconds, increment)


def is_limited(group: str, key: str, rate: str, *, increment: bool = True) -> bool:
    """True when ``key`` is past the limit (counting this hit if ``increment``)."""
    limit, _seconds = parse_rate(rate)
    return count(group, key, rate, increment=increment) > limit


def _cache_answers() -> bool:
    try:
        from django_redis import get_redis_connection

        return bool(get_redis_connection("default").ping())
    except Exception:  # noqa: BLE001 - any failure means "use PostgreSQL"
        return False


def _database_count(key, window, seconds, increment) -> int:
    from governance.accounts.models import RateCount

    expires = timezone.now() + timedelta(seconds=seconds + 5)
    with connection.cursor() as cursor:
        if increment:
            cursor.execute(
                f"INSERT INTO {RateCount._meta.db_table} (key, slot, count, expires_at) VALUES (%s, %s, 1, %s) "
                f"ON CONFLICT (key, slot) DO UPDATE SET count = {RateCount._meta.db_table}.count + 1 "
                "RETURNING count", [key[:200], window, expires])
            value = cursor.fetchone()[0]
        else:
            cursor.execute(f"SELECT count FROM {RateCount._meta.db_table} WHERE key = %s AND slot = %s",
                           [key[:200], window])
            row = cursor.fetchone()
            value = row[0] if row else 0
    if random.random() < 0.01:
        RateCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return value
