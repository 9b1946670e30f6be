"""Pages: thin views over the selectors and services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from governance import dashboard, selectors, supervision
from governance.models import Case
from governance.models import Organisation
from governance.services import cases as case_services
from governance.services.moves import case_move, centers_above
from governance.services.signals import case_flag_risk as flag_risk

PAGE_SIZE = 25


@login_required
def home(request):
    return render(request, "governance/home.html", {"summary": dashboard.home_summary(user=request.user)})


@login_required
def case_list(request):
    filterset = selectors.case_list(user=request.user, filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    template = "governance/_case_table.html" if request.htmx else "governance/case_list.html"
    return render(request, template, context)


@login_required
def case_detail(request, case_id):
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    can_change = Case.objects.restrict(request.user, "change").filter(pk=case.pk).exists()
    context = {
        "case": case,
        "events": selectors.case_timeline(case=case),
        "actions": case_services.available_status_actions(case) if can_change else [],
        "can_change": can_change,
        "can_flag_risk": case.is_open and case.risk_flagged_at is None
        and (can_change or request.user.has_perm("governance.supervise_case")),
        "move_targets": [
            center for center in centers_above(case) if center.pk != case.holder_id
        ] if case.is_open and request.user.has_perm("governance.supervise_case") else [],
    }
    return render(request, "governance/case_detail.html", context)


def posted_id(value) -> int:
    """A posted id, or 0 (matches nothing) for anything that is not a number."""
    return int(value) if str(value or "").isdigit() else 0


def write_then_redirect(request, write, *, success, to):
    """Run a write service for a page: 404 outside the scope, 403 when seen but not
    the person's to change, a refusal's reason as a message; then go to ``to``."""
    try:
        write()
    except case_services.CaseNotFound:
        raise Http404 from None
    except case_services.CaseChangeForbidden as error:
        return HttpResponseForbidden(str(error))
    except case_services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return to


@login_required
@require_POST
def case_change_status(request, case_id):
    return write_then_redirect(
        request,
        lambda: case_services.case_change_status(
            case_id=case_id, actor=request.user, action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        ),
        success=_("The matter was updated."),
        to=redirect("case-detail", case_id=case_id),
    )


@login_required
@require_POST
def case_move_view(request, case_id):
    target = Organisation.objects.filter(pk=posted_id(request.POST.get("to")), kind="center").first()
    if target is None:
        messages.error(request, _("Choose the center to move the matter to."))
        return redirect("case-detail", case_id=case_id)
    return write_then_redirect(
        request,
        lambda: case_move(case_id=case_id, actor=request.user, to=target, reason=request.POST.get("reason", "")),
        success=_("The matter was moved to %(center)s.") % {"center": target.name},
        to=redirect("case-detail", case_id=case_id),
    )


@login_required
@require_POST
def case_flag_risk(request, case_id):
    def flag():
        case = flag_risk(case_id=case_id, actor=request.user, note=request.POST.get("note", ""))
        if case.events.filter(type="escalated", data__signal="extreme_risk").exists():
            messages.warning(request, _("As the signal rules say, the matter went at once to %(holder)s.")
                             % {"holder": case.holder.name})

    return write_then_redirect(request, flag, success=_("The risk was flagged."),
                               to=redirect("case-detail", case_id=case_id))


@permission_required("governance.supervise_case", raise_exception=True)
def supervision_list(request):
    page = Paginator(supervision.supervision_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "by_holder": supervision.supervision_by_holder(user=request.user), "now": timezone.now()}
    return render(request, "governance/supervision.html", context)


@login_required
@require_POST
def case_supervise(request, case_id):
    return write_then_redirect(
        request,
        lambda: supervision.case_supervise(
            case_id=case_id, actor=request.user, instruction=request.POST.get("instruction")
        ),
        success=_("Supervision recorded."),
        to=redirect("supervision"),
    )


@never_cache
def healthz(request):
    """For load balancers and docker health checks: database and Redis answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", 1, 10)
    return JsonResponse({"database": "ok", "redis": "ok" if cache.get("healthz") == 1 else "error"})
