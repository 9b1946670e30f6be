"""领导接访: the calendar of reception days and the duty rota, booking a
petitioner into a slot or by appointment (约访), and recording each reception."""
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.cases.models import Case
from governance.choices import Role
from governance.models import User
from governance.web import posted_id
from petitions import selectors, services
from petitions.forms import BookForm, RecordForm
from petitions.models import Appointment, ReceptionDay
from petitions.services.reception import SlotTaken, appointment_book, appointment_cancel, reception_days_plan
from petitions.services.reception import reception_record as record_reception


@login_required
def calendar(request):
    days, shifts = selectors.reception_calendar()
    days = list(days)
    for day in days:
        day.slots = selectors.free_slots(day)
    rota = {}
    for shift in shifts:
        rota.setdefault(shift.date, []).append(shift)
    leaders = User.objects.filter(role=Role.LEADER, is_active=True).order_by("last_name")
    return render(request, "petitions/reception.html", {
        "days": days, "rota": sorted(rota.items()), "form": BookForm(), "leaders": leaders,
        "can_book": request.user.has_perm("petitions.book_reception"),
        "case": Case.objects.restrict(request.user, "view").filter(pk=posted_id(request.GET.get("case"))).first(),
    })


def _when(value):
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@permission_required("petitions.book_reception", raise_exception=True)
@require_POST
def book(request):
    """A slot of a reception day (``slot`` = day id and time), or an appointment
    with a leader at a chosen time (``leader`` and ``starts``)."""
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("petitions-reception")
    data = form.cleaned_data
    day_id, _sep, starts = request.POST.get("slot", "").partition("|")
    day = ReceptionDay.objects.filter(pk=posted_id(day_id)).select_related("leader").first() if day_id else None
    leader = day.leader if day else User.objects.filter(pk=posted_id(request.POST.get("leader"))).first()
    case = Case.objects.filter(pk=data["case"]).first() if data.get("case") else None
    try:
        appointment = appointment_book(
            actor=request.user, leader=leader, day=day, starts=_when(starts or request.POST.get("starts")),
            minutes=posted_id(request.POST.get("minutes")) or None, name=data["name"], phone=data["phone"],
            topic=data["topic"], case=case)
    except SlotTaken as error:
        messages.error(request, str(error))
    except services.CaseNotFound:
        messages.error(request, _("There is no such matter."))
    except services.CaseChangeForbidden as error:
        return HttpResponseForbidden(str(error))
    except (ValidationError, services.InvalidTransition) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Booked: %(name)s sees %(leader)s on %(when)s.") % {
            "name": appointment.name, "leader": appointment.leader.display_name,
            "when": f"{timezone.localtime(appointment.starts):%Y-%m-%d %H:%M}"})
    return redirect("petitions-reception")


@permission_required("petitions.book_reception", raise_exception=True)
@require_POST
def cancel(request, appointment_id):
    try:
        appointment_cancel(actor=request.user, appointment_id=appointment_id)
    except (ValidationError, services.InvalidTransition) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("petitions-reception")


@permission_required("petitions.book_reception", raise_exception=True)
def record(request, appointment_id):
    """接访记录 of a booked appointment."""
    appointment = get_object_or_404(Appointment.objects.select_related("leader", "case"), pk=appointment_id)
    form = RecordForm(request.POST or None, initial={"attendees": appointment.name})
    if request.method == "POST" and form.is_valid():
        try:
            record_reception(actor=request.user, leader=appointment.leader, appointment=appointment,
                             received_at=min(timezone.now(), appointment.starts + timedelta(minutes=1)),
                             **form.cleaned_data)
        except services.CaseNotFound:
            raise Http404 from None
        except (ValidationError, services.InvalidTransition) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The reception was recorded."))
            if appointment.case_id:
                return redirect("petitions-detail", case_id=appointment.case_id) if hasattr(
                    appointment.case, "petition") else redirect("case-detail", case_id=appointment.case_id)
            return redirect("petitions-reception")
    return render(request, "petitions/record.html", {"appointment": appointment, "form": form},
                  status=400 if request.method == "POST" else 200)


@permission_required("petitions.change_receptionday", raise_exception=True)
@require_POST
def plan(request):
    created = reception_days_plan(months=3)
    messages.success(request, _("%(count)s reception days planned.") % {"count": created})
    return redirect("petitions-reception")
