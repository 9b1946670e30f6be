"""After the outcome: the follow-up visit (回访), closing, reopening when the party
is dissatisfied or the agreement was not performed, and the court station's
answer to a referral. Done by the center that holds the matter (or the team)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.services import case_change_status
from governance.choices import CaseStatus
from governance.models import ClockOutcome
from governance.timers.services import clock_stop
from mediation import clocks
from mediation.choices import (
    DISSATISFIED_AT_MOST,
    NOT_PERFORMED,
    FollowUpMethod,
    MediationStatus,
    Outcome,
    Performance,
    ReferralOutcome,
    Satisfaction,
)
from mediation.models import FollowUp, MediationRules
from mediation.permissions import FOLLOW_UP
from mediation.services.common import (
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    lock_mediation,
    require_team_or_holder,
    required,
    save,
    step,
)
from mediation.services.opening import withdraw_grants


def needs_decision(follow_up) -> bool:
    """The party is dissatisfied, or the agreement was not (fully) performed: the
    center decides whether to mediate again."""
    return follow_up.satisfaction <= DISSATISFIED_AT_MOST or follow_up.performance in NOT_PERFORMED


def _check(method, performance, satisfaction, outcome):
    if method not in FollowUpMethod.values:
        raise ValidationError({"method": _("Choose how the follow-up was made: by phone or a visit.")})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose the party's satisfaction (five levels).")})
    if outcome != Outcome.SUCCESS:
        return Performance.NOT_APPLICABLE  # nothing agreed, nothing to perform
    if performance not in Performance.values or performance == Performance.NOT_APPLICABLE:
        raise ValidationError({"performance": _("Say whether the agreement was performed.")})
    return performance


@transaction.atomic
def mediation_follow_up(*, mediation_id, actor, method, performance, satisfaction, note="") -> FollowUp:
    """Record the follow-up visit. A satisfied party and an agreement performed (or not
    due yet): the mediation and the matter are closed. Otherwise the center decides:
    reopen, or close anyway."""
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_team_or_holder(actor, mediation, FOLLOW_UP)
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        satisfaction = None
    performance = _check(method, performance, satisfaction, mediation.outcome)
    step(mediation, "follow_up")
    save(mediation)
    follow_up = FollowUp.objects.create(mediation=mediation, method=method, performance=performance,
                                        satisfaction=satisfaction, note=(note or "").strip(), by=actor)
    clock_stop(case=mediation.case, kind=clocks.FOLLOW_UP, outcome=ClockOutcome.MET)
    with center_language():
        event(mediation, actor=actor, step_name="followed_up", data={"follow_up": follow_up.pk},
              note=_("Follow-up (%(method)s): %(satisfaction)s; %(performance)s.") % {
                  "method": follow_up.get_method_display(), "satisfaction": follow_up.get_satisfaction_display(),
                  "performance": follow_up.get_performance_display()})
        if not needs_decision(follow_up):
            _close(mediation, actor, note=_("Followed up: the party is satisfied."))
    return follow_up


def _close(mediation, actor, *, note):
    step(mediation, "close")
    save(mediation, "closed_at")
    if mediation.case.status in (CaseStatus.RESOLVED, CaseStatus.UNRESOLVED, CaseStatus.TERMINATED):
        case_change_status(case_id=mediation.case_id, actor=actor, action="close", note=note,
                           data={"mediation": mediation.pk})
    # The team keeps reading what it did; changing the matter ends with the mediation.
    withdraw_grants(mediation, codenames=("change_case",))
    event(mediation, actor=actor, step_name="closed", note=_("Mediation closed."))


@transaction.atomic
def mediation_close(*, mediation_id, actor, note=""):
    """Close after a follow-up, also one that found the party dissatisfied."""
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_team_or_holder(actor, mediation, FOLLOW_UP)
    with center_language():
        _close(mediation, actor, note=(note or "").strip() or _("Closed after the follow-up."))
    return mediation


@transaction.atomic
def mediation_reopen(*, mediation_id, actor, note):
    """Mediate again (a fresh month), when the last follow-up found the party
    dissatisfied or the agreement not performed; the matter is reopened too."""
    note = required(note, "note", _("Write why the mediation is reopened."))
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_team_or_holder(actor, mediation, FOLLOW_UP)
    last = mediation.follow_ups.order_by("-at", "-id").first()
    if mediation.status != MediationStatus.FOLLOWED_UP or last is None:
        raise InvalidTransition(_("A mediation is reopened after its follow-up."))
    if not needs_decision(last):
        raise InvalidTransition(_("The follow-up found the party satisfied and the agreement performed: there is "
                                  "nothing to reopen."))
    if mediation.outcome == Outcome.TERMINATED:
        raise InvalidTransition(_("A terminated mediation is not reopened; open a new one on a new matter."))
    step(mediation, "reopen")
    save(mediation, "outcome", "outcome_at", "outcome_note", "routes", "extended_at", "extension_note",
         "reopened_count", "accepted_at")
    with center_language():
        case_change_status(case_id=mediation.case_id, actor=actor, action="reopen",
                           note=_("Reopened for mediation after the follow-up: %(note)s") % {"note": note},
                           data={"mediation": mediation.pk})
        mediation.case.refresh_from_db(fields=["status", "deadline"])
        clocks.start_mediation_clock(mediation, MediationRules.current(), at=mediation.accepted_at)
        event(mediation, actor=actor, step_name="reopened", note=_("Mediation reopened: %(note)s") % {"note": note})
    return mediation


@transaction.atomic
def referral_record_outcome(*, mediation_id, actor, outcome, outcome_on, note=""):
    """What the court station made of the referred matter."""
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose what the court did.")})
    if outcome_on is None or outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": _("Give the date, not in the future.")})
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_team_or_holder(actor, mediation, FOLLOW_UP)
    referral = mediation.referrals.select_for_update().filter(outcome=ReferralOutcome.PENDING).first()
    if referral is None:
        raise InvalidTransition(_("No referral is awaiting the court."))
    referral.outcome, referral.outcome_on, referral.outcome_note = outcome, outcome_on, (note or "").strip()
    referral.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    with center_language():
        event(mediation, actor=actor, step_name="referral_outcome", is_public=True, data={"referral": referral.pk},
              note=_("Court referral: %(outcome)s (%(day)s).") % {"outcome": referral.get_outcome_display(),
                                                                   "day": f"{outcome_on:%Y-%m-%d}"})
    return referral
