"""The mediator's desk (usable on a phone), the week views of rooms and people,
the monthly report with its Excel export, and the agreement's print."""
from datetime import timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from governance.models import User
from mediation import reports, selectors, services
from mediation.services.confirmation import application_last_day

VIEW = "mediation.view_mediation"


@login_required
@permission_required(VIEW, raise_exception=True)
def desk(request):
    """我的调解: what awaits the mediator, what is due today, this week's sessions."""
    today = timezone.localdate()
    context = selectors.my_desk(user=request.user, today=today)
    context.update(today=today, rooms=selectors.rooms_in_county(user=request.user)[:50])
    return render(request, "mediation/desk.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def mediation_list(request):
    filterset = selectors.mediation_list(user=request.user, filters=request.GET)
    return render(request, "mediation/list.html", {"filter": filterset, "mediations": filterset.qs[:200]})


def _week_context(request, **what):
    monday = selectors.parse_week(request.GET.get("week"))
    days = selectors.week_sessions(user=request.user, monday=monday, **what)
    return {"days": days, "monday": monday, "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7), "today": timezone.localdate(), **what}


@login_required
@permission_required(VIEW, raise_exception=True)
def room_week(request, room_id):
    room = get_object_or_404(selectors.rooms_in_county(user=request.user), pk=room_id)
    return render(request, "mediation/week.html", _week_context(request, room=room))


@login_required
@permission_required(VIEW, raise_exception=True)
def person_week(request, user_id):
    people = User.objects.filter(is_active=True)
    if not request.user.is_superuser and request.user.organisation_id:
        people = people.filter(organisation__region__path__startswith=request.user.organisation.region.county_path)
    person = get_object_or_404(people, pk=user_id)
    return render(request, "mediation/week.html", _week_context(request, person=person))


@login_required
@permission_required(VIEW, raise_exception=True)
def schedules(request):
    """Choose whose week to see: a room, or a mediator."""
    return render(request, "mediation/schedules.html", {
        "rooms": selectors.rooms_in_county(user=request.user).order_by("center__region__path", "name"),
        "mediators": selectors.mediators_in_county(user=request.user)})


@login_required
@permission_required(VIEW, raise_exception=True)
def report(request):
    month = reports.parse_month(request.GET.get("month"))
    rows = reports.monthly_report(user=request.user, month=month)
    return render(request, "mediation/report.html", {
        "rows": rows, "month": month, "rate": reports.rate_for(month),
        "total": sum((row.subsidy for row in rows), reports.ZERO)})


@login_required
@permission_required(VIEW, raise_exception=True)
def report_xlsx(request):
    month = reports.parse_month(request.GET.get("month"))
    content = reports.export_xlsx(reports.monthly_report(user=request.user, month=month), month)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mediation-report-{month:%Y-%m}.xlsx"'
    return response


@login_required
def agreement_print(request, agreement_id):
    """调解协议书 on A4 with the parties' full ID numbers; written to the access log."""
    try:
        agreement = services.agreement_for_print(agreement_id=agreement_id, actor=request.user,
                                                 address=request.META.get("REMOTE_ADDR"))
    except services.CaseNotFound:
        raise Http404 from None
    except services.CaseChangeForbidden as error:
        return HttpResponseForbidden(str(error))
    mediation = agreement.mediation
    return render(request, "mediation/agreement_print.html", {
        "agreement": agreement, "mediation": mediation, "case": mediation.case,
        "last_day_to_apply": application_last_day(agreement) if agreement.is_signed else None})
