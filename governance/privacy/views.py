"""The reveal page: a matter's parties with full numbers, shown once, for a stated purpose."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from governance.cases import selectors
from governance.cases.models import Case
from governance.cases.services import CaseChangeForbidden, CaseNotFound
from governance.privacy import services


@never_cache
@login_required
@require_POST
def case_reveal(request, case_id):
    """POST only, answered with the page itself (no redirect, not cached): the full
    numbers exist on this one response, and the log line was written before it."""
    try:
        case = selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    try:
        rows = services.personal_data_reveal(
            case_id=case.pk, actor=request.user, purpose=request.POST.get("purpose", ""),
            fields=request.POST.getlist("fields"), address=services.client_address(request))
    except CaseNotFound:
        raise Http404 from None
    except CaseChangeForbidden as error:
        raise PermissionDenied(str(error)) from None
    except ValidationError as error:
        from django.contrib import messages

        for message in error.messages:
            messages.error(request, message)
        return redirect("case-detail", case_id=case.pk)
    return render(request, "governance/reveal.html", {"case": case, "rows": rows,
                                                        "purpose": request.POST.get("purpose", "")})


@login_required
@require_http_methods(["GET", "POST"])
def case_export(request):
    """The case list (its filters in the query) to Excel. GET: numbers masked. POST
    with a purpose: full numbers for the matters the person may reveal, each logged."""
    from django.http import HttpResponse
    from django.utils import timezone

    from governance.privacy.exports import export_cases

    filterset = selectors.case_list(user=request.user, filters=request.GET)
    full = request.method == "POST"
    try:
        content = export_cases(cases=filterset.qs, actor=request.user, full=full,
                               purpose=request.POST.get("purpose", ""), address=services.client_address(request))
    except ValidationError as error:
        from django.contrib import messages

        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('case-list')}?{request.GET.urlencode()}")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="matters-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
