"""What each person has to do today: the home page's figures and lists.

The figures are counts capped at COUNT_CAP, in one statement: each stops after
the rows an index hands over, whatever the size of the county (no row loops).
"""
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from governance.choices import OPEN_STATUSES, CaseStatus, Role
from governance.cases.pagination import COUNT_CAP
from governance.cases.selectors import case_queryset

HEARTBEAT_KEY = "worker-heartbeat"
LIST_LENGTH = 10


@dataclass(frozen=True)
class Figure:
    """A tile's number: exact up to COUNT_CAP, else shown as "1000+"."""

    value: int
    capped: bool = False

    def __str__(self):
        return f"{self.value}+" if self.capped else str(self.value)

    def __bool__(self):
        return self.value > 0


def capped_counts(querysets: dict, cap=COUNT_CAP) -> dict[str, Figure]:
    """Each queryset counted up to ``cap`` + 1 rows, all in one statement (one round trip).

    The tiles used to be one aggregate over every matter in scope (a county's
    million); each count here stops after ``cap`` + 1 rows that an index hands over."""
    parts, params, figures = [], [], {name: Figure(0) for name in querysets}
    for name, queryset in querysets.items():
        try:
            sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # e.g. "held by my organisation" for someone without one
            continue
        parts.append((name, f"(SELECT count(*) FROM ({sql}) AS {name}_rows) AS {name}"))
        params.extend(part_params)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(part for _name, part in parts), params)
            found = cursor.fetchone()
        figures.update({name: Figure(min(n, cap), n > cap) for (name, _part), n in zip(parts, found)})
    return figures


def home_summary(*, user):
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    soon = now + timedelta(days=2)
    visible = case_queryset(user=user)
    is_open = Q(status__in=OPEN_STATUSES)
    mine = Q(holder_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    counts = capped_counts({
        "open": visible.open(),
        "overdue": visible.overdue(now),  # the one definition of overdue (CaseQuerySet.overdue)
        "awaiting_triage": visible.filter(mine, status=CaseStatus.REGISTERED),
        "held_open": visible.filter(is_open & mine),
        "due_soon": visible.filter(is_open & mine & Q(deadline__gte=now, deadline__lt=soon)),
        "registered_today": visible.filter(created_at__gte=today),
        "registered_today_by_me": visible.filter(created_at__gte=today, registered_by=user),
    })
    lists = {}
    open_cases = visible.filter(is_open)
    if user.role in (Role.LEADER, Role.ADMIN) or user.is_superuser:
        lists["overdue"] = visible.overdue(now).order_by("deadline")[:LIST_LENGTH]
    if user.role == Role.CLERK:
        lists["awaiting_triage"] = open_cases.filter(mine, status=CaseStatus.REGISTERED).order_by("created_at")[
            :LIST_LENGTH
        ]
    if user.role in (Role.MEDIATOR, Role.HANDLER, Role.GRID_WORKER, Role.CLERK, Role.LEADER):
        lists["held"] = open_cases.filter(mine).order_by("deadline")[:LIST_LENGTH]
    if user.role == Role.GRID_WORKER and user.organisation_id:
        lists["my_places"] = open_cases.order_by("-created_at")[:LIST_LENGTH]
    return {
        "counts": counts,
        "lists": lists,
        "worker_heartbeat": cache.get(HEARTBEAT_KEY) if (user.is_superuser or user.role == Role.ADMIN) else None,
    }
