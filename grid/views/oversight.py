"""For centers, leaders and admins: the tree of grids, the map, the coverage gaps
(with assigning a worker), and the monthly reward ledger with its Excel copy."""
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from governance.choices import RegionLevel
from governance.models import Region, User
from governance.web import posted_id
from grid import ledger, overview, selectors
from grid.services import grids as grid_services
from grid.views.common import Refused, forbidden, run


def _root(request):
    """The place asked for (?place=code) within the person's own, else their own."""
    own = selectors.scope_root(request.user)
    if own is None:
        return None, []
    asked = Region.objects.filter(code=request.GET.get("place", ""), path__startswith=own.path,
                                  level__in=[RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE]).first()
    choices = Region.objects.filter(path__startswith=own.path, level__in=[RegionLevel.TOWN, RegionLevel.VILLAGE]) \
        .order_by("path")
    return asked or own, list(choices)


@permission_required("grid.oversee_gridevent", raise_exception=True)
def grid_overview(request):
    root, choices = _root(request)
    if root is None:
        return render(request, "grid/overview.html", {"tree": [], "choices": []})
    tree = overview.overview_tree(root=root)
    return render(request, "grid/overview.html", {"root": root, "tree": tree, "choices": choices})


@permission_required("grid.oversee_gridevent", raise_exception=True)
def grid_map(request):
    points = overview.map_points(user=request.user, only_open=request.GET.get("all") != "1")
    tiles = overview.tile_settings()
    return render(request, "grid/map.html", {
        "points": points, "tiles": tiles, "all": request.GET.get("all") == "1",
        "map_data": {"tiles": tiles, "points": [{**p, "reported_at": p["reported_at"].isoformat()} for p in points]}
        if tiles else None,
    })


@permission_required("grid.view_gridassignment", raise_exception=True)
def coverage(request):
    """Coverage gaps, and assigning a worker to a grid (a reassignment ends the last spell)."""
    root = selectors.scope_root(request.user)
    status = 200
    if request.method == "POST":
        grid = Region.objects.filter(pk=posted_id(request.POST.get("grid")), level=RegionLevel.GRID,
                                     path__startswith=root.path).first()
        worker = User.objects.filter(pk=posted_id(request.POST.get("worker"))).first()
        try:
            _assignment, errors = run(lambda: _assign(grid, worker, request))
        except Refused as error:
            return forbidden(error)
        if not errors:
            messages.success(request, _("%(worker)s now looks after %(grid)s.")
                             % {"worker": worker.display_name, "grid": grid.name})
            return redirect("grid-coverage")
        for texts in errors.values():
            for text in texts:
                messages.error(request, text)
        status = 400
    gaps = selectors.coverage_gaps(root=root)
    by_village = {}
    for worker in selectors.workers_of(root=root):
        by_village.setdefault(worker.organisation.region.path, []).append(worker)
    unstaffed = [(grid, by_village.get(grid.path[: grid.steplen * 3], [])) for grid in gaps["grids_without_worker"]]
    return render(request, "grid/coverage.html", {
        "root": root, "gaps": gaps, "unstaffed": unstaffed,
        "micro_labels": selectors.with_grid_names(gaps["micro_grids_without_head"]),
        "household_labels": selectors.with_grid_names(gaps["without_households"]),
    }, status=status)


def _assign(grid, worker, request):
    if grid is None or worker is None:
        raise ValidationError(_("Choose a grid and a grid worker."))
    return grid_services.grid_assign(grid=grid, worker=worker, actor=request.user,
                                     note=request.POST.get("note", ""))


@permission_required("grid.view_reward", raise_exception=True)
def reward_ledger(request):
    """一事一奖: the month's rewards per worker; ?format=xlsx for the Excel copy."""
    month = ledger.parse_month(request.GET.get("month")) or ledger.this_month()
    lines = ledger.reward_ledger(user=request.user, month=month)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            ledger.ledger_workbook(lines, month),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="grid-rewards-{month:%Y-%m}.xlsx"'
        return response
    return render(request, "grid/rewards.html", {
        "month": month, "lines": lines, "total": ledger.ledger_total(lines),
        "count": sum(line.count for line in lines)})
