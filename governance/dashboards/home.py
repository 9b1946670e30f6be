"""What each person has to do today: the home page's figures and lists.

Every figure is one aggregate query over the scoped matters (no row loops).
"""
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from governance.choices import OPEN_STATUSES, CaseStatus, Role
from governance.cases.selectors import case_queryset

HEARTBEAT_KEY = "worker-heartbeat"
LIST_LENGTH = 10


def home_summary(*, user):
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    soon = now + timedelta(days=2)
    visible = case_queryset(user=user)
    is_open = Q(status__in=OPEN_STATUSES)
    mine = Q(holder_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    counts = visible.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(deadline__lt=now)),
        awaiting_triage=Count("pk", filter=Q(status=CaseStatus.REGISTERED) & mine),
        held_open=Count("pk", filter=is_open & mine),
        due_soon=Count("pk", filter=is_open & mine & Q(deadline__gte=now, deadline__lt=soon)),
        registered_today=Count("pk", filter=Q(created_at__gte=today)),
        registered_today_by_me=Count("pk", filter=Q(created_at__gte=today, registered_by=user)),
    )
    lists = {}
    open_cases = visible.filter(is_open)
    if user.role in (Role.LEADER, Role.ADMIN) or user.is_superuser:
        lists["overdue"] = open_cases.filter(deadline__lt=now).order_by("deadline")[:LIST_LENGTH]
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
