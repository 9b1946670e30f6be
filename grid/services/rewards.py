"""一事一奖: the center marks a valuable report for a reward at an admin-set rate."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.choices import EventStatus
from grid.models import Reward
from grid.services.common import (
    CaseChangeForbidden, InvalidTransition, center_language, lock_event, message, require_center, step_event,
)
from governance.notifications import notify_many

ADD = "grid.add_reward"


@transaction.atomic
def reward_give(*, event_id, actor, rate, note="") -> Reward:
    """Reward the reporting worker of a registered event (one reward per event)."""
    event = lock_event(event_id=event_id, actor=actor)
    if not actor.has_perm(ADD):
        raise CaseChangeForbidden(_("Your role does not give rewards."))
    require_center(actor, event)
    if event.status in (EventStatus.REPORTED, EventStatus.DECLINED):
        raise InvalidTransition(_("Only a registered event can earn a reward."))
    if rate is None or not rate.is_active:
        raise ValidationError({"rate": _("Choose one of the reward rates.")})
    if Reward.objects.filter(event=event).exists():
        raise InvalidTransition(_("This event has its reward already (一事一奖)."))
    now = timezone.now()
    month = timezone.localdate(now).replace(day=1)
    try:
        with transaction.atomic():
            reward = Reward.objects.create(event=event, worker_id=event.reporter_id, rate=rate, amount=rate.amount,
                                           month=month, awarded_by=actor, awarded_at=now,
                                           note=(note or "").strip()[:200])
    except IntegrityError:
        raise InvalidTransition(_("This event has its reward already (一事一奖).")) from None
    with center_language():
        text = _("Reward for a valuable report: %(rate)s, %(amount)s yuan.") % {"rate": rate.name,
                                                                              "amount": rate.amount}
        notify_many([message(case=event.case, user_id=event.reporter_id, note=text, at=now)])
    step_event(event, actor=actor, step="reward", note=text, at=now, amount=str(rate.amount))
    return reward
