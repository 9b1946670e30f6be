"""Pushing an unfinished event along: urge (催办) by hand, a leader's supervision
(督办) with an instruction, and joint handling (会办): more bodies asked to take
part, each recording its part."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.notifications import notify_many
from governance.supervision.services import case_supervise
from grid import photos as photo_files
from grid.choices import EventStatus, PhotoStep, Step, UrgeKind, STEP_OF_STATUS
from grid.clocks import responsible
from grid.models import JointPart, Urge
from grid.services.common import (
    SUPERVISE, URGE, CaseChangeForbidden, InvalidTransition, center_language, lock_event, message, peek_event,
    require_center, step_event,
)
from grid.services.loop import _joint_bodies, join, open_to_bodies

# Joint bodies can be asked, and record their part, until the event is closed.
JOINT_OPEN = (EventStatus.DISPATCHED, EventStatus.HANDLING, EventStatus.FED_BACK, EventStatus.VERIFIED)


def _waiting_on(event) -> list:
    step = STEP_OF_STATUS.get(event.status)
    values = {"assignee_id": event.assignee_id, "handling_org_id": event.handling_org_id,
              "reporter_id": event.reporter_id}
    return [who for who in responsible(step, values, event.case.holder_id) if any(who.values())]


def _unfinished(event, label):
    if not event.is_open:
        raise InvalidTransition(_("The event is “%(status)s”: “%(step)s” is only for unfinished events.")
                                % {"status": event.get_status_display(), "step": label})


@transaction.atomic
def event_urge(*, event_id, actor, note=""):
    """催办 by hand: whoever the current step waits on is told, with the note. The
    center's staff and leaders may urge what they see."""
    event = lock_event(event_id=event_id, actor=actor)
    if not actor.has_perm(URGE):
        raise CaseChangeForbidden(_("Your role does not urge grid events."))
    _unfinished(event, _("Urge"))
    now = timezone.now()
    note = (note or "").strip()
    with center_language():
        step = Step(STEP_OF_STATUS[event.status])
        text = join(_("Urged: the step “%(step)s” is waiting.") % {"step": step.label}, note)
    Urge.objects.create(event=event, kind=UrgeKind.MANUAL, status=event.status, by=actor, note=note, at=now)
    notify_many([message(case=event.case, note=text, at=now, **who) for who in _waiting_on(event)])
    step_event(event, actor=actor, step="urge", note=text, at=now)
    return event


@transaction.atomic
def event_supervise(*, event_id, actor, instruction):
    """督办: a leader supervises an unfinished event with an instruction. The matter
    is marked supervised as the core does it (its holder told); whoever the step
    waits on is told too."""
    instruction = (instruction or "").strip()
    if not instruction:
        raise ValidationError({"instruction": _("Please write the supervision instruction.")})
    event = lock_event(event_id=event_id, actor=actor)
    if not actor.has_perm(SUPERVISE):
        raise CaseChangeForbidden(_("Only a center leader can supervise a grid event."))
    _unfinished(event, _("Supervise"))
    case_supervise(case_id=event.pk, actor=actor, instruction=instruction)
    now = timezone.now()
    event.supervised_at = now
    event.save(update_fields=["supervised_at", "updated_at"])
    Urge.objects.create(event=event, kind=UrgeKind.SUPERVISION, status=event.status, by=actor, note=instruction,
                        at=now)
    with center_language():
        text = _("A leader supervises this event: %(instruction)s") % {"instruction": instruction}
    holder = {"organisation_id": event.case.holder_id}  # the core's supervision already told the holder
    notify_many([message(case=event.case, note=text, at=now, **who) for who in _waiting_on(event) if who != holder])
    return event


@transaction.atomic
def event_add_joint(*, event_id, actor, organisations, note=""):
    """会办: the center asks more bodies to take part in handling a dispatched event."""
    event = lock_event(event_id=event_id, actor=actor)
    require_center(actor, event)
    if event.status not in JOINT_OPEN:
        raise InvalidTransition(_("Bodies can be asked to take part once the event is dispatched, until it is "
                                  "closed."))
    asked = set(event.joint_parts.values_list("organisation_id", flat=True))
    bodies = [body for body in _joint_bodies(event, list(organisations), event.handling_org) if body.pk not in asked]
    if not bodies:
        raise ValidationError({"joint": _("Choose the bodies that take part.")})
    now = timezone.now()
    JointPart.objects.bulk_create([JointPart(event=event, organisation=body, requested_at=now) for body in bodies])
    open_to_bodies(event, bodies)
    with center_language():
        text = join(_("Handled jointly with %(bodies)s.") % {"bodies": "、".join(b.name for b in bodies)}, note)
        notify_many([message(case=event.case, organisation_id=body.pk, at=now,
                             note=_("Please take part in handling the grid event jointly.")) for body in bodies])
    step_event(event, actor=actor, step="joint", note=text, at=now, joint=[body.pk for body in bodies])
    return event


def _part_of(actor, event):
    if not actor.has_perm("grid.handle_gridevent"):
        raise CaseChangeForbidden(_("Your role does not handle grid events."))
    part = event.joint_parts.filter(organisation_id=actor.organisation_id).first() if actor.organisation_id else None
    if part is None:
        raise CaseChangeForbidden(_("Your organisation is not part of this joint handling."))
    if part.done_at is not None:
        raise InvalidTransition(_("Your organisation's part is already recorded."))
    if event.status not in JOINT_OPEN:
        raise InvalidTransition(_("The event is “%(status)s”: parts can no longer be recorded.")
                                % {"status": event.get_status_display()})
    return part


def event_record_part(*, event_id, actor, note, photos=()):
    """A body of a joint handling records what it did (photos optional)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Please write what your organisation did.")})
    _part_of(actor, peek_event(event_id=event_id, actor=actor))
    stored = photo_files.checked_and_stored(photos)
    try:
        return _record_part(event_id=event_id, actor=actor, note=note, stored=stored)
    except BaseException:
        photo_files.discard(stored)
        raise


@transaction.atomic
def _record_part(*, event_id, actor, note, stored):
    event = lock_event(event_id=event_id, actor=actor)
    part = JointPart.objects.select_for_update().get(pk=_part_of(actor, event).pk)
    now = timezone.now()
    part.note, part.done_at, part.done_by = note, now, actor
    part.save(update_fields=["note", "done_at", "done_by"])
    photo_files.photo_rows(event, stored, step=PhotoStep.JOINT, actor=actor, round_number=event.round, at=now)
    pending = event.joint_parts.filter(done_at__isnull=True).count()
    with center_language():
        text = _("%(body)s recorded its part: %(note)s") % {"body": actor.organisation.name, "note": note}
        notify_many([message(case=event.case, organisation_id=event.case.holder_id, at=now,
                             note=text if pending else join(text, _("Every part of the joint handling is in.")))])
    step_event(event, actor=actor, step="joint_part", note=text, at=now, organisation=actor.organisation_id,
                photos=len(stored))
    return event
