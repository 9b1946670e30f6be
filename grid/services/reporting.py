"""Reporting from a phone (上报): the admission list, the worker's own grids, the
place, the location, and photos that may come later (a failed upload never loses
the report)."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import CaseKind, Channel, OrganisationKind, RegionLevel
from governance.models import Region
from governance.notifications import notify_many
from grid import photos as photo_files
from grid.choices import EventStatus, PhotoStep
from grid.clocks import follow_step
from grid.models import GridEvent
from grid.selectors import current_grids
from grid.services.common import (
    REPORT, CaseChangeForbidden, InvalidTransition, center_language, is_center, lock_event, message, peek_event,
    step_event,
)
from intake.services import intake_register

DESCRIPTION_MAX = 2000
REPORT_REFUSAL = gettext_lazy("Your role does not report grid events.")


def check_admitted(event_type):
    """The admission list (网格事项准入清单): every path that gives a grid worker an
    event of a type asks here."""
    if event_type is None:
        raise ValidationError({"event_type": _("Choose the event type.")})
    if not event_type.is_admitted:
        raise ValidationError({"event_type": _(
            "“%(type)s” is not on the grid admission list (网格事项准入清单): it cannot be given to grid workers.")
            % {"type": event_type.name}}, code="not_admitted")


def check_place(*, actor, place) -> Region:
    """The place must be one of the worker's own grids or a micro-grid in one;
    returns the grid."""
    if place is None:
        raise ValidationError({"place": _("Choose the grid where it is.")})
    grids = {grid.pk: grid for grid in current_grids(worker=actor)}
    if place.level == RegionLevel.GRID and place.pk in grids:
        return grids[place.pk]
    if place.level == RegionLevel.MICRO_GRID:
        for grid in grids.values():
            if place.path.startswith(grid.path):
                return grid
    raise ValidationError({"place": _("“%(place)s” is not one of your grids.") % {"place": place.name}},
                          code="not_my_grid")


def clean_coordinates(latitude, longitude):
    """Both or neither, as decimals within range; the browser's location is optional."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lng = Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(
            Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"latitude": _("The location is not a pair of numbers.")}, code="location") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"latitude": _("The location is out of range.")}, code="location")
    return lat, lng


def _check_center(actor, grid):
    """The worker works for a center over the grid (their village's): it will hold the matter."""
    organisation = actor.organisation
    if (organisation is None or organisation.kind != OrganisationKind.CENTER
            or not grid.path.startswith(organisation.region.path)):
        raise ValidationError(_("You do not work for the center of this grid; ask an administrator."))


def event_report(*, actor, event_type, place, description, address="", latitude=None, longitude=None,
                 photos=()) -> GridEvent:
    """A grid worker reports an event of an admitted type in one of their grids. It
    becomes a matter (kind ``grid_event``, or ``dispute`` for a type that becomes a
    dispute matter; channel ``grid_report``) held by the grid's village center, with
    its tier clock, and the loop's first step clock (register) starts.

    Bad input raises ValidationError (field: message) before anything is written;
    photos are checked and written before the transaction."""
    if not actor.has_perm(REPORT):
        raise PermissionDenied(str(REPORT_REFUSAL))
    check_admitted(event_type)
    grid = check_place(actor=actor, place=place)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe what you found.")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Please keep the description within %(count)s characters.")
                               % {"count": DESCRIPTION_MAX}})
    lat, lng = clean_coordinates(latitude, longitude)
    _check_center(actor, grid)
    stored = photo_files.checked_and_stored(photos)
    try:
        return _record(actor=actor, event_type=event_type, grid=grid, place=place, description=description,
                       address=(address or "").strip()[:200], latitude=lat, longitude=lng, stored=stored)
    except BaseException:
        photo_files.discard(stored)
        raise


@transaction.atomic
def _record(*, actor, event_type, grid, place, description, address, latitude, longitude, stored):
    kind = CaseKind.DISPUTE if event_type.becomes_dispute else CaseKind.GRID_EVENT
    case = intake_register(actor=actor, channel=Channel.GRID_REPORT, kind=kind, category=event_type.category,
                           region=place, narrative=description, parties=[], address=address, permission=REPORT)
    now = case.created_at
    event = GridEvent.objects.create(case=case, event_type=event_type, grid=grid, reporter=actor,
                                     latitude=latitude, longitude=longitude, reported_at=now)
    photo_files.photo_rows(event, stored, step=PhotoStep.REPORT, actor=actor, round_number=1, at=now)
    follow_step(event, now=now)
    event.save(update_fields=["step_due_at", "step_overdue_at", "updated_at"])
    with center_language():
        note = _("Grid worker %(worker)s reported “%(type)s” in %(grid)s.") % {
            "worker": actor.display_name, "type": event_type.name, "grid": grid.name}
        notify_many([message(case=case, organisation_id=case.holder_id,
                             note=_("%(worker)s reported “%(type)s”: please register it.")
                             % {"worker": actor.display_name, "type": event_type.name})])
    step_event(event, actor=actor, step="report", note=note, is_public=True, at=now,
               photos=len(stored), event_type=event_type.code)
    return event


def _check_may_add(actor, event, step):
    if step == PhotoStep.REPORT:
        if event.reporter_id != actor.pk and not is_center(actor, event):
            raise CaseChangeForbidden(_("Only the grid worker who reported the event can add its photos."))
        if event.status in (EventStatus.CLOSED, EventStatus.EVALUATED, EventStatus.DECLINED):
            raise InvalidTransition(_("The event is “%(status)s”: no more photos can be added.")
                                    % {"status": event.get_status_display()})


def event_add_photos(*, event_id, actor, photos) -> int:
    """Add report photos to an event already reported (the retry after a failed
    upload: nothing is typed again). Returns how many were added."""
    photos = [upload for upload in photos if upload]
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    _check_may_add(actor, peek_event(event_id=event_id, actor=actor), PhotoStep.REPORT)
    stored = photo_files.checked_and_stored(photos)
    try:
        return _attach(event_id=event_id, actor=actor, stored=stored)
    except BaseException:
        photo_files.discard(stored)
        raise


@transaction.atomic
def _attach(*, event_id, actor, stored):
    event = lock_event(event_id=event_id, actor=actor)
    _check_may_add(actor, event, PhotoStep.REPORT)
    now = timezone.now()
    photo_files.photo_rows(event, stored, step=PhotoStep.REPORT, actor=actor, round_number=event.round, at=now)
    with center_language():
        note = _("%(count)s photo(s) added to the report.") % {"count": len(stored)}
    step_event(event, actor=actor, step="photos", note=note, at=now, photos=len(stored))
    return len(stored)
