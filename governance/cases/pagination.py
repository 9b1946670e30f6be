"""Keyset pages of matters, newest first, and a capped count: the lists' cost does
not grow with the county's years of matters or with how deep a page is.

OFFSET n reads and throws away n rows, and COUNT(*) reads every matter in scope; at a
million matters both took seconds. A page here starts from a position, the
(created_at, id) of the row it follows, which the ``case_created_id`` index seeks to
directly; the count stops at COUNT_CAP ("1,000 or more"). The position travels as an
opaque cursor. Nothing here depends on how the scope is expressed: any queryset of
matters can be paged.
"""
import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, transaction
from django.db.models import F, Func, Value
from django.db.models.fields import DateTimeField
from django.db.models.lookups import GreaterThan, LessThan

COUNT_CAP = 1000
ORDER = ("-created_at", "-id")
# For the page and its count, in their own transaction. A frequent two-character word
# (邻居: 130,000 of a million matters) makes a bitmap too big for the default 4 MB: it
# turns lossy, and each row of a lossy page is checked again through governance_bigrams
# (0.9 s instead of 0.05 s at a million). And a page of 25 rows is not worth two parallel
# workers, which at the county's busy hour other clerks' requests would wait for. And a
# random read costs about what a sequential one does on the SSDs a county's server runs
# on: priced as a spinning disk's (4), a word in 0.15 % of a million texts (交通事故) was
# looked for by walking the 21,738 newest matters and each one's text (170 ms warm, 1.2 s
# cold) instead of fetching its 1,500 matches and sorting them (33 ms).
LIST_SETTINGS = {"work_mem": "16MB", "max_parallel_workers_per_gather": "0", "random_page_cost": "1.1"}


@dataclass(frozen=True)
class Position:
    """Where a page starts: after (older than) this row, or before it when ``backwards``."""

    created_at: datetime
    pk: int
    backwards: bool = False


class InvalidCursor(ValueError):
    pass


def encode(position: Position) -> str:
    raw = json.dumps([position.created_at.isoformat(), position.pk, int(position.backwards)])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, pk, backwards = json.loads(raw)
        position = Position(datetime.fromisoformat(created_at), int(pk), bool(backwards))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursor(cursor) from error
    if position.created_at.tzinfo is None or not 0 < position.pk < 2**63:
        raise InvalidCursor(cursor)
    return position


def _row(*values):
    return Func(*values, function="ROW", output_field=DateTimeField())


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None  # older matters
    previous_cursor: str | None  # newer matters
    count: int
    count_capped: bool  # there are at least ``count`` matters


def keyset_page(queryset, *, cursor: str | None, size: int, count=True, cap=COUNT_CAP) -> KeysetPage:
    """One page of ``queryset`` (matters), newest first. InvalidCursor for a cursor
    that is not one of ours. ``cap=None`` counts exactly (a dashboard's drill-down
    says how many it lists, to the last matter)."""
    position = decode(cursor) if cursor else None
    rows = queryset.order_by(*ORDER)
    if position is not None:
        # A row comparison: one index condition on (created_at, id), whatever the depth.
        here, there = _row(F("created_at"), F("id")), _row(Value(position.created_at), Value(position.pk))
        if position.backwards:
            rows = rows.filter(GreaterThan(here, there)).order_by("created_at", "id")
        else:
            rows = rows.filter(LessThan(here, there))
    # The database the list reads: the read replica when one is configured (governance.db_router).
    db = rows.db
    rows, queryset = rows.using(db), queryset.using(db)
    with transaction.atomic(using=db):
        with connections[db].cursor() as cursor:  # SET LOCAL, in one statement
            cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(LIST_SETTINGS)),
                           [item for pair in LIST_SETTINGS.items() for item in pair])
        fetched = list(rows[: size + 1])
        if not count:
            found = (0, False)
        elif cap is None:
            found = (queryset.order_by().count(), False)
        else:
            found = capped_count(queryset, cap)
    more = len(fetched) > size
    fetched = fetched[:size]
    if position is not None and position.backwards:
        fetched.reverse()
        has_newer, has_older = more, True
    else:
        has_newer, has_older = position is not None, more
    page = KeysetPage(
        rows=fetched,
        next_cursor=encode(Position(fetched[-1].created_at, fetched[-1].pk)) if fetched and has_older else None,
        previous_cursor=encode(Position(fetched[0].created_at, fetched[0].pk, backwards=True))
        if fetched and has_newer else None,
        count=found[0], count_capped=found[1],
    )
    return page


def count_cap(params):
    """The count's cap for a list request: exact when a drill-down asks (``count=exact``)."""
    return None if params.get("count") == "exact" else COUNT_CAP


def capped_count(queryset, cap=COUNT_CAP) -> tuple[int, bool]:
    """(how many, whether there are more): counts at most ``cap`` + 1 rows."""
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap
