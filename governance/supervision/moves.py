"""Moving a matter between the tiers' centers: a leader's hand (escalate now, or
assign down 下派, with a reason) and instant escalation on a signal."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import TIER_OF_LEVEL, EventType, tier_rank
from governance.choices import NotificationKind as Notify
from governance.timers.services import start_tier_clock
from governance.cases.models import Case, CaseEvent
from governance.notifications.models import Notification
from governance.organisations.models import Organisation
from governance.notifications import notify_many
from governance.cases.services import InvalidTransition, case_get_for
from governance.people.roles import MOVE



def centers_above(case) -> list[Organisation]:
    """The centers a matter can be held by: its place's and every ancestor's, village up to county."""
    return list(
        Organisation.objects.filter(kind="center", is_active=True, region__path__in=case.region.paths_to_root)
        .select_related("region")
        .order_by("-region__depth")
    )


def move_locked_case(case, *, to, actor, note, data, event_type=None, is_public=True, from_status="") -> Case:
    """Give the locked, open ``case`` to the organisation ``to`` (a center above the
    place, or a department at dispatch): the new tier's time limit counted from now,
    a timeline event (by default escalated / assigned down / dispatched, from the
    direction of the move; ``from_status`` when the caller also changed the status),
    and a notification to the new holder (and to the previous one when it goes up)."""
    target = TIER_OF_LEVEL[to.region.level]
    step = tier_rank(target) - tier_rank(case.tier)
    if event_type is None:
        event_type = (EventType.ESCALATED if step > 0 else EventType.ASSIGNED_DOWN if step < 0
                      else EventType.DISPATCHED)
    now = timezone.now()
    before_tier, before_holder = case.tier, case.holder_id
    case.tier, case.holder = target, to
    case.save(update_fields=["tier", "holder", "updated_at"])
    start_tier_clock(case, start=now)  # the new tier's limit, counted from the move
    CaseEvent.objects.create(
        case=case, type=event_type, at=now, actor=actor, from_tier=before_tier, to_tier=target,
        from_status=from_status, to_status=case.status if from_status else "",
        from_holder_id=before_holder, to_holder=to, note=note, is_public=is_public, data=data,
    )
    kind = {EventType.ESCALATED: Notify.ESCALATED, EventType.ASSIGNED_DOWN: Notify.ASSIGNED_DOWN}.get(
        event_type, Notify.DISPATCHED
    )
    notifications = [Notification(organisation=to, case=case, kind=kind, at=now, note=note)]
    if event_type == EventType.ESCALATED:
        notifications.append(Notification(organisation_id=before_holder, case=case, kind=Notify.ESCALATED_AWAY,
                                          at=now, note=note))
    notify_many(notifications)
    return case


@transaction.atomic
def case_move(*, case_id, actor, to, reason) -> Case:
    """A leader (``move_case``) moves an open matter they see to the center ``to``
    (higher: escalate; lower: assign down)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(_("Please give the reason for the move."))
    case = case_get_for(case_id=case_id, actor=actor, action=MOVE)
    if not case.is_open:
        raise InvalidTransition(_("Only an open matter can be moved between tiers."))
    allowed = {center.pk: center for center in centers_above(case)}
    if to.pk not in allowed or to.pk == case.holder_id:
        raise InvalidTransition(_("The matter can only move to another center above its place."))
    return move_locked_case(case, to=allowed[to.pk], actor=actor, note=reason, data={"manual": True})
