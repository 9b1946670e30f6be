"""The petition pages: the list, one petition with its deadlines, documents and
the steps its holder may take now, the steps themselves, and the printed notices."""
from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.cases.models import Case
from governance.cases.selectors import case_timeline
from governance.people.roles import CHANGE_STATUS
from governance.privacy import services as privacy_services
from governance.privacy.models import AccessAction
from governance.timers.services import running_clock
from petitions import clocks, forms, selectors, services
from petitions.choices import Step
from petitions.models import Petition, PetitionDocument
from petitions.services.common import FORWARD, HANDLE, OWN, is_petition_office
from petitions.services.reviews import replying_organisation
from petitions.views.desk import add_errors, county_of

PAGE_SIZE = 25
S = Step


def _paused(petition):
    clock = running_clock(case=petition.case, kind=clocks.RE_REVIEW)
    return clock is not None and clock.paused_at is not None


@dataclass(frozen=True)
class Action:
    """One step on the page: its form, its service, who may take it and when."""

    name: str
    label: str
    form: type
    service: Callable
    permission: str
    steps: tuple
    holds: bool = True  # the person's organisation must hold the matter
    applies: Callable = lambda petition: True
    style: str = "primary"


ACTIONS = {a.name: a for a in [
    Action("forward", gettext_lazy("Forward"), forms.ForwardForm, services.petition_forward, FORWARD,
           (S.REGISTERED,), applies=lambda p: is_petition_office(p.case.holder_id)),
    Action("accept", gettext_lazy("Accept"), forms.ServedForm, services.petition_accept, HANDLE,
           (S.REGISTERED, S.FORWARDED)),
    Action("reply", gettext_lazy("Reply"), forms.OpinionForm, services.petition_reply, HANDLE, (S.ACCEPTED,)),
    Action("extend", gettext_lazy("Extend the reply"), forms.ExtendForm, services.petition_extend, HANDLE,
           (S.ACCEPTED,), applies=lambda p: p.extension_days is None, style="secondary"),
    Action("request-review", gettext_lazy("Register a review request"), forms.RequestForm,
           services.petition_request_review, HANDLE, (S.REPLIED, S.CONCLUDED), holds=False,
           applies=lambda p: p.reviewed_on is None),
    Action("decide-review", gettext_lazy("Decide the review"), forms.OpinionForm, services.petition_decide_review,
           HANDLE, (S.REVIEW_REQUESTED,)),
    Action("request-re-review", gettext_lazy("Register a re-review request"), forms.RequestForm,
           services.petition_request_re_review, HANDLE, (S.REVIEWED, S.CONCLUDED), holds=False,
           applies=lambda p: p.reviewed_on is not None and p.re_review_requested_on is None),
    Action("pause", gettext_lazy("A hearing begins (pause)"), forms.PauseForm, services.petition_pause, HANDLE,
           (S.RE_REVIEW_REQUESTED,), applies=lambda p: not _paused(p), style="secondary"),
    Action("resume", gettext_lazy("The hearing ended (resume)"), forms.PauseForm, services.petition_resume, HANDLE,
           (S.RE_REVIEW_REQUESTED,), applies=_paused),
    Action("decide-re-review", gettext_lazy("Decide the re-review"), forms.OpinionForm,
           services.petition_decide_re_review, HANDLE, (S.RE_REVIEW_REQUESTED,)),
    Action("send-back", gettext_lazy("Send back as wrongly routed"), forms.SendBackForm, services.petition_send_back,
           HANDLE, (S.FORWARDED,), style="secondary"),
    Action("not-accept", gettext_lazy("Not accept"), forms.NotAcceptForm, services.petition_not_accept, HANDLE,
           (S.REGISTERED, S.FORWARDED), style="danger"),
]}


def _form(action, petition, data=None):
    kwargs = {"case": petition.case} if action.form is forms.ForwardForm else {}
    return action.form(data, prefix=action.name, **kwargs)


def available(request, petition) -> list[Action]:
    holds = Case.objects.restrict(request.user, CHANGE_STATUS).filter(pk=petition.pk).exists()
    shown = [a for a in ACTIONS.values() if petition.step in a.steps and request.user.has_perm(a.permission)
             and (holds or not a.holds) and a.applies(petition)]
    if request.user.organisation_id and request.user.organisation_id == replying_organisation(petition):
        shown = [a for a in shown if a.name != "request-review"]  # the organ that replied does not review itself
    return shown


@login_required
def home(request):
    """信访工作台: the petitions the person sees, by step, with the next deadline."""
    step = request.GET.get("status", "")
    step = step if step in Step.values else ""
    petitions = selectors.petition_list(user=request.user, step=step, q=request.GET.get("q", ""))
    page = Paginator(petitions, PAGE_SIZE).get_page(request.GET.get("page"))
    for petition in page:
        petition.next_deadline = next((d for d in clocks.labelled_deadlines(petition.case)
                                       if d["state"] in ("running", "paused")), None)
    return render(request, "petitions/home.html", {"page": page, "steps": Step.choices, "status": step,
                                                   "q": request.GET.get("q", "")})


def _detail(request, petition, *, failed=None, status=200):
    forms_shown = []
    for action in available(request, petition):
        form = failed[1] if failed and failed[0] == action.name else _form(action, petition)
        forms_shown.append((action, form))
    documents = list(petition.documents.all())
    for document in documents:
        if document.served_on is None:
            document.serve_form = forms.ServeForm(prefix=f"serve-{document.pk}")
    ownership = petition.ownerships.filter(ended_at__isnull=True).select_related("leader").prefetch_related(
        "milestones", "notes__author").first()
    context = {
        "petition": petition, "case": petition.case, "deadlines": clocks.labelled_deadlines(petition.case),
        "actions": forms_shown, "failed": failed[0] if failed else "", "documents": documents,
        "events": case_timeline(case=petition.case), "ownership": ownership,
        "ownership_form": forms.OwnershipForm(county=petition.case.region.county_path)
        if ownership is None and request.user.has_perm(OWN) else None,
        "later": Petition.objects.filter(original=petition.case).select_related("case"),
        "appointments": petition.case.reception_appointments.select_related("leader").order_by("-period")[:5],
    }
    return render(request, "petitions/detail.html", context, status=status)


def _petition(request, case_id):
    try:
        return selectors.petition_get(user=request.user, case_id=case_id)
    except Petition.DoesNotExist:
        raise Http404 from None


@login_required
def detail(request, case_id):
    return _detail(request, _petition(request, case_id))


@login_required
@require_POST
def act(request, case_id, action):
    """Take one step. Bad input comes back on the page with everything typed kept."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    petition = _petition(request, case_id)
    form = _form(spec, petition, request.POST)
    if form.is_valid():
        try:
            spec.service(case_id=case_id, actor=request.user, **form.cleaned_data)
        except services.CaseNotFound:
            raise Http404 from None
        except services.CaseChangeForbidden as error:
            return HttpResponseForbidden(str(error))
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("petitions-detail", case_id=case_id)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(step)s: done.") % {"step": spec.label})
            try:
                return redirect("petitions-detail", case_id=selectors.petition_get(user=request.user,
                                                                                   case_id=case_id).pk)
            except Petition.DoesNotExist:  # it left the person's view with the step (forwarded elsewhere)
                return redirect("petitions-home")
    return _detail(request, petition, failed=(spec.name, form), status=400)


@login_required
def document(request, document_id):
    """A notice printed on A4 in the official layout (the only place ID numbers and
    phones show whole)."""
    found = PetitionDocument.objects.select_related("petition__case", "organisation", "replaces").filter(
        pk=document_id).first()
    if found is None or not Case.objects.restrict(request.user, "view").filter(pk=found.petition_id).exists():
        raise Http404
    petitioners = list(found.petition.petitioners.select_related("party"))
    # Whole numbers only for those who may reveal them (the holder's staff), each
    # print in the access log; anyone else who sees the matter gets them masked.
    full = privacy_services.may_reveal(request.user, found.petition.case)
    if full:
        privacy_services.record_print(
            actor=request.user, action=AccessAction.PRINT_NOTICE, case_id=found.petition_id,
            purpose=_("Printing %(title)s %(number)s") % {"title": found.title, "number": found.number},
            parties=[p.party for p in petitioners], object_type="petitions.petitiondocument", object_id=found.pk,
            address=privacy_services.client_address(request))
    return render(request, "petitions/document_print.html", {
        "document": found, "petition": found.petition, "petitioners": petitioners, "full": full,
        "paragraphs": [line for line in found.body.splitlines() if line.strip()],
    })


@login_required
@require_POST
def serve(request, case_id, document_id):
    form = forms.ServeForm(request.POST, prefix=f"serve-{document_id}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("petitions-detail", case_id=case_id)
    try:
        services.document_serve(case_id=case_id, document_id=document_id, actor=request.user, **form.cleaned_data)
    except services.CaseNotFound:
        raise Http404 from None
    except services.CaseChangeForbidden as error:
        return HttpResponseForbidden(str(error))
    except (ValidationError, services.InvalidTransition) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The service was recorded."))
    return redirect("petitions-detail", case_id=case_id)
