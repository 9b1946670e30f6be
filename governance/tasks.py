"""Thin Celery tasks for the core domain."""
from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from governance.dashboards.home import HEARTBEAT_KEY


@shared_task(ignore_result=True)
def record_heartbeat():
    """Run by beat every minute: proves beat, broker and a worker are alive (shown to admins)."""
    at = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, at, timeout=None)
    return at


@shared_task(ignore_result=True)
def sweep_clocks_task():
    """Run by beat every minute; idempotent and safe to run in several workers at once."""
    from governance.timers.sweep import sweep_clocks

    result = sweep_clocks()
    return {"reminded": result.reminded, "fired": dict(result.fired), **result.counts, "failed": len(result.failed)}


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=600,
             max_retries=8)
def deliver_pending_notifications():
    """Send the outgoing copy (SMS/e-mail) of unsent notifications; retried with
    backoff when the gateway fails, and run by beat every minute as a catch-up."""
    from governance.notifications.services import deliver_pending

    return deliver_pending()


@shared_task(ignore_result=True)
def refresh_dashboards_task():
    """Run by beat every two minutes: the dashboards' daily summary, for the days of the
    matters changed since the last run (one refresher at a time: an advisory lock)."""
    from governance.dashboards.rollup import refresh

    return refresh()


@shared_task(ignore_result=True)
def warm_dashboards_task():
    """Run by beat every DASHBOARD_WARM_SECONDS: the apps' live figures of the usual views
    (county and towns, this year and the last twelve months) counted again into the cache
    before they expire, so no leader waits for them (``selectors.live``)."""
    from governance.dashboards.selectors import usual_scopes, warm

    count = 0
    for scope in usual_scopes():
        warm(scope)
        count += 1
    return count


@shared_task(ignore_result=True)
def check_warnings_task():
    """Run by beat every quarter hour: the early-warning rules; each warning is raised once."""
    from governance.dashboards.warnings import check_all

    return check_all()


@shared_task(ignore_result=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=3)
def write_bulletin_task(bulletin_id):
    """Write one bulletin on the reports queue (a finished one is left as it is). After the
    last retry it is marked failed, with the error, so it can be asked for again."""
    from governance.dashboards.bulletins import write_bulletin
    from governance.dashboards.models import Bulletin, BulletinStatus

    try:
        write_bulletin(bulletin_id)
    except Exception as error:
        if write_bulletin_task.request.retries >= write_bulletin_task.max_retries:
            Bulletin.objects.filter(pk=bulletin_id).update(status=BulletinStatus.FAILED, error=str(error)[:2000])
        raise


@shared_task(ignore_result=True)
def schedule_bulletins_task(kind):
    """Beat: the weekly bulletins on Mondays, the monthly reports on the 1st."""
    from governance.dashboards.bulletins import schedule_bulletins

    return schedule_bulletins(kind)


@shared_task(ignore_result=True)
def purge_orphan_files_task():
    """Hourly: files no row points at (a rolled-back upload) are removed."""
    from governance.files import purge_orphan_files

    purge_orphan_files()
