"""The steps of a mediation's page: for each, its form and the service it calls.
One table, so the page, the step view and the tests agree on the names."""
from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _

from mediation import forms, services
from mediation.choices import Outcome, Performance
from mediation.selectors import rooms_for


@dataclass(frozen=True)
class Step:
    form: type
    call: Callable  # (request, mediation, data, form) -> anything
    success: str
    section: str  # where on the page: actions, sessions, agreement, confirmation
    title: str
    button: str
    style: str = "primary"
    initial: Callable | None = None  # (mediation, agreement) -> dict

    def make_form(self, name, *, mediation, agreement, data=None):
        kwargs = {"prefix": name}
        if self.form is forms.SessionForm:
            kwargs.update(mediation=mediation, rooms=rooms_for(mediation.case))
        if data is None and self.initial is not None:
            kwargs["initial"] = self.initial(mediation, agreement)
        return self.form(data, **kwargs) if data is not None else self.form(**kwargs)


def _draft(mediation, agreement):
    if agreement is None:
        return {}
    return {"facts": agreement.facts, "terms": agreement.terms, "performance_deadline": agreement.performance_deadline}


def _performance(mediation, agreement):
    return {"performance": Performance.FULLY if mediation.outcome == Outcome.SUCCESS else Performance.NOT_APPLICABLE}


def _book(request, mediation, data, form):
    starts_at, ends_at = form.moments()
    return services.session_book(
        mediation_id=mediation.pk, actor=request.user, starts_at=starts_at, ends_at=ends_at, room=data["room"],
        on_site_address=data["on_site_address"], participants=list(data["participants"]),
        parties=list(data["parties"]))


def _mediation_id(function, **names):
    """A step that passes the form's fields (renamed by ``names``) to ``function``."""
    def call(request, mediation, data, form):
        arguments = {names.get(key, key): value for key, value in data.items()}
        return function(mediation_id=mediation.pk, actor=request.user, **arguments)
    return call


def _step(form, call, success, section, title, button, style="primary", initial=None):
    return Step(form, call, success, section, title, button, style, initial)


STEPS = {
    "accept": _step(forms.OptionalNoteForm, _mediation_id(services.mediation_accept),
                    _("You accepted the mediation."), "actions", _("Accept to lead"), _("Accept the mediation")),
    "decline": _step(forms.ReasonForm, _mediation_id(services.mediation_decline), _("You declined the mediation."),
                     "actions", _("Decline"), _("Decline"), "outline-danger"),
    "book": _step(forms.SessionForm, _book, _("The session was booked."), "sessions", _("Book a session"),
                  _("Book")),
    "succeed": _step(forms.SuccessForm, _mediation_id(services.mediation_succeed),
                     _("Settled: the agreement was drawn. Print it for the parties to sign."), "agreement",
                     _("Settled: draw the agreement"), _("Record success"), "success"),
    "fail": _step(forms.FailureForm, _mediation_id(services.mediation_fail), _("The outcome was recorded."),
                  "actions", _("Not settled"), _("Record failure"), "outline-danger"),
    "terminate": _step(forms.ReasonForm, _mediation_id(services.mediation_terminate),
                       _("The mediation was terminated."), "actions", _("Terminate the mediation"), _("Terminate"),
                       "outline-danger"),
    "extend": _step(forms.NoteForm, _mediation_id(services.mediation_extend), _("The mediation limit was extended."),
                    "actions", _("Extend the limit once (parties agree)"), _("Extend")),
    "agreement-edit": _step(forms.AgreementForm, _mediation_id(services.agreement_update_draft),
                            _("The draft agreement was saved."), "agreement", _("Edit the draft"), _("Save the draft"),
                            "outline-primary", _draft),
    "agreement-sign": _step(forms.SignForm, _mediation_id(services.agreement_sign),
                            _("The signature was recorded; the agreement is in effect."), "agreement",
                            _("The parties signed"), _("Record the signature")),
    "agreement-supersede": _step(forms.SupersedeForm, _mediation_id(services.agreement_supersede),
                                 _("A new version was drawn; print it and record its signature."), "agreement",
                                 _("Supersede with a new version"), _("Draw a new version"), "outline-primary",
                                 _draft),
    "confirmation-apply": _step(forms.ApplyForm, _mediation_id(services.confirmation_apply),
                                _("The application was recorded."), "confirmation",
                                _("The parties applied to the court"), _("Record the application")),
    "confirmation-accept": _step(forms.CourtAcceptForm, _mediation_id(services.confirmation_accept),
                                 _("The court's acceptance was recorded."), "confirmation",
                                 _("The court accepted the application"), _("Record")),
    "confirmation-extend": _step(forms.NoteForm, _mediation_id(services.confirmation_extend),
                                 _("The court's extension was recorded."), "confirmation",
                                 _("The court extended its period (+10 days)"), _("Record"), "outline-primary"),
    "confirmation-decide": _step(forms.DecideForm, _mediation_id(services.confirmation_decide),
                                 _("The court's decision was recorded."), "confirmation", _("The court decided"),
                                 _("Record the decision"), "outline-primary"),
    "referral-outcome": _step(forms.ReferralOutcomeForm, _mediation_id(services.referral_record_outcome),
                              _("The court station's answer was recorded."), "actions",
                              _("What the court station did"), _("Record")),
    "follow-up": _step(forms.FollowUpForm, _mediation_id(services.mediation_follow_up),
                       _("The follow-up was recorded."), "actions", _("Follow-up visit"), _("Record the follow-up"),
                       initial=_performance),
    "reopen": _step(forms.NoteForm, _mediation_id(services.mediation_reopen),
                    _("The mediation was reopened with a fresh limit."), "actions", _("Mediate again"),
                    _("Reopen the mediation"),
                    "outline-danger"),
    "close": _step(forms.OptionalNoteForm, _mediation_id(services.mediation_close), _("The mediation was closed."),
                   "actions", _("Close the mediation"), _("Close it now"), "outline-secondary"),
}


def session_step(request, session, name):
    """(form key, bound form, call, success message) for a session's minutes or cancelling."""
    if name == "minutes":
        key = f"minutes-{session.pk}"
        form = forms.MinutesForm(request.POST, prefix=key)
        return key, form, lambda data: services.minutes_record(
            session_id=session.pk, actor=request.user, **data), _("The minutes were recorded.")
    key = f"cancel-{session.pk}"
    form = forms.ReasonForm(request.POST, prefix=key)
    return key, form, lambda data: services.session_cancel(
        session_id=session.pk, actor=request.user, reason=data["reason"]), _("The session was cancelled.")
