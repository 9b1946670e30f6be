"""Keeping grids staffed (一格一员): assigning a grid worker to a grid ends the
previous worker's spell there, so the rows are the grid's history."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import OrganisationKind, RegionLevel, Role
from governance.models import Region
from grid.models import GridAssignment

ASSIGN = "grid.add_gridassignment"


def check_worker_for(grid, worker):
    """A grid's worker is an active grid worker of the grid's village center."""
    if grid.level != RegionLevel.GRID:
        raise ValidationError({"grid": _("“%(place)s” is not a grid.") % {"place": grid.name}})
    if worker.role != Role.GRID_WORKER or not worker.is_active:
        raise ValidationError({"worker": _("%(person)s is not an active grid worker.")
                               % {"person": worker.display_name}})
    village = Region.objects.get(path=grid.path[: grid.steplen * 3])
    organisation = worker.organisation
    if organisation is None or organisation.kind != OrganisationKind.CENTER or organisation.region_id != village.pk:
        raise ValidationError({"worker": _("A grid's worker works for the center of its village (%(village)s).")
                               % {"village": village.name}})


@transaction.atomic
def grid_assign(*, grid, worker, actor, note="", at=None) -> GridAssignment:
    """Make ``worker`` the grid worker of ``grid`` from ``at`` (default now); the
    current worker's spell ends then. Assigning the current worker again changes nothing."""
    if actor is not None and not actor.has_perm(ASSIGN):
        raise PermissionDenied(_("Only an administrator assigns grid workers."))
    check_worker_for(grid, worker)
    at = at or timezone.now()
    # Lock the grid's current spell so two reassignments of one grid queue up.
    current = GridAssignment.objects.select_for_update().filter(grid=grid, ended_at__isnull=True).first()
    if current is not None and current.worker_id == worker.pk:
        return current
    if current is not None:
        if at < current.started_at:
            raise ValidationError({"started_at": _("The new spell cannot start before the current one did.")})
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    return GridAssignment.objects.create(grid=grid, worker=worker, started_at=at, assigned_by=actor,
                                         note=(note or "").strip()[:200])


@transaction.atomic
def grid_unassign(*, grid, actor, at=None) -> int:
    """End the current worker's spell on ``grid`` (the grid is then a coverage gap)."""
    if actor is not None and not actor.has_perm(ASSIGN):
        raise PermissionDenied(_("Only an administrator assigns grid workers."))
    return GridAssignment.objects.filter(grid=grid, ended_at__isnull=True).update(ended_at=at or timezone.now())
