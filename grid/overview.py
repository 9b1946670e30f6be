"""The grid views for centers and leaders: the tree of a town's or village's grids
with each grid's worker, open events and overdue steps (colour-coded), and the
events on a map (or a list with coordinates when no tile server is configured)."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from governance.choices import RegionLevel
from governance.models import Region
from grid.choices import OPEN_EVENT_STATUSES
from grid.models import GridAssignment, GridProfile
from grid.selectors import event_queryset, grid_counts


def household_norm(level) -> tuple[int, int]:
    """Households a grid (300–500) or micro-grid (50–80) should hold, by the local norm;
    a county sets its own with GRID_HOUSEHOLDS / MICRO_GRID_HOUSEHOLDS."""
    if level == RegionLevel.MICRO_GRID:
        return tuple(getattr(settings, "MICRO_GRID_HOUSEHOLDS", (50, 80)))
    return tuple(getattr(settings, "GRID_HOUSEHOLDS", (300, 500)))


def in_norm(households, level) -> bool:
    low, high = household_norm(level)
    return low <= households <= high


@dataclass
class Node:
    region: Region
    children: list = field(default_factory=list)
    worker: object = None
    households: int | None = None
    micro_grids: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def colour(self) -> str:
        """red: a step is overdue; amber: events open; green: nothing pending."""
        return "danger" if self.overdue else "warning" if self.open else "success"

    @property
    def households_off_norm(self) -> bool:
        return self.households is not None and not in_norm(self.households, RegionLevel.GRID)

    @property
    def grids(self) -> int:
        return 1 if self.region.level == RegionLevel.GRID else sum(child.grids for child in self.children)

    @property
    def staffed(self) -> int:
        if self.region.level == RegionLevel.GRID:
            return int(self.worker is not None)
        return sum(child.staffed for child in self.children)


def overview_tree(*, root) -> list[Node]:
    """Town nodes (a village root: its own town's node holding only it), villages
    under them, grids under those; counts summed upwards. Five queries in all."""
    levels = [RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.GRID]
    places = list(Region.objects.filter(path__startswith=root.path, level__in=levels).order_by("path"))
    if root.level == RegionLevel.VILLAGE or root.level == RegionLevel.GRID:
        places = [Region.objects.get(path=root.path[: root.steplen * 2]), *places]
    nodes = {place.path: Node(place) for place in places}
    grid_ids = [place.pk for place in places if place.level == RegionLevel.GRID]
    workers = {a.grid_id: a.worker for a in GridAssignment.objects.filter(
        grid_id__in=grid_ids, ended_at__isnull=True).select_related("worker")}
    households = dict(GridProfile.objects.filter(region_id__in=grid_ids).values_list("region_id", "households"))
    micro_by_grid = defaultdict(int)
    for path in Region.objects.filter(level=RegionLevel.MICRO_GRID, path__startswith=root.path).values_list(
            "path", flat=True):
        micro_by_grid[path[:-Region.steplen]] += 1
    counts = grid_counts(root=root)
    tops = []
    for place in places:
        node = nodes[place.path]
        if place.level == RegionLevel.GRID:
            node.worker, node.households = workers.get(place.pk), households.get(place.pk)
            node.micro_grids = micro_by_grid[place.path]
            node.open, node.overdue = counts.get(place.pk, (0, 0))
        parent = nodes.get(place.path[:-Region.steplen])
        if parent is None:
            tops.append(node)
        else:
            parent.children.append(node)
    for top in tops:
        _sum_up(top)
    return tops


def _sum_up(node):
    for child in node.children:
        _sum_up(child)
    if node.children:
        node.open = sum(child.open for child in node.children)
        node.overdue = sum(child.overdue for child in node.children)


def tile_settings() -> dict | None:
    """The county's own tile server, if configured (never a public one)."""
    url = getattr(settings, "GRID_MAP_TILE_URL", "")
    if not url:
        return None
    return {"url": url, "attribution": getattr(settings, "GRID_MAP_ATTRIBUTION", ""),
            "max_zoom": getattr(settings, "GRID_MAP_MAX_ZOOM", 18)}


def map_points(*, user, only_open=True, limit=500) -> list[dict]:
    """Events with a location that ``user`` sees, for the map or the list."""
    events = event_queryset(user=user).filter(latitude__isnull=False)
    if only_open:
        events = events.filter(status__in=OPEN_EVENT_STATUSES)
    return [
        {"id": e.pk, "number": e.case.number, "type": e.event_type.name, "status": e.get_status_display(),
         "grid": e.grid.name, "lat": float(e.latitude), "lng": float(e.longitude),
         "overdue": e.step_overdue_at is not None, "url": reverse("grid-event", args=[e.pk]),
         "reported_at": e.reported_at}
        for e in events.order_by("-reported_at")[:limit]
    ]
