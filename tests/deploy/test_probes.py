"""/healthz/ (the process answers) and /readyz/ (database, broker, migrations)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from governance import health
from tests.deploy.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_migration_state():
    health.forget_migrations_state()
    yield
    health.forget_migrations_state()


def test_healthz_answers_without_touching_the_database(client):
    # No db fixture: any query here would raise "Database access not allowed".
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_whatever_host_name_they_are_asked_by(client, db):
    """Docker and Prometheus ask web:8000 or 127.0.0.1:8000, not the public name in ALLOWED_HOSTS."""
    assert client.get("/healthz/", HTTP_HOST="web:8000").status_code == 200
    assert client.get("/readyz/", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/cases/", HTTP_HOST="web:8000").status_code == 400  # the rest still checks


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_redirected_to_https(client, db):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/readyz/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_readyz_when_everything_answers(client, db):
    response = client.get("/readyz/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "broker": True, "migrations": True}


def test_readyz_is_503_when_the_broker_does_not_answer(client, db):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/readyz/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False and "ConnectionError" in checks["broker"]["error"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"]


def test_readyz_is_503_while_a_migration_is_not_applied(client, db):
    """As on a node started with a new release before `migrate` ran (rolled back after the test)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'governance' AND name = "
                       "(SELECT max(name) FROM django_migrations WHERE app = 'governance')")
    response = client.get("/readyz/")
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations["ok"] is False and "1 unapplied: governance." in migrations["error"]


def test_readyz_remembers_applied_migrations(client, db, django_assert_max_num_queries):
    assert client.get("/readyz/").status_code == 200
    with django_assert_max_num_queries(1):  # SELECT 1 only; the migration graph is not read again
        assert client.get("/readyz/").status_code == 200


def test_without_a_database_healthz_is_up_and_readyz_is_not():
    """A web process whose database is unreachable (a closed port): alive, not ready."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "h, r = c.get('/healthz/'), c.get('/readyz/')\n"
        "print(json.dumps([h.status_code, r.status_code, r.json()]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    healthz, readyz, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert (healthz, readyz) == (200, 503)
    assert body["checks"]["database"]["ok"] is False and "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["migrations"] == {"ok": False, "error": "database unreachable"}
    assert body["checks"]["broker"]["ok"] is True
