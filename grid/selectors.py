"""Reads: the worker's grids, the desks' queues, and the lists of the grid views."""
from django.db.models import Count, F, Prefetch, Q, Sum

from governance.choices import OrganisationKind, RegionLevel, Role
from governance.models import Region, User
from grid.choices import OPEN_EVENT_STATUSES, EventStatus
from grid.models import GridAssignment, GridEvent, JointPart, Patrol

S = EventStatus


def current_grids(*, worker) -> list[Region]:
    """The grids ``worker`` looks after now."""
    return list(Region.objects.filter(level=RegionLevel.GRID, grid_assignments__worker=worker,
                                      grid_assignments__ended_at__isnull=True).order_by("path"))


def report_places(*, worker) -> list[Region]:
    """Where a worker may report: their grids, each followed by its micro-grids."""
    grids = current_grids(worker=worker)
    if not grids:
        return []
    condition = Q()
    for grid in grids:
        condition |= Q(path__startswith=grid.path)
    return list(Region.objects.filter(condition, level__in=[RegionLevel.GRID, RegionLevel.MICRO_GRID])
                .order_by("path"))


def scope_root(user) -> Region | None:
    """The place whose grids ``user`` oversees: their center's region (a county center:
    the county); an administrator without one, the first county."""
    organisation = user.organisation
    if organisation is not None and organisation.kind == OrganisationKind.CENTER:
        return organisation.region
    if user.is_superuser or (organisation is None and user.has_perm("grid.view_gridassignment")):
        return Region.objects.filter(depth=1).order_by("path").first()
    if organisation is not None and user.has_perm("grid.view_gridassignment"):
        return Region.objects.get(path=organisation.region.county_path)
    return None


def event_queryset(*, user):
    return (GridEvent.objects.visible_to(user)
            .select_related("case", "case__holder", "event_type", "grid", "reporter", "handling_org", "assignee"))


def event_get(*, user, event_id) -> GridEvent:
    """One event ``user`` sees (GridEvent.DoesNotExist outside their view)."""
    return event_queryset(user=user).prefetch_related(
        "photos", Prefetch("joint_parts", JointPart.objects.select_related("organisation", "done_by")),
        "urges").get(pk=event_id)


def desk_queues(*, user) -> dict:
    """What waits on ``user`` now, by queue (each a short list, newest first)."""
    events = event_queryset(user=user)
    queues = {}
    if user.has_perm("grid.verify_gridevent"):
        queues["verify"] = events.filter(reporter=user, status=S.FED_BACK)
        queues["mine"] = events.filter(reporter=user).order_by("-reported_at")
    if user.has_perm("grid.handle_gridevent"):
        handling = Q(assignee=user) | Q(assignee__isnull=True, handling_org_id=user.organisation_id)
        queues["handle"] = events.filter(handling, status__in=[S.DISPATCHED, S.HANDLING])
        if user.organisation_id:
            queues["parts"] = events.filter(joint_parts__organisation_id=user.organisation_id,
                                            joint_parts__done_at__isnull=True,
                                            status__in=[S.DISPATCHED, S.HANDLING, S.FED_BACK, S.VERIFIED])
    if user.has_perm("grid.command_gridevent"):
        held = events if user.is_superuser else events.filter(case__holder_id=user.organisation_id)
        queues["register"] = held.filter(status=S.REPORTED)
        queues["dispatch"] = held.filter(status=S.REGISTERED)
        queues["center_verify"] = held.filter(status=S.FED_BACK)
        queues["close"] = held.filter(status=S.VERIFIED)
        queues["evaluate"] = held.filter(status=S.CLOSED)
    return {name: list(queryset[:30]) for name, queryset in queues.items()}


def event_list(*, user, status="", overdue=False, event_type="", grid=""):
    events = event_queryset(user=user)
    if grid:
        events = events.filter(grid__code=grid)
    if status == "open":
        events = events.filter(status__in=OPEN_EVENT_STATUSES)
    elif status in S.values:
        events = events.filter(status=status)
    if overdue:
        events = events.step_overdue()
    if event_type:
        events = events.filter(event_type__code=event_type)
    return events.order_by("-reported_at")


def coverage_gaps(*, root) -> dict:
    """Grids without a worker, active grid workers without a grid, micro-grids
    without a building head, and places without a household count, under ``root``."""
    grids = Region.objects.filter(level=RegionLevel.GRID, path__startswith=root.path)
    staffed = GridAssignment.objects.filter(ended_at__isnull=True)
    return {
        "grids_without_worker": list(grids.exclude(pk__in=staffed.values("grid_id")).order_by("path")),
        "workers_without_grid": list(
            User.objects.filter(role=Role.GRID_WORKER, is_active=True, organisation__region__path__startswith=root.path)
            .exclude(pk__in=staffed.values("worker_id")).select_related("organisation").order_by("username")),
        "micro_grids_without_head": list(
            Region.objects.filter(level=RegionLevel.MICRO_GRID, path__startswith=root.path)
            .exclude(building_heads__is_active=True).order_by("path")),
        "households_off_norm": households_off_norm(root=root),
        "without_households": list(
            Region.objects.filter(level__in=[RegionLevel.GRID, RegionLevel.MICRO_GRID], path__startswith=root.path)
            .filter(Q(grid_profile__isnull=True) | Q(grid_profile__households__isnull=True)).order_by("path")),
    }


def workers_of(*, root):
    """Active grid workers under ``root`` (for assigning a gap)."""
    return User.objects.filter(role=Role.GRID_WORKER, is_active=True,
                               organisation__region__path__startswith=root.path).select_related("organisation")


def grid_counts(*, root) -> dict:
    """{grid id: (open events, overdue steps)} for the grids under ``root``: one GROUP BY."""
    rows = (GridEvent.objects.filter(grid__path__startswith=root.path, status__in=OPEN_EVENT_STATUSES)
            .order_by().values("grid_id")
            .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(step_overdue_at__isnull=False))))
    return {row["grid_id"]: (row["open"], row["overdue"]) for row in rows}


def patrol_summary(*, root, day) -> list[dict]:
    """A day's patrols per grid worker under ``root``: how many, how long, and how
    many events the worker reported that day (one GROUP BY each)."""
    rows = list(
        Patrol.objects.filter(grid__path__startswith=root.path, started_at__date=day).order_by()
        .values("worker_id", "worker__username", "worker__last_name", "worker__first_name")
        .annotate(patrols=Count("pk"), finished=Count("pk", filter=Q(ended_at__isnull=False)),
                  duration=Sum(F("ended_at") - F("started_at")))
        .order_by("worker__username"))
    reported = dict(GridEvent.objects.filter(reporter_id__in=[r["worker_id"] for r in rows], reported_at__date=day)
                    .order_by().values("reporter_id").annotate(n=Count("pk")).values_list("reporter_id", "n"))
    for row in rows:
        row["name"] = f"{row['worker__last_name']}{row['worker__first_name']}" or row["worker__username"]
        row["minutes"] = int(row["duration"].total_seconds() // 60) if row["duration"] else 0
        row["reported"] = reported.get(row["worker_id"], 0)
    return rows


def with_grid_names(places) -> list[tuple]:
    """(place, label): a micro-grid named with its grid ("文昌社区第一网格 · 1号楼"); one query."""
    parents = {place.path[: -Region.steplen] for place in places if place.level == RegionLevel.MICRO_GRID}
    names = dict(Region.objects.filter(path__in=parents).values_list("path", "name")) if parents else {}
    return [(place, f"{names[place.path[: -Region.steplen]]} · {place.name}"
             if place.level == RegionLevel.MICRO_GRID and place.path[: -Region.steplen] in names else place.name)
            for place in places]


def households_off_norm(*, root) -> list:
    """Grids and micro-grids whose household count is outside the norm (grid.overview)."""
    from grid.models import GridProfile
    from grid.overview import in_norm

    profiles = GridProfile.objects.filter(region__path__startswith=root.path, households__isnull=False) \
        .select_related("region").order_by("region__path")
    return [p for p in profiles if not in_norm(p.households, p.region.level)]
