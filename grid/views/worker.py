"""The phone pages: the grid desk, reporting with photos and location, adding
photos after a failed upload, and the patrol log."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.files import private_file_response
from governance.web import posted_id
from grid import selectors
from grid.forms import PatrolEndForm, ReportForm, parse_day
from grid.models import GridPhoto, Patrol
from grid.photos import photo_max_bytes, photo_max_count
from grid.services import patrols as patrol_services
from grid.services import reporting
from grid.views.common import Refused, forbidden, run

TEXT_FIRST = "text"  # the report page's script: the words first, then the photos
PHOTOS = "photos"


@permission_required("grid.view_gridevent", raise_exception=True)
def home(request):
    """网格工作台: what waits on the person, and the worker's big buttons."""
    user = request.user
    context = {"queues": selectors.desk_queues(user=user)}
    if user.has_perm("grid.add_patrol"):
        context["patrol"] = Patrol.objects.filter(worker=user, ended_at__isnull=True).first()
        context["grids"] = selectors.current_grids(worker=user)
    return render(request, "grid/home.html", context)


def _photo_limits():
    return {"photo_max_mb": round(photo_max_bytes() / 1024 / 1024, 1), "photo_max_count": photo_max_count()}


@permission_required("grid.report_gridevent", raise_exception=True)
def report(request):
    """上报 from a phone. With the page's script the words are saved first and the
    photos sent after (a failed upload keeps the report); without it, one form."""
    if request.method != "POST":
        return render(request, "grid/report.html", {"form": ReportForm(user=request.user), **_photo_limits()})
    form = ReportForm(request.POST, user=request.user)
    text_first = request.headers.get("X-Grid-Report") == TEXT_FIRST
    event, errors = None, {}
    if form.is_valid():
        data = form.cleaned_data
        try:
            event, errors = run(lambda: reporting.event_report(
                actor=request.user, event_type=data["event_type"], place=data["place"],
                description=data["description"], address=data["address"], latitude=data["latitude"],
                longitude=data["longitude"]))
        except Refused as error:
            return forbidden(error)
        for field, texts in (errors or {}).items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    if event is None:
        if text_first:
            return JsonResponse({"errors": {field: [e["message"] for e in errs]
                                            for field, errs in form.errors.get_json_data().items()}}, status=400)
        if request.FILES:
            messages.info(request, _("For safety the browser does not keep chosen files: please choose them again."))
        return render(request, "grid/report.html", {"form": form, **_photo_limits()}, status=400)
    photos_url = reverse("grid-event-photos", args=[event.pk])
    if text_first:
        return JsonResponse({"id": event.pk, "number": event.case.number, "photos_url": photos_url,
                             "detail_url": reverse("grid-event", args=[event.pk]) + "?reported=1"}, status=201)
    uploads = request.FILES.getlist("photos")
    if uploads:
        _added, errors = run(lambda: reporting.event_add_photos(event_id=event.pk, actor=request.user,
                                                                photos=uploads))
        if errors:
            messages.error(request, _photos_failed(event, errors))
            return redirect(photos_url)
    messages.success(request, _("Reported as %(number)s.") % {"number": event.case.number})
    return redirect("grid-event", event_id=event.pk)


def _photos_failed(event, errors):
    reason = " ".join(text for texts in errors.values() for text in texts)
    return _("The event is reported as %(number)s, but the photos were not saved: %(reason)s "
             "Choose them again below; nothing else needs typing.") % {"number": event.case.number,
                                                                        "reason": reason}


@login_required
def event_photos(request, event_id):
    """Add the report's photos again (after a failed upload): the report is kept."""
    try:
        event = selectors.event_get(user=request.user, event_id=event_id)
    except selectors.GridEvent.DoesNotExist:
        raise Http404 from None
    status = 200
    if request.method == "POST":
        uploads = request.FILES.getlist("photos")
        try:
            added, errors = run(lambda: reporting.event_add_photos(event_id=event.pk, actor=request.user,
                                                                   photos=uploads))
        except Refused as error:
            return forbidden(error)
        if request.headers.get("X-Grid-Report") == PHOTOS:
            if errors:
                messages.error(request, _photos_failed(event, errors))
                return JsonResponse({"errors": errors}, status=400)
            messages.success(request, _("Reported as %(number)s, with %(count)s photo(s).")
                             % {"number": event.case.number, "count": added})
            return JsonResponse({"added": added})
        if not errors:
            messages.success(request, _("%(count)s photo(s) added.") % {"count": added})
            return redirect("grid-event", event_id=event.pk)
        messages.error(request, " ".join(text for texts in errors.values() for text in texts))
        status = 400
    return render(request, "grid/photos.html", {
        "event": event, "network_failed": request.GET.get("failed") == "network", **_photo_limits()},
        status=status)


@login_required
def photo(request, photo_id):
    """A photo, for whoever sees its event (never a public URL)."""
    found = GridPhoto.objects.filter(pk=photo_id).first()
    if found is None or not selectors.GridEvent.objects.visible_to(request.user).filter(pk=found.event_id).exists():
        raise Http404
    return private_file_response(found.file, content_type=found.content_type)


@permission_required("grid.view_patrol", raise_exception=True)
def patrols(request):
    """巡查日志: a worker starts a patrol and ends it with the route and findings;
    centers and leaders count a day's patrols per worker."""
    user = request.user
    if not user.has_perm("grid.add_patrol"):
        day = parse_day(request.GET.get("day")) or timezone.localdate()
        root = selectors.scope_root(user)
        return render(request, "grid/patrol_summary.html", {
            "day": day, "rows": selectors.patrol_summary(root=root, day=day) if root else []})
    form = PatrolEndForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            chosen = posted_id(request.POST.get("grid"))
            grid = next((g for g in selectors.current_grids(worker=user) if g.pk == chosen), None)
            _patrol, errors = run(lambda: patrol_services.patrol_start(actor=user, grid=grid))
            success = _("Patrol started. Safe going!")
        else:
            form = PatrolEndForm(request.POST)
            form.is_valid()
            data = getattr(form, "cleaned_data", {})
            _patrol, errors = run(lambda: patrol_services.patrol_end(actor=user, route=data.get("route", ""),
                                                                     findings=data.get("findings", "")))
            success = _("Patrol logged.")
        if not errors:
            messages.success(request, success)
            return redirect("grid-patrols")
        for texts in errors.values():
            for text in texts:
                messages.error(request, text)
        status = 400
    today = timezone.localdate()
    mine = Patrol.objects.filter(worker=user).select_related("grid")
    return render(request, "grid/patrols.html", {
        "form": form, "under_way": mine.filter(ended_at__isnull=True).first(),
        "today": [p for p in mine.filter(started_at__date=today)],
        "recent": list(mine.exclude(started_at__date=today)[:20]),
        "grids": selectors.current_grids(worker=user),
    }, status=status)


