"""Judicial confirmation (司法确认) of a signed agreement: the parties' joint
application within 30 days of it taking effect (人民调解法 art. 33), the court's
acceptance within 3 days and its decision within 15 days (+10), each a clock
(最高法 2011 规定 arts. 4-5). Recorded by the mediation's team or the center
that holds the matter (the 司法确认 window)."""
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import ClockOutcome
from governance.timers.calendar import due_after
from governance.timers.services import clock_extend, clock_stop
from mediation import clocks
from mediation.choices import ConfirmationDecision
from mediation.models import JudicialConfirmation, MediationRules
from mediation.permissions import FOLLOW_UP
from mediation.services.agreements import current_agreement
from mediation.services.common import (
    CaseChangeForbidden,
    InvalidTransition,
    ValidationError,
    center_language,
    event,
    holds,
    is_team,
    lock_mediation,
    required,
)

D = ConfirmationDecision


def application_last_day(agreement, rules=None):
    """The last day the parties may apply (the day it took effect not counted)."""
    rules = rules or MediationRules.current()
    start = timezone.make_aware(datetime.combine(agreement.signed_on, time(12)))
    return clocks.last_day(due_after(start, rules.confirmation_days, clocks.DAYS))


def _lock(mediation_id, actor):
    mediation = lock_mediation(mediation_id=mediation_id, actor=actor)
    if not (actor.has_perm(FOLLOW_UP.permission) or actor.has_perm("mediation.conduct_mediation")):
        raise CaseChangeForbidden(str(FOLLOW_UP.refusal))
    if not (is_team(actor, mediation) or holds(actor, mediation.case)):
        raise CaseChangeForbidden(_("Only the mediation's team or the organisation that holds the matter records "
                                    "the judicial confirmation."))
    agreement = current_agreement(mediation)
    if agreement is None or not agreement.is_signed:
        raise InvalidTransition(_("Judicial confirmation is for a signed agreement."))
    return mediation, agreement


def _day(value, field, *, not_before=None):
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError({field: _("The date cannot be before %(day)s.") % {"day": f"{not_before:%Y-%m-%d}"}})
    return value


def _confirmation(agreement):
    confirmation = JudicialConfirmation.objects.select_for_update().filter(agreement=agreement).first()
    if confirmation is None:
        raise InvalidTransition(_("No application for judicial confirmation has been recorded."))
    if confirmation.decision:
        raise InvalidTransition(_("The court has decided already: %(decision)s.")
                                % {"decision": confirmation.get_decision_display()})
    return confirmation


@transaction.atomic
def confirmation_apply(*, mediation_id, actor, court, applied_on) -> JudicialConfirmation:
    """The parties applied jointly to ``court`` on ``applied_on``: the court's 3 days start."""
    court = required(court, "court", _("Name the court."))
    mediation, agreement = _lock(mediation_id, actor)
    applied_on = _day(applied_on, "applied_on", not_before=agreement.signed_on)
    rules = MediationRules.current()
    last = application_last_day(agreement, rules)
    if applied_on > last:
        raise InvalidTransition(_("The 30 days to apply ended on %(day)s.") % {"day": f"{last:%Y-%m-%d}"})
    if JudicialConfirmation.objects.filter(agreement=agreement).exists():
        raise InvalidTransition(_("The application is recorded already."))
    confirmation = JudicialConfirmation.objects.create(agreement=agreement, court=court[:120], applied_on=applied_on,
                                                       recorded_by=actor)
    clock_stop(case=mediation.case, kind=clocks.CONFIRMATION, outcome=ClockOutcome.MET)
    clocks.start_day_clock(mediation, clocks.COURT_ACCEPTANCE, rules.court_acceptance_days, on=applied_on,
                           data={"agreement": agreement.pk})
    with center_language():
        event(mediation, actor=actor, step_name="confirmation_applied", citizen=True,
              note=_("The parties applied to %(court)s for judicial confirmation on %(day)s.")
              % {"court": court, "day": f"{applied_on:%Y-%m-%d}"})
    return confirmation


@transaction.atomic
def confirmation_accept(*, mediation_id, actor, accepted_on) -> JudicialConfirmation:
    """The court accepted the application: its 15 days to decide start."""
    mediation, agreement = _lock(mediation_id, actor)
    confirmation = _confirmation(agreement)
    if confirmation.accepted_on is not None:
        raise InvalidTransition(_("The court's acceptance is recorded already."))
    confirmation.accepted_on = _day(accepted_on, "accepted_on", not_before=confirmation.applied_on)
    confirmation.save(update_fields=["accepted_on"])
    rules = MediationRules.current()
    clock_stop(case=mediation.case, kind=clocks.COURT_ACCEPTANCE, outcome=ClockOutcome.MET)
    clocks.start_day_clock(mediation, clocks.COURT_DECISION, rules.court_decision_days, on=confirmation.accepted_on,
                           data={"agreement": agreement.pk}, remind_before=3)
    with center_language():
        event(mediation, actor=actor, step_name="confirmation_accepted", citizen=True,
              note=_("%(court)s accepted the application for judicial confirmation on %(day)s.")
              % {"court": confirmation.court, "day": f"{confirmation.accepted_on:%Y-%m-%d}"})
    return confirmation


@transaction.atomic
def confirmation_extend(*, mediation_id, actor, note) -> JudicialConfirmation:
    """The court's president extended the decision period (+10 days), once."""
    note = required(note, "note", _("Write what the court said."))
    mediation, agreement = _lock(mediation_id, actor)
    confirmation = _confirmation(agreement)
    if confirmation.accepted_on is None:
        raise InvalidTransition(_("The court has not accepted the application yet."))
    if confirmation.extended:
        raise InvalidTransition(_("The decision period can be extended only once."))
    rules = MediationRules.current()
    clock = clock_extend(case=mediation.case, kind=clocks.COURT_DECISION, by=rules.court_decision_extension_days)
    if clock is None:
        raise InvalidTransition(_("The court's decision period has already run out."))
    confirmation.extended = True
    confirmation.save(update_fields=["extended"])
    with center_language():
        event(mediation, actor=actor, step_name="confirmation_extended",
              note=_("The court extended its decision period to %(day)s: %(note)s")
              % {"day": f"{clocks.last_day(clock.due_at):%Y-%m-%d}", "note": note})
    return confirmation


@transaction.atomic
def confirmation_decide(*, mediation_id, actor, decision, decided_on, note="") -> JudicialConfirmation:
    """What the court decided: confirmed or not (after acceptance), not accepted, or
    the application withdrawn."""
    if decision not in D.values:
        raise ValidationError({"decision": _("Choose the court's decision.")})
    mediation, agreement = _lock(mediation_id, actor)
    confirmation = _confirmation(agreement)
    accepted = confirmation.accepted_on is not None
    if decision in (D.CONFIRMED, D.NOT_CONFIRMED) and not accepted:
        raise InvalidTransition(_("The court decides on confirmation after accepting the application."))
    if decision == D.NOT_ACCEPTED and accepted:
        raise InvalidTransition(_("The court has accepted the application already."))
    confirmation.decided_on = _day(decided_on, "decided_on", not_before=confirmation.accepted_on
                                   or confirmation.applied_on)
    confirmation.decision, confirmation.note = decision, (note or "").strip()
    confirmation.save(update_fields=["decided_on", "decision", "note"])
    for kind in (clocks.COURT_ACCEPTANCE, clocks.COURT_DECISION):
        clock_stop(case=mediation.case, kind=kind, outcome=ClockOutcome.MET)
    with center_language():
        event(mediation, actor=actor, step_name="confirmation_decided", citizen=True,
              note=_("Judicial confirmation: %(decision)s (%(day)s).")
              % {"decision": confirmation.get_decision_display(), "day": f"{confirmation.decided_on:%Y-%m-%d}"})
    return confirmation
