"""What every step shares: locking an event, who may act on it, the timeline
entry and the messages, in the center's language."""
import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from governance.choices import EventType, NotificationKind
from governance.models import Case, CaseEvent, Notification
from governance.cases.services import CaseChangeForbidden, CaseNotFound, InvalidTransition
from grid.models import GridEvent

REPORT = "grid.report_gridevent"
COMMAND = "grid.command_gridevent"
HANDLE = "grid.handle_gridevent"
VERIFY = "grid.verify_gridevent"
URGE = "grid.urge_gridevent"
SUPERVISE = "grid.supervise_gridevent"
OVERSEE = "grid.oversee_gridevent"


@contextlib.contextmanager
def center_language():
    """Timeline notes and messages are kept in the center's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def lock_event(*, event_id, actor) -> GridEvent:
    """The event ``actor`` sees, with its matter, both locked (matter first, as the
    sweep locks them); CaseNotFound outside their view. Call inside a transaction."""
    if not GridEvent.objects.visible_to(actor).filter(pk=event_id).exists():
        raise CaseNotFound(event_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("region", "holder").get(pk=event_id)
    event = GridEvent.objects.select_for_update(of=("self",)).select_related("event_type").get(pk=event_id)
    event.case = case
    return event


def peek_event(*, event_id, actor) -> GridEvent:
    """The event without locks, for checks made before writing photos."""
    event = (GridEvent.objects.visible_to(actor).select_related("case__holder", "case__region", "event_type")
             .filter(pk=event_id).first())
    if event is None:
        raise CaseNotFound(event_id)
    return event


# -- who may ---------------------------------------------------------------------------

def is_center(user, event) -> bool:
    """Staff of the center holding the event's matter (a village center, or the town
    center once the matter escalated), with the center's grid rights."""
    return user.has_perm(COMMAND) and (user.is_superuser or user.organisation_id == event.case.holder_id)


def require_center(user, event):
    if not user.has_perm(COMMAND):
        raise CaseChangeForbidden(_("Only the staff of the center holding the event can do this step."))
    if not is_center(user, event):
        raise CaseChangeForbidden(_("The event is held by %(center)s; only its staff can do this step.")
                                  % {"center": event.case.holder.name})


def is_handler(user, event) -> bool:
    """The person the event was dispatched to; dispatched to a body's desk (no
    person named), any of its staff who handle."""
    if not user.has_perm(HANDLE):
        return False
    if user.is_superuser or event.assignee_id == user.pk:
        return True
    return event.assignee_id is None and user.organisation_id is not None and \
        user.organisation_id == event.handling_org_id


def require_handler(user, event):
    if not user.has_perm(HANDLE):
        raise CaseChangeForbidden(_("Your role does not handle grid events."))
    if not is_handler(user, event):
        raise CaseChangeForbidden(_("This event was not dispatched to you or your organisation."))


def is_reporter(user, event) -> bool:
    return user.has_perm(VERIFY) and event.reporter_id == user.pk


def require_verifier(user, event):
    """The reporting grid worker, on the spot; or the center instead."""
    if is_reporter(user, event) or is_center(user, event):
        return
    if user.has_perm(VERIFY) or user.has_perm(COMMAND):
        raise CaseChangeForbidden(_("Only the grid worker who reported the event, or the center holding it, "
                                    "can verify it."))
    raise CaseChangeForbidden(_("Your role does not verify grid events."))


def require_step(event, transition, label):
    """409 unless the loop allows ``transition`` (a bound GridEvent method) now."""
    if not can_proceed(transition, check_conditions=False):
        raise InvalidTransition(
            _("The event is “%(status)s”: “%(step)s” is not possible now.")
            % {"status": event.get_status_display(), "step": label})


# -- the timeline and messages -----------------------------------------------------------

def step_event(event, *, actor, step, note, is_public=False, at=None, **data) -> CaseEvent:
    """The grid step on the matter's timeline (the caller writes the note in the center's language)."""
    fields = {"at": at} if at is not None else {}
    return CaseEvent.objects.create(
        case=event.case, type=EventType.STEP, actor=actor, note=note, is_public=is_public,
        data={"app": "grid", "step": step, "status": event.status, **data}, **fields)


def message(*, case, note, organisation_id=None, user_id=None, at=None) -> Notification:
    fields = {"at": at} if at is not None else {}
    return Notification(case=case, organisation_id=organisation_id, user_id=user_id,
                        kind=NotificationKind.MESSAGE, note=note, **fields)


def handler_recipient(event) -> dict:
    """Who hears about the handling: the person it was given to, else their body's desk."""
    if event.assignee_id:
        return {"user_id": event.assignee_id}
    return {"organisation_id": event.handling_org_id}
