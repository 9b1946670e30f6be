"""The leaders' pages: the supervision list (督办), moving a matter between tiers,
and flagging a risk of extreme action."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.organisations.models import Organisation
from governance.supervision import services as supervision
from governance.supervision.moves import case_move
from governance.supervision.signals import case_flag_risk as flag_risk
from governance.web import posted_id, write_then_redirect

PAGE_SIZE = 25


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
    context = {"page": page, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
               "by_holder": supervision.supervision_by_holder(user=request.user), "now": timezone.now()}
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
