"""Grids and the people who look after them: the full-time grid worker of each
grid (一格一员) with the history of reassignments, household counts, and the
building heads (楼栋长) of micro-grids."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import RegionLevel


class GridAssignment(models.Model):
    """One spell of a grid worker on a grid. The running spell has no ``ended_at``;
    a reassignment ends it and starts the next, so the rows are the grid's history.
    A grid has at most one worker at a time (the database says so); a worker may
    look after several grids."""

    grid = models.ForeignKey("governance.Region", verbose_name=_("grid"), on_delete=models.PROTECT,
                             related_name="grid_assignments", limit_choices_to={"level": RegionLevel.GRID})
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT,
                               related_name="grid_assignments", limit_choices_to={"role": "grid_worker"})
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid__path", "-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["grid"], condition=models.Q(ended_at__isnull=True),
                                    name="grid_one_worker_at_a_time"),
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True)
                                   | models.Q(ended_at__gte=models.F("started_at")),
                                   name="grid_assignment_ends_after_start"),
        ]
        indexes = [models.Index(fields=["worker"], condition=models.Q(ended_at__isnull=True),
                                name="grid_assignment_current")]

    def __str__(self):
        return f"{self.grid} · {self.worker}"

    @property
    def is_current(self):
        return self.ended_at is None


class GridProfile(models.Model):
    """What a grid or micro-grid holds: its households (a grid 300–500, a micro-grid
    50–80 by the local norm; the grid views flag counts outside it)."""

    region = models.OneToOneField("governance.Region", verbose_name=_("grid or micro-grid"),
                                  on_delete=models.CASCADE, primary_key=True, related_name="grid_profile",
                                  limit_choices_to={"level__in": [RegionLevel.GRID, RegionLevel.MICRO_GRID]})
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grid profile")
        verbose_name_plural = _("grid profiles")

    def __str__(self):
        return str(self.region)


class BuildingHead(models.Model):
    """A building head (楼栋长) of a micro-grid: a resident volunteer, not staff."""

    micro_grid = models.ForeignKey("governance.Region", verbose_name=_("micro-grid"), on_delete=models.CASCADE,
                                   related_name="building_heads",
                                   limit_choices_to={"level": RegionLevel.MICRO_GRID})
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    building = models.CharField(_("building or group"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("building head")
        verbose_name_plural = _("building heads")
        ordering = ["micro_grid__path", "name"]

    def __str__(self):
        return self.name
