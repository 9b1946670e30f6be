"""Weekly bulletins (周周通报) and monthly reports: the measures of a place and
period, its towns (or villages) and the departments ranked on on-time rate and
resolution, the top categories and places, and the overdue list. Written by a
Celery task on the reports queue, with its progress kept on the row, as a
printable page and an Excel file."""
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.conf import settings

from governance.cases.models import Case
from governance.choices import OPEN_STATUSES
from governance.dashboards import selectors
from governance.dashboards.exports import dashboard_workbook
from governance.dashboards.models import Bulletin, BulletinKind, BulletinStatus
from governance.places.models import Region

OVERDUE_LIST = 50


def period_of(kind, today: date) -> tuple[date, date]:
    """The last whole week (Monday to Sunday) or the last whole month before ``today``."""
    if kind == BulletinKind.WEEKLY:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return last_month_end.replace(day=1), last_month_end


def request_bulletin(*, kind, region, actor=None, period=None) -> tuple[Bulletin, bool]:
    """Queue a bulletin (once per kind, place and period); returns (bulletin, created).
    The task is sent after the commit, so it never looks for a row not yet there."""
    date_from, date_to = period or period_of(kind, timezone.localdate())
    with transaction.atomic():
        bulletin, created = Bulletin.objects.get_or_create(
            kind=kind, region=region, period_from=date_from, period_to=date_to,
            defaults={"requested_by": actor})
        if not created and bulletin.status == BulletinStatus.FAILED:
            Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.QUEUED, progress=0, error="")
            created = True
        if created:
            from governance.tasks import write_bulletin_task

            transaction.on_commit(lambda: write_bulletin_task.apply_async((bulletin.pk,), queue="reports"))
    return bulletin, created


def _progress(bulletin, percent, status=BulletinStatus.RUNNING):
    Bulletin.objects.filter(pk=bulletin.pk).update(progress=percent, status=status)


def department_ranking(scope) -> list[dict]:
    """Organisations that resolved matters of the place and period, ranked by on-time rate."""
    rows = (Case.objects.filter(selectors.day_range(scope.date_from, scope.date_to),
                                region__path__startswith=scope.region.path, resolved_holder__isnull=False)
            .values(name=F("resolved_holder__name")).order_by()
            .annotate(resolved=Count("pk"), on_time=Count("pk", filter=Q(resolved_on_time=True))))
    ranked = [{**row, "on_time_rate": round(row["on_time"] / row["resolved"], 4)} for row in rows]
    return sorted(ranked, key=lambda row: (-row["on_time_rate"], -row["resolved"]))


def overdue_list(scope):
    return list(Case.objects.filter(status__in=OPEN_STATUSES, overdue_at__isnull=False,
                                    region__path__startswith=scope.region.path)
                .select_related("holder", "category").order_by("deadline")[:OVERDUE_LIST])


def write_bulletin(bulletin_id) -> Bulletin:
    """Write one bulletin (idempotent: a finished one is left as it is)."""
    bulletin = Bulletin.objects.select_related("region").get(pk=bulletin_id)
    if bulletin.status == BulletinStatus.DONE:
        return bulletin
    scope = selectors.Scope(bulletin.region, bulletin.period_from, bulletin.period_to)
    with translation.override(settings.LANGUAGE_CODE):
        _progress(bulletin, 10)
        result = selectors.summary(scope)
        _progress(bulletin, 40)
        charts = {name: series(scope) for name, series in selectors.SERIES.items() if name != "funnel"}
        charts["funnel"] = selectors.funnel(scope, result["figures"])
        _progress(bulletin, 60)
        departments = department_ranking(scope)
        overdue = overdue_list(scope)
        _progress(bulletin, 80)
        html = render_to_string("governance/bulletin.html", {
            "bulletin": bulletin, "scope": scope, "figures": result["figures"], "as_of": result["as_of"],
            "places": sorted(charts["places"], key=lambda p: -(p["on_time_rate"] or 0)),
            "categories": charts["categories"][:5], "departments": departments, "overdue": overdue,
        })
        workbook = dashboard_workbook(scope, result, charts)
    bulletin.html = html
    bulletin.workbook.save(f"bulletin-{bulletin.pk}.xlsx", ContentFile(workbook), save=False)
    bulletin.status, bulletin.progress, bulletin.finished_at = BulletinStatus.DONE, 100, timezone.now()
    bulletin.save(update_fields=["html", "workbook", "status", "progress", "finished_at"])
    return bulletin


def schedule_bulletins(kind) -> int:
    """Beat's weekly (Monday) and monthly (the 1st) run: one per county and town."""
    created = 0
    for region in Region.objects.filter(depth__lte=2):
        created += request_bulletin(kind=kind, region=region)[1]
    return created
