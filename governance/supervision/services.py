"""督办: the leaders' supervision list of matters overdue at the county."""
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.choices import OPEN_STATUSES, EventType, NotificationKind
from governance.cases.models import Case, CaseEvent
from governance.notifications.models import Notification
from governance.notifications import notify_many
from governance.cases.selectors import case_queryset
from governance.cases.services import InvalidTransition, case_get_for_supervision


def supervision_list(*, user):
    """Open matters overdue at the county within ``user``'s scope, longest overdue first."""
    return case_queryset(user=user).filter(status__in=OPEN_STATUSES, overdue_at__isnull=False).order_by("deadline")


def supervision_by_holder(*, user):
    """One row per holder: how many matters and since when (one GROUP BY query)."""
    return (
        supervision_list(user=user).order_by().values("holder__name")
        .annotate(matters=Count("pk"), oldest=Min("deadline")).order_by("oldest")
    )


@transaction.atomic
def case_supervise(*, case_id, actor, instruction) -> Case:
    """A leader marks an overdue matter as supervised, with an instruction (督办意见)."""
    instruction = (instruction or "").strip()
    if not instruction:
        raise InvalidTransition(_("Please write the supervision instruction."))
    case = case_get_for_supervision(case_id=case_id, actor=actor)
    now = timezone.now()
    case.supervised_at = now
    case.save(update_fields=["supervised_at", "updated_at"])
    CaseEvent.objects.create(case=case, type=EventType.SUPERVISED, at=now, actor=actor, note=instruction,
                             to_holder_id=case.holder_id)
    notify_many([Notification(organisation_id=case.holder_id, case=case, kind=NotificationKind.SUPERVISED,
                              at=now, note=instruction)])
    return case
