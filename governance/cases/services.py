"""Writes to the matter record: register, change status, grant access.

Every function here is keyword-only and atomic: it locks the matter, checks the
change is allowed, saves, and writes the timeline event in the same transaction.
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed
from guardian.shortcuts import assign_perm

from governance.choices import OPEN_STATUSES, CaseStatus, EventType, GrantPurpose
from governance.cases.grants import end_grants
from governance.timers.models import ClockOutcome
from governance.timers.services import TIER, clock_insert, start_tier_clock, stop_tier_clock, tier_timers
from governance.cases.models import STATUS_FIELDS, Case, CaseEvent, Party
from governance.cases.querysets import VIEW
from governance.cases.numbers import allocate_case_numbers
from governance.cases.texts import write_case_texts
from governance.people.roles import CHANGE_STATUS, SUPERVISE, matter_action


class CaseNotFound(Exception):
    """The matter does not exist or is outside the actor's view (the same answer, on purpose)."""


class CaseChangeForbidden(Exception):
    """The actor sees the matter but may not do this to it (their role, or their
    organisation does not hold it): a 403 with the reason."""


class InvalidTransition(Exception):
    """The status change is not allowed from the matter's current status."""


@dataclass(frozen=True)
class StatusAction:
    name: str  # the Case transition method
    label: str
    note_required: bool


STATUS_ACTIONS = {
    a.name: a
    for a in [
        StatusAction("accept", gettext_lazy("Accept"), False),
        StatusAction("resolve", gettext_lazy("Mark resolved"), True),
        StatusAction("mark_unresolved", gettext_lazy("Mark not resolved"), True),
        StatusAction("terminate", gettext_lazy("Terminate"), True),
        StatusAction("reopen", gettext_lazy("Reopen"), True),
        StatusAction("close", gettext_lazy("Close"), False),
    ]
}


@transaction.atomic
def case_register(
    *, kind, channel, category, region, narrative, holder, parties=(), actor=None,
    address="", note="", anonymous=False,
) -> Case:
    """Register a new matter held by ``holder``, with its parties, a ``created`` event
    and the holder's tier clock (its deadline from the tier rules).

    ``parties`` is a list of dicts with Party fields (role, name, id_number, phone, address);
    ``anonymous``: reported without personal details (then usually no parties).
    The record only: the doors that call it check who may register (intake's
    ``intake_register`` wants ``add_case`` of staff).
    """
    now = timezone.now()
    (number,) = allocate_case_numbers(timezone.localdate(now).year)
    case = Case(
        number=number, kind=kind, channel=channel, category=category, region=region,
        narrative=narrative, address=address, holder=holder, tier=holder.tier,
        registered_by=actor, created_at=now, is_anonymous=anonymous,
    )
    limit, timers = tier_timers(case, start=now)
    case.deadline = timers.deadline
    party_rows = [Party(case=case, **fields) for fields in parties]
    case.save()
    Party.objects.bulk_create(party_rows)
    write_case_texts([case.pk])
    clock_insert(case_id=case.pk, kind=TIER, limit=limit, start=now, timers=timers)
    CaseEvent.objects.create(
        case=case, type=EventType.CREATED, at=now, actor=actor, to_status=case.status,
        to_tier=case.tier, to_holder=holder, note=note, is_public=True,
    )
    return case


def case_get_for(*, case_id, actor, action) -> Case:
    """Lock and return a matter on which ``actor`` may do ``action`` (a matter
    action of the role table: "change", "triage", "move", "supervise",
    "flag_risk"); call inside a transaction.

    Outside their view: CaseNotFound (a 404, so existence does not leak).
    Seen, but their role may not do it, or (for an action on what they hold)
    their organisation does not hold it: CaseChangeForbidden, with the reason.
    """
    spec = matter_action(action)
    locked = (Case.objects.restrict(actor, spec).select_for_update(of=("self",)).select_related("region")
              .filter(pk=case_id).first())
    if locked is not None:
        return locked
    if not Case.objects.restrict(actor, VIEW).filter(pk=case_id).exists():
        raise CaseNotFound(case_id)
    if actor.has_perm(spec.permission):  # the role may, on what their organisation holds
        raise CaseChangeForbidden(_("You can see this matter but your organisation does not hold it."))
    raise CaseChangeForbidden(str(spec.refusal))


def case_get_for_change(*, case_id, actor) -> Case:
    """Lock and return a matter ``actor`` may change the status of (see case_get_for)."""
    return case_get_for(case_id=case_id, actor=actor, action=CHANGE_STATUS)


def case_get_for_supervision(*, case_id, actor) -> Case:
    """Lock and return a matter a supervisor (``supervise_case``: center leaders) sees."""
    return case_get_for(case_id=case_id, actor=actor, action=SUPERVISE)


@transaction.atomic
def case_change_status(*, case_id, actor, action, note="", data=None) -> Case:
    """Apply the status transition ``action`` (a key of STATUS_ACTIONS).

    Refused changes raise and leave the matter and its timeline untouched.
    """
    spec = STATUS_ACTIONS.get(action)
    if spec is None:
        raise InvalidTransition(_("Unknown action “%(action)s”.") % {"action": action})
    note = (note or "").strip()
    if spec.note_required and not note:
        raise InvalidTransition(_("Please give a note for “%(action)s”.") % {"action": spec.label})
    case = case_get_for_change(case_id=case_id, actor=actor)
    transition_method = getattr(case, spec.name)
    if not can_proceed(transition_method):
        raise InvalidTransition(
            _("A matter that is “%(status)s” cannot be changed with “%(action)s”.")
            % {"status": case.get_status_display(), "action": spec.label}
        )
    before = case.status
    transition_method()
    case.save(update_fields=STATUS_FIELDS)
    _follow_with_the_tier_clock(case, before=before)
    CaseEvent.objects.create(
        case=case, type=EventType.STATUS_CHANGED, actor=actor, from_status=before,
        to_status=case.status, note=note, is_public=True, data=data or {},
    )
    if before in OPEN_STATUSES and not case.is_open:
        # A joint mediation does not outlive the matter's handling: its members' grants end now.
        end_grants(case, purpose=GrantPurpose.JOINT_MEDIATION, actor=actor)
    return case


def _follow_with_the_tier_clock(case, *, before):
    """The tier's limit stops when the matter leaves the open statuses (met when it
    was settled, cancelled when terminated) and starts afresh when it is reopened."""
    if before in OPEN_STATUSES and not case.is_open:
        outcome = ClockOutcome.CANCELLED if case.status == CaseStatus.TERMINATED else ClockOutcome.MET
        stop_tier_clock(case, outcome=outcome)
    elif before not in OPEN_STATUSES and case.is_open:
        start_tier_clock(case)


def case_accept(*, case_id, actor, note=""):
    return case_change_status(case_id=case_id, actor=actor, action="accept", note=note)


def case_resolve(*, case_id, actor, note):
    return case_change_status(case_id=case_id, actor=actor, action="resolve", note=note)


def case_mark_unresolved(*, case_id, actor, note):
    return case_change_status(case_id=case_id, actor=actor, action="mark_unresolved", note=note)


def case_terminate(*, case_id, actor, note):
    return case_change_status(case_id=case_id, actor=actor, action="terminate", note=note)


def case_reopen(*, case_id, actor, note):
    return case_change_status(case_id=case_id, actor=actor, action="reopen", note=note)


def case_close(*, case_id, actor, note=""):
    return case_change_status(case_id=case_id, actor=actor, action="close", note=note)


def available_status_actions(case) -> list[StatusAction]:
    names = {t.name for t in case.get_available_status_transitions()}
    return [spec for name, spec in STATUS_ACTIONS.items() if name in names]


@transaction.atomic
def case_grant(*, case_id, to_user, actor, can_change=False, note="") -> Case:
    """Open one matter to one person (an assigned mediator from elsewhere, a
    co-handling department's handler, an owning leader). Internal event.

    The holder may grant; so may a supervisor (``supervise_case``) who sees the matter.
    """
    action = SUPERVISE if actor.has_perm(SUPERVISE.permission) else CHANGE_STATUS
    case = case_get_for(case_id=case_id, actor=actor, action=action)
    codenames = ["view_case", "change_case"] if can_change else ["view_case"]
    for codename in codenames:
        assign_perm(f"governance.{codename}", to_user, case)
    CaseEvent.objects.create(
        case=case, type=EventType.GRANTED, actor=actor, note=note,
        data={"user": to_user.username, "permissions": codenames},
    )
    return case



@transaction.atomic
def case_end_joint_mediation(*, case_id, actor, note="") -> Case:
    """End the matter's joint mediation (联合调) before the matter itself ends (an
    app's mediation reached its outcome): its members' grants are withdrawn, with
    an internal timeline event. Whoever may change the matter's status may end it."""
    case = case_get_for_change(case_id=case_id, actor=actor)
    if not end_grants(case, purpose=GrantPurpose.JOINT_MEDIATION, actor=actor, note=(note or "").strip()):
        raise InvalidTransition(_("This matter has no joint mediation going on."))
    return case
