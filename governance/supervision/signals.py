"""Instant escalation on a signal (SignalRule): the third police referral of the
same matter, or staff flagging a risk of extreme action (极端行为风险), moves
the matter straight to the rule's tier without waiting for its deadline."""
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.choices import TIER_OF_LEVEL, EventType, Signal, tier_rank
from governance.cases.models import Case, CaseEvent
from governance.supervision.models import SignalRule
from governance.cases.services import InvalidTransition, case_get_for
from governance.people.roles import FLAG_RISK
from governance.supervision.moves import centers_above, move_locked_case

logger = logging.getLogger(__name__)


def escalate_on_signal(case, signal, *, count, actor) -> bool:
    """Escalate the locked ``case`` if an active rule for ``signal`` is met; True if it moved."""
    rule = SignalRule.objects.filter(signal=signal, is_active=True).first()
    if rule is None or count < rule.threshold or not case.is_open:
        return False
    if tier_rank(case.tier) >= tier_rank(rule.to_tier):
        return False
    center = next((c for c in centers_above(case) if TIER_OF_LEVEL[c.region.level] == rule.to_tier), None)
    if center is None:
        logger.error("no %s center above matter %s for signal %s", rule.to_tier, case.number, signal)
        return False
    with translation.override(settings.LANGUAGE_CODE):  # timeline notes are kept in the center's language
        note = _("Escalated at once: %(signal)s (%(count)s).") % {"signal": rule.get_signal_display(),
                                                                  "count": count}
    # Internal: the citizen's timeline must not read "risk of extreme action".
    move_locked_case(case, to=center, actor=actor, note=note, data={"signal": signal, "count": count},
                     is_public=False)
    return True


@transaction.atomic
def case_flag_risk(*, case_id, actor, note) -> Case:
    """Staff (``flag_risk_case``: every role, a grid worker on their places' matters
    too) flag a risk of extreme action on a matter they see; it escalates at once
    if a signal rule says so."""
    note = (note or "").strip()
    if not note:
        raise InvalidTransition(_("Please describe the risk."))
    case = case_get_for(case_id=case_id, actor=actor, action=FLAG_RISK)
    if not case.is_open:
        raise InvalidTransition(_("Only an open matter can be flagged."))
    if case.risk_flagged_at is not None:
        raise InvalidTransition(_("This matter is already flagged."))
    now = timezone.now()
    case.risk_flagged_at = now
    case.save(update_fields=["risk_flagged_at", "updated_at"])
    CaseEvent.objects.create(case=case, type=EventType.RISK_FLAGGED, at=now, actor=actor, note=note)
    escalate_on_signal(case, Signal.EXTREME_RISK, count=1, actor=actor)
    return case


def count_police_referral(case, *, actor) -> bool:
    """Count one more police referral of the locked ``case`` (intake calls this when
    a referral is linked to an existing matter); escalates at the rule's threshold."""
    Case.objects.filter(pk=case.pk).update(police_referrals=F("police_referrals") + 1)
    case.refresh_from_db(fields=["police_referrals"])
    return escalate_on_signal(case, Signal.POLICE_REFERRAL, count=case.police_referrals, actor=actor)
