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
