"""Leaders' pages: the backlog (积案), "my owned petitions" (包案), ownership's
plan, milestones and notes, and the first-visit resolution rate."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.web import posted_id
from petitions import clocks, selectors, services
from petitions.forms import OwnershipForm
from petitions.services import ownership as owning

PAGE_SIZE = 25


def _next_deadline(case):
    return next((d for d in clocks.labelled_deadlines(case) if d["state"] in ("running", "paused")), None)


@login_required
def backlog(request):
    """积案: open past an organ's period, or petitioned three or more times."""
    page = Paginator(selectors.backlog(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for petition in page:
        petition.next_deadline = _next_deadline(petition.case)
        petition.missed = [d for d in clocks.labelled_deadlines(petition.case) if d["state"] == "missed"]
    return render(request, "petitions/backlog.html", {"page": page, "visits": selectors.BACKLOG_VISITS})


@permission_required("petitions.own_petition", raise_exception=True)
def owned(request):
    """我包案的信访: the leader's owned petitions, their plans, milestones and notes."""
    ownerships = list(selectors.owned_by(leader=request.user))
    today = timezone.localdate()
    for ownership in ownerships:
        ownership.next_deadline = _next_deadline(ownership.petition.case)
        ownership.late_milestones = [m for m in ownership.milestones.all() if m.done_on is None and m.due_on < today]
    return render(request, "petitions/owned.html", {"ownerships": ownerships, "today": today})


def _parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def stats(request):
    """一次性化解率 over the petitions received in a period (default: this year)."""
    today = timezone.localdate()
    since = _parse_date(request.GET.get("since")) or date(today.year, 1, 1)
    until = _parse_date(request.GET.get("until")) or today
    rate = selectors.first_visit_rate(user=request.user, since=since, until=until)
    return render(request, "petitions/stats.html", {"rate": rate, "since": since, "until": until})


def _write(request, case_id, write, success):
    try:
        write()
    except services.CaseNotFound:
        raise Http404 from None
    except services.CaseChangeForbidden as error:
        return HttpResponseForbidden(str(error))
    except (ValidationError, services.InvalidTransition) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, success)
    return redirect(request.POST.get("next") or "petitions-detail", **(
        {} if request.POST.get("next") else {"case_id": case_id}))


@login_required
@require_POST
def assign(request, case_id):
    form = OwnershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("petitions-detail", case_id=case_id)
    data = form.cleaned_data
    milestones = [(data["milestone"], data["milestone_on"])] if data.get("milestone") else []
    return _write(request, case_id, lambda: owning.ownership_assign(
        case_id=case_id, actor=request.user, leader=data["leader"], plan=data["plan"], target_on=data["target_on"],
        milestones=milestones), _("The leader owns the petition now."))


@login_required
@require_POST
def ownership_post(request, case_id, ownership_id, what):
    post = request.POST
    if what == "note":
        write = lambda: owning.ownership_note(ownership_id=ownership_id, actor=request.user,  # noqa: E731
                                              text=post.get("text", ""))
    elif what == "milestone":
        write = lambda: owning.ownership_add_milestone(  # noqa: E731
            ownership_id=ownership_id, actor=request.user, title=post.get("title", ""),
            due_on=_parse_date(post.get("due_on")))
    elif what == "done":
        write = lambda: owning.ownership_milestone_done(  # noqa: E731
            milestone_id=posted_id(post.get("milestone")), actor=request.user, done_on=timezone.localdate())
    elif what == "end":
        write = lambda: owning.ownership_end(ownership_id=ownership_id, actor=request.user,  # noqa: E731
                                             note=post.get("note", ""))
    else:
        raise Http404
    return _write(request, case_id, write, _("Saved."))

