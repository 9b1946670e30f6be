"""Pages: the home page (what each person has to do today) and the leaders'
dashboard with its Excel export."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.dashboards import home as dashboard
from governance.dashboards import bulletins, selectors, warnings
from governance.dashboards.measures import app_series
from governance.dashboards.models import Bulletin, BulletinKind, BulletinStatus, EarlyWarning
from governance.dashboards.exports import dashboard_workbook
from governance.dashboards.forms import PeriodForm
from governance.files import private_file_response
from governance.places.models import Region



@login_required
def home(request):
    return render(request, "governance/home.html", {"summary": dashboard.home_summary(user=request.user)})


def _scope(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, selectors.scope_for(user=request.user, **form.scope_arguments())
    except selectors.OutOfScope:
        raise Http404 from None


def place_choices(user):
    """The person's own place and the towns and villages within it (for the place select)."""
    home = selectors.home_region(user)
    if home is None:
        return []
    places = Region.objects.filter(path__startswith=home.path, depth__lte=3).order_by("path")
    return [(place.code, ("\u3000" * (place.depth - home.depth)) + place.name) for place in places]


@permission_required("governance.view_dashboard", raise_exception=True)
def dashboard_page(request):
    form, scope = _scope(request)
    context = {"form": form, "places": place_choices(request.user)}
    if scope is not None:
        result = selectors.summary(scope)
        context.update({
            "scope": scope, "figures": result["figures"], "as_of": result["as_of"],
            "charts": selectors.core_charts(scope, result["figures"]),
            "drill_query": selectors.drill_query,
        })
        context["app_charts"] = [(series.key, series.label) for series in app_series().values()]
        charts, charts_as_of = selectors.app_charts(scope)
        context["charts"].update(charts)
        context["apps_as_of"] = min(filter(None, [result["apps_as_of"], charts_as_of]), default=None)
        context["charts_json"] = charts_for_page(context["charts"])
        context["labels"] = chart_labels()
        for figure in context["figures"]:
            figure["drill_query"] = selectors.drill_query(figure["drilldown"])
    return render(request, "governance/dashboard.html", context)


def chart_labels():
    """The words the page's script puts on the charts, in the reader's language."""
    return {"registered": _("Registered"), "resolved": _("Resolved"), "resolution_rate": _("Resolution rate"),
            "village": _("Not leaving the village"), "town": _("Not leaving the town"),
            "county": _("Not passed up from the county"), "days": _("days"), "matters": _("matters"),
            "open": _("Open matters"), "nodata": _("Nothing counted in this period.")}


def charts_for_page(charts):
    """The series as the page's script draws them, each item's drill-down a case-list link."""
    return {name: [{**item, "url": f"/cases/?{selectors.drill_query(item['drilldown'])}"} for item in items]
            for name, items in charts.items()}


@permission_required("governance.view_dashboard", raise_exception=True)
def dashboard_export(request):
    form, scope = _scope(request)
    if scope is None:
        raise Http404
    result = selectors.summary(scope)
    charts = selectors.core_charts(scope, result["figures"])
    content = dashboard_workbook(scope, result, charts)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{scope.region.code}-{stamp}.xlsx"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("governance.view_dashboard", raise_exception=True)
def warning_list(request):
    home = selectors.home_region(request.user)
    if home is None:
        raise Http404
    warnings = (EarlyWarning.objects.filter(region__path__startswith=home.path)
                .select_related("region", "acknowledged_by").annotate(matters=Count("cases")))
    if request.GET.get("all") != "true":
        warnings = warnings.filter(acknowledged_at__isnull=True)
    page = Paginator(warnings.order_by("-raised_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "governance/warnings.html", {"page": page, "show_all": request.GET.get("all") == "true"})


@permission_required("governance.view_dashboard", raise_exception=True)
@require_POST
def warning_acknowledge(request, warning_id):
    home = selectors.home_region(request.user)
    if home is None or not EarlyWarning.objects.filter(pk=warning_id, region__path__startswith=home.path).exists():
        raise Http404
    note = (request.POST.get("note") or "").strip()
    if not note:
        messages.error(request, _("Please write what was done about the warning."))
    else:
        warnings.acknowledge(warning_id=warning_id, actor=request.user, note=note)
        messages.success(request, _("The warning was acknowledged."))
    return redirect("warnings")


@permission_required("governance.view_dashboard", raise_exception=True)
def bulletin_list(request):
    home = selectors.home_region(request.user)
    if home is None:
        raise Http404
    if request.method == "POST":
        kind = request.POST.get("kind")
        region = Region.objects.filter(code=request.POST.get("region", ""), path__startswith=home.path,
                                       depth__lte=3).first()
        if kind not in BulletinKind.values or region is None:
            messages.error(request, _("Choose the kind of report and a place within yours."))
        else:
            _bulletin, created = bulletins.request_bulletin(kind=kind, region=region, actor=request.user)
            messages.success(request, _("The report is being written.") if created
                             else _("This report exists already; it is in the list."))
        return redirect("bulletins")
    items = Bulletin.objects.filter(region__path__startswith=home.path).select_related("region")
    running = items.filter(status__in=[BulletinStatus.QUEUED, BulletinStatus.RUNNING]).exists()
    context = {"page": Paginator(items, 25).get_page(request.GET.get("page")), "running": running,
               "places": place_choices(request.user), "kinds": BulletinKind.choices}
    template = "governance/_bulletin_rows.html" if request.htmx else "governance/bulletins.html"
    return render(request, template, context)


def _bulletin(request, bulletin_id):
    home = selectors.home_region(request.user)
    bulletin = Bulletin.objects.filter(pk=bulletin_id, status=BulletinStatus.DONE).first()
    if home is None or bulletin is None or not bulletin.region.path.startswith(home.path):
        raise Http404
    return bulletin


@permission_required("governance.view_dashboard", raise_exception=True)
def bulletin_page(request, bulletin_id):
    return HttpResponse(_bulletin(request, bulletin_id).html)


@permission_required("governance.view_dashboard", raise_exception=True)
def bulletin_workbook(request, bulletin_id):
    bulletin = _bulletin(request, bulletin_id)
    response = private_file_response(
        bulletin.workbook, content_type=XLSX, as_attachment=True,
        filename=f"bulletin-{bulletin.region.code}-{bulletin.period_from:%Y%m%d}.xlsx")
    return response
