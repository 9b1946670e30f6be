"""A mediation's pages: open one on a matter, its page with the steps offered
now, and the steps' forms. Thin: forms check the shape, services decide; a
refused step comes back on the page with what was typed and the reason."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.cases import selectors as case_selectors
from governance.models import Case
from mediation import forms, selectors, services
from mediation.models import JudicialConfirmation, Mediation, Session
from mediation.offers import offered
from mediation.services.confirmation import application_last_day
from mediation.suggest import suggest_leads
from mediation.views.steps import STEPS, session_step

CONFLICT, BAD_REQUEST = 409, 400
# Shown open: the step the person most likely came for.
PRIMARY = {"accept", "book", "follow-up", "agreement-sign", "confirmation-apply"}


def _get_case(request, case_id):
    try:
        return case_selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None


def _get_mediation(request, mediation_id):
    try:
        return selectors.mediation_get(user=request.user, mediation_id=mediation_id)
    except Mediation.DoesNotExist:
        raise Http404 from None


def put_errors(form, error):
    """A service's refusal on the form: beside its field when the form has one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, getattr(error, "messages", None) or str(error))


@login_required
@permission_required("mediation.add_mediation", raise_exception=True)
def open_mediation(request, case_id):
    """Open a mediation on a matter, with the suggested lead and the reason shown."""
    case = _get_case(request, case_id)
    suggestions = suggest_leads(case=case)
    form = forms.OpenForm(request.POST or None, case=case, initial={
        "lead": suggestions[0].profile.user_id if suggestions else None,
        "suggestion": suggestions[0].reason if suggestions else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            suggested = next((s for s in suggestions if s.profile.user_id == data["lead"].pk), None)
            try:
                mediation = services.mediation_open(
                    case_id=case.pk, actor=request.user, lead=data["lead"], body=data["body"],
                    members=data["members"], joint=form.joint(), is_joint=data["is_joint"],
                    suggestion=suggested.reason if suggested else "", note=data["note"])
            except services.CaseNotFound:
                raise Http404 from None
            except services.CaseChangeForbidden as error:
                return HttpResponseForbidden(str(error))
            except (services.InvalidTransition, ValidationError) as error:
                put_errors(form, error)
                status = CONFLICT if isinstance(error, services.InvalidTransition) else BAD_REQUEST
            else:
                messages.success(request, _("The mediation was opened; %(lead)s is asked to accept it.")
                                 % {"lead": mediation.lead})
                return redirect("mediation-detail", mediation_id=mediation.pk)
        else:
            status = BAD_REQUEST
    return render(request, "mediation/open.html", {"case": case, "form": form, "suggestions": suggestions},
                  status=status)


def detail_context(request, mediation, *, bound=None, section=""):
    """The page's context; ``bound`` replaces one step's empty form with the posted one."""
    sessions = list(selectors.sessions_of(mediation))
    agreement = services.current_agreement(mediation)
    confirmation = JudicialConfirmation.objects.filter(agreement=agreement).first() if agreement else None
    names = offered(mediation, request.user, agreement=agreement, confirmation=confirmation, sessions=sessions)
    step_forms = {name: spec.make_form(name, mediation=mediation, agreement=agreement)
                  for name, spec in STEPS.items() if name in names}
    for session in sessions:
        if f"minutes:{session.pk}" in names:
            session.minutes_form = forms.MinutesForm(prefix=f"minutes-{session.pk}", initial={
                "attendees": "、".join([*(p.name for p in session.parties.all()),
                                       *(str(u) for u in session.staff.all())])})
        if f"cancel:{session.pk}" in names:
            session.cancel_form = forms.ReasonForm(prefix=f"cancel-{session.pk}")
    if bound:
        key, form = bound
        if key in step_forms:
            step_forms[key] = form
        for session in sessions:
            if key == f"minutes-{session.pk}" and hasattr(session, "minutes_form"):
                session.minutes_form = form
            if key == f"cancel-{session.pk}" and hasattr(session, "cancel_form"):
                session.cancel_form = form
    steps = [{"name": name, "spec": spec, "form": step_forms[name],
              "open": (bound is not None and bound[0] == name) or name in PRIMARY}
             for name, spec in STEPS.items() if name in step_forms]
    return {
        "steps": steps, "mediation": mediation, "case": mediation.case, "sessions": sessions, "agreement": agreement,
        "agreements": list(mediation.agreements.all()), "confirmation": confirmation,
        "last_day_to_apply": application_last_day(agreement) if agreement and agreement.is_signed else None,
        "clocks": list(selectors.mediation_clocks(mediation)), "offered": names, "forms": step_forms,
        "section": section, "members": list(mediation.members.all()),
        "follow_ups": list(mediation.follow_ups.all()), "referrals": list(mediation.referrals.all()),
    }


@login_required
def mediation_detail(request, mediation_id):
    mediation = _get_mediation(request, mediation_id)
    return render(request, "mediation/detail.html", detail_context(request, mediation))


def _run(request, mediation_id, key, form, call, success, *, section):
    """Run a step's service; on a refusal, the page again with the typed form and the reason."""
    status = BAD_REQUEST
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.CaseNotFound:
            raise Http404 from None
        except services.CaseChangeForbidden as error:
            return HttpResponseForbidden(str(error))
        except (services.InvalidTransition, ValidationError) as error:
            put_errors(form, error)
            status = CONFLICT if isinstance(error, services.InvalidTransition) else BAD_REQUEST
        else:
            messages.success(request, success)
            if not selectors.visible_mediations(user=request.user).filter(pk=mediation_id).exists():
                return redirect("mediation-desk")  # it left the person's view (a lead from elsewhere declined)
            return redirect(f"{reverse('mediation-detail', args=[mediation_id])}#{section}")
    mediation = _get_mediation(request, mediation_id)
    # A refusal of the step itself (409) reads at the top too: the step may no longer be offered.
    messages.error(request, " ".join(form.non_field_errors()) if status == CONFLICT
                   else _("Not saved: see the form below."))
    context = detail_context(request, mediation, bound=(key, form), section=section)
    return render(request, "mediation/detail.html", context, status=status)


@login_required
@require_POST
def mediation_step(request, mediation_id, name):
    spec = STEPS.get(name)
    if spec is None:
        raise Http404
    mediation = _get_mediation(request, mediation_id)
    agreement = services.current_agreement(mediation)
    form = spec.make_form(name, mediation=mediation, agreement=agreement, data=request.POST)
    return _run(request, mediation.pk, name, form,
                lambda data: spec.call(request=request, mediation=mediation, data=data, form=form),
                spec.success, section=spec.section)


@login_required
@require_POST
def session_action(request, session_id, name):
    """Minutes of a session, or cancelling it."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None or name not in ("minutes", "cancel"):
        raise Http404
    mediation = _get_mediation(request, session.mediation_id)
    key, form, call, success = session_step(request, session, name)
    return _run(request, mediation.pk, key, form, call, success, section="sessions")

