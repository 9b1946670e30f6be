"""The outcome of a mediation: settled (the agreement is drawn), not settled (the
routes the parties are told of, and a referral to the court station), or
terminated; and the one extension of the month. Each sets the matter's own
status through the core's ``case_change_status`` (the lead mediator holds the
matter or was given it to change when the mediation was opened), with the
timeline event in the same transaction."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.services import case_change_status
from governance.choices import OrganisationKind
from governance.models import ClockOutcome
from governance.timers.services import clock_extend
from mediation import clocks
from mediation.choices import Route
from mediation.models import CourtReferral, MediationRules
from mediation.permissions import CONDUCT, FOLLOW_UP
from mediation.services.agreements import draft_agreement
from mediation.services.common import (
    CaseChangeForbidden,
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    holds,
    lock_mediation,
    notify,
    require,
    require_lead,
    required,
    save,
    step,
)


def _conclude(mediation, actor, *, rules):
    """What every outcome does besides its own: the month stops, the follow-up is due."""
    clocks.stop_mediation_clock(mediation, at=mediation.outcome_at,
                                outcome=ClockOutcome.CANCELLED if mediation.outcome == "terminated" else "met")
    clocks.start_follow_up_clock(mediation, rules, at=mediation.outcome_at)


@transaction.atomic
def mediation_succeed(*, mediation_id, actor, facts, terms, performance_deadline=None, note=""):
    """Settled: the lead records the facts and the terms; the agreement is drawn from
    the admin's template (a draft, printed and signed next) and the matter resolved."""
    facts = required(facts, "facts", _("Write the facts of the dispute."))
    terms = required(terms, "terms", _("Write the terms the parties agreed."))
    if performance_deadline is not None and performance_deadline < timezone.localdate():
        raise ValidationError({"performance_deadline": _("The performance deadline cannot be in the past.")})
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_lead(actor, mediation, CONDUCT)
    step(mediation, "succeed")
    mediation.outcome_note = (note or "").strip()
    save(mediation, "outcome", "outcome_at", "outcome_note")
    agreement = draft_agreement(mediation, actor=actor, facts=facts, terms=terms,
                                performance_deadline=performance_deadline)
    with center_language():
        case_change_status(case_id=mediation.case_id, actor=actor, action="resolve",
                           note=_("Settled by mediation: the parties reached a mediation agreement."),
                           data={"mediation": mediation.pk})
        _conclude(mediation, actor, rules=MediationRules.current())
        event(mediation, actor=actor, step_name="succeeded", data={"agreement": agreement.pk},
              note=_("Mediation settled; agreement version %(version)s drawn.") % {"version": agreement.version})
        notify(mediation, _("The mediation settled the dispute."), organisations=[mediation.case.holder])
    return mediation


@transaction.atomic
def mediation_fail(*, mediation_id, actor, reason, routes, court_station=None, referral_note=""):
    """Not settled: the lead records why and the routes the parties were told of
    (人民调解法 art. 26); for litigation, optionally a referral to a court station
    (诉调对接), which is notified. The matter is marked not resolved."""
    reason = required(reason, "reason", _("Write why the mediation did not settle the dispute."))
    routes = list(dict.fromkeys(routes or []))
    if not routes or any(route not in Route.values for route in routes):
        raise ValidationError({"routes": _("Choose the routes the parties were told of: litigation, arbitration "
                                           "or an administrative route.")})
    if court_station is not None and Route.LITIGATION not in routes:
        raise ValidationError({"court_station": _("A referral to the court station is for litigation.")})
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    if court_station is not None and (court_station.kind != OrganisationKind.COURT_STATION
                                      or not court_station.is_active
                                      or not court_station.region.path.startswith(mediation.case.region.county_path)):
        raise ValidationError({"court_station": _("Choose an active court station of this county.")})
    require_lead(actor, mediation, CONDUCT)
    step(mediation, "fail")
    mediation.outcome_note, mediation.routes = reason, routes
    save(mediation, "outcome", "outcome_at", "outcome_note", "routes")
    with center_language():
        route_names = "、".join(str(Route(route).label) for route in routes)
        case_change_status(case_id=mediation.case_id, actor=actor, action="mark_unresolved",
                           note=_("Mediation did not settle the dispute; the parties were told of: %(routes)s.")
                           % {"routes": route_names}, data={"mediation": mediation.pk})
        _conclude(mediation, actor, rules=MediationRules.current())
        event(mediation, actor=actor, step_name="failed", note=_("Mediation did not settle the dispute: "
                                                                  "%(reason)s") % {"reason": reason},
              data={"routes": routes})
        if court_station is not None:
            referral = CourtReferral.objects.create(mediation=mediation, court_station=court_station,
                                                    referred_by=actor, note=(referral_note or "").strip())
            text = _("Referred to %(court)s for litigation (诉调对接).") % {"court": court_station}
            event(mediation, actor=actor, step_name="referred", note=text, is_public=True,
                  data={"referral": referral.pk})
            notify(mediation, _("A matter whose mediation failed is referred to you for litigation."),
                   organisations=[court_station])
    return mediation


@transaction.atomic
def mediation_terminate(*, mediation_id, actor, reason):
    """Terminated before an outcome (a party withdrew, the dispute went elsewhere):
    by the lead, or by the center that holds the matter; the matter is terminated."""
    reason = required(reason, "reason", _("Write why the mediation is terminated."))
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    if mediation.lead_id == actor.pk:
        require(actor, CONDUCT)
    else:
        require(actor, FOLLOW_UP)
        if not holds(actor, mediation.case):
            raise CaseChangeForbidden(_("Only the lead mediator or the organisation that holds the matter can "
                                        "terminate the mediation."))
    step(mediation, "terminate")
    mediation.outcome_note = reason
    save(mediation, "outcome", "outcome_at", "outcome_note")
    with center_language():
        case_change_status(case_id=mediation.case_id, actor=actor, action="terminate",
                           note=_("Mediation terminated: %(reason)s") % {"reason": reason},
                           data={"mediation": mediation.pk})
        _conclude(mediation, actor, rules=MediationRules.current())
        event(mediation, actor=actor, step_name="terminated", note=_("Mediation terminated: %(reason)s")
              % {"reason": reason})
    return mediation


@transaction.atomic
def mediation_extend(*, mediation_id, actor, note):
    """Extend the month once, when the parties agree (local rules)."""
    note = required(note, "note", _("Write what the parties agreed about the extension."))
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    require_lead(actor, mediation, CONDUCT)
    if not mediation.is_running:
        raise InvalidTransition(_("Only a mediation under way can be extended."))
    if mediation.extended_at is not None:
        raise InvalidTransition(_("The mediation limit can be extended only once."))
    rules = MediationRules.current()
    clock = clock_extend(case=mediation.case, kind=clocks.mediation_kind(mediation), by=rules.extension_days)
    if clock is None:
        raise InvalidTransition(_("The mediation limit has already run out; record the outcome."))
    mediation.extended_at, mediation.extension_note = timezone.now(), note
    mediation.save(update_fields=["extended_at", "extension_note", "updated_at"])
    with center_language():
        event(mediation, actor=actor, step_name="extended", data={"due_at": clock.due_at.isoformat()},
              note=_("Mediation limit extended by %(days)s days to %(day)s, as the parties agreed: %(note)s")
              % {"days": rules.extension_days, "day": f"{clocks.last_day(clock.due_at):%Y-%m-%d}", "note": note})
    return mediation
