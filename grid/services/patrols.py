"""Patrol logs (巡查日志): a grid worker starts a patrol of one of their grids and
ends it with the route and what was found; or logs a whole patrol afterwards."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.models import Patrol
from grid.selectors import current_grids

ADD = "grid.add_patrol"
LONGEST = timedelta(hours=24)


def _check(actor, grid):
    if not actor.has_perm(ADD):
        raise PermissionDenied(_("Your role does not keep patrol logs."))
    if grid is None or grid.pk not in {g.pk for g in current_grids(worker=actor)}:
        raise ValidationError({"grid": _("Choose one of your grids.")})


def _check_times(started_at, ended_at, now):
    if ended_at is not None and ended_at <= started_at:
        raise ValidationError({"ended_at": _("A patrol ends after it starts.")})
    if started_at > now + timedelta(minutes=5) or (ended_at is not None and ended_at > now + timedelta(minutes=5)):
        raise ValidationError({"started_at": _("A patrol cannot be logged ahead of time.")})
    if ended_at is not None and ended_at - started_at > LONGEST:
        raise ValidationError({"ended_at": _("A patrol lasts at most 24 hours.")})


@transaction.atomic
def patrol_start(*, actor, grid) -> Patrol:
    _check(actor, grid)
    try:
        with transaction.atomic():
            return Patrol.objects.create(worker=actor, grid=grid, started_at=timezone.now())
    except IntegrityError:
        raise ValidationError(_("You have a patrol under way: end it first.")) from None


@transaction.atomic
def patrol_end(*, actor, route="", findings="") -> Patrol:
    patrol = Patrol.objects.select_for_update().filter(worker=actor, ended_at__isnull=True).first()
    if patrol is None:
        raise ValidationError(_("You have no patrol under way."))
    now = timezone.now()
    _check_times(patrol.started_at, now, now)
    patrol.ended_at, patrol.route, patrol.findings = now, (route or "").strip(), (findings or "").strip()
    patrol.save(update_fields=["ended_at", "route", "findings"])
    return patrol


@transaction.atomic
def patrol_log(*, actor, grid, started_at, ended_at, route="", findings="") -> Patrol:
    """A whole patrol logged at once (the API, or after the fact)."""
    _check(actor, grid)
    now = timezone.now()
    _check_times(started_at, ended_at, now)
    overlapping = Patrol.objects.filter(worker=actor, started_at__lt=ended_at).exclude(ended_at__lte=started_at)
    if overlapping.exists():
        raise ValidationError({"started_at": _("You already logged a patrol at that time.")})
    return Patrol.objects.create(worker=actor, grid=grid, started_at=started_at, ended_at=ended_at,
                                 route=(route or "").strip(), findings=(findings or "").strip())
