"""The matter pages: the list, one matter, and its status changes."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.cases import selectors
from governance.cases import services as case_services
from governance.cases.models import Case
from governance.cases.pagination import InvalidCursor, count_cap, keyset_page
from governance.extensions import clock_handler, rendered_case_panels
from governance.people import roles
from governance.privacy import services as privacy_services
from governance.supervision.moves import centers_above
from governance.web import write_then_redirect

PAGE_SIZE = 25


@login_required
def case_list(request):
    """Newest first, in keyset pages with a capped count (see cases.pagination)."""
    filterset = selectors.case_list(user=request.user, filters=request.GET)
    try:
        page = keyset_page(filterset.qs, cursor=request.GET.get("cursor"), size=PAGE_SIZE,
                           cap=count_cap(request.GET))
    except InvalidCursor:  # a mangled or outdated link: start from the newest
        page = keyset_page(filterset.qs, cursor=None, size=PAGE_SIZE, cap=count_cap(request.GET))
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "drill": drill_filters(filterset)}
    template = "governance/_case_table.html" if request.htmx else "governance/case_list.html"
    return render(request, template, context)



@login_required
def case_detail(request, case_id):
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    can_change = Case.objects.restrict(request.user, roles.CHANGE_STATUS).filter(pk=case.pk).exists()
    # Flagging and moving apply to every matter the person sees: their role decides.
    context = {
        "case": case,
        "events": selectors.case_timeline(case=case),
        "actions": case_services.available_status_actions(case) if can_change else [],
        "can_change": can_change,
        "can_flag_risk": case.is_open and case.risk_flagged_at is None
        and request.user.has_perm(roles.FLAG_RISK.permission),
        "move_targets": [
            center for center in centers_above(case) if center.pk != case.holder_id
        ] if case.is_open and request.user.has_perm(roles.MOVE.permission) else [],
    }
    context["can_reveal"] = privacy_services.may_reveal(request.user, case)
    context["panels"] = rendered_case_panels(request, case, can_change=can_change)
    context["clocks"] = case_clocks(case)
    return render(request, "governance/case_detail.html", context)



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


def case_clocks(case):
    """The matter's clocks for its page, running ones first, each with its kind's label."""
    clocks = sorted(case.clocks.all(), key=lambda clock: (clock.stopped_at is not None, clock.due_at))
    for clock in clocks:
        handler = clock_handler(clock.kind)
        clock.label = handler.label if handler else clock.kind
    return clocks


def drill_filters(filterset):
    """The dashboard's drill-down filters in the query, as (name, value, label, value shown):
    kept as hidden fields and shown as chips, not as form fields."""
    chips = []
    for name in filterset.DRILL_FIELDS:
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", ()))
        for value in filterset.data.getlist(name) if hasattr(filterset.data, "getlist") else []:
            if value:
                chips.append((name, value, field.label, choices.get(value, value)))
    return chips
