"""deploy/nginx/default.conf in front of gunicorn (deploy/gunicorn.conf.py), both real
processes on loopback: static files from nginx, private files only after Django's
permission check (X-Accel-Redirect), no public /media/, probes and metrics kept inside,
the request id carried through, and an access log without query strings."""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from governance.models import User
from intake.models import Attachment
from deploy.nginx.loopback import nginx_config
from tests.deploy.helpers import database_url, free_port, stop
from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PDF = b"%PDF-1.4\n% a matter's scanned letter\n"


def get(url, cookie=None, **headers):
    request = urllib.request.Request(url, headers={**headers, **({"Cookie": cookie} if cookie else {})})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(url, process, what):
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"{what} died"
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            assert time.monotonic() < deadline, f"{what} never answered"
            time.sleep(0.2)


def session_cookie(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_nginx_in_front_of_gunicorn(tmp_path, demo_transactional):
    if not Path(NGINX).exists():
        pytest.fail("nginx is installed by make test (scripts/ensure_system_packages.sh)")
    for folder in ("static/css", "media"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "static/css/probe.css").write_text("body { color: black }\n")
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        case = CaseFactory()
        attachment = Attachment.objects.create(case=case, file=ContentFile(PDF, name="letter.pdf"),
                                               name="letter.pdf", content_type="application/pdf", size=len(PDF))
    nginx_port, web_port = free_port(), free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "governance.settings.test", "DATABASE_URL": database_url(),
           "MEDIA_ROOT": str(tmp_path / "media"), "MEDIA_ACCEL_REDIRECT": "/protected-media/",
           "GUNICORN_BIND": f"127.0.0.1:{web_port}", "WEB_CONCURRENCY": "2",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "governance.wsgi", "--config", "deploy/gunicorn.conf.py"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "web.log").open("w"))
    nginx = subprocess.Popen([NGINX, "-c", str(nginx_config(tmp_path, port=nginx_port, web_port=web_port))],
                             stdout=subprocess.DEVNULL, stderr=(tmp_path / "nginx.out").open("w"))
    site, direct = f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{web_port}"
    try:
        wait_until_up(f"{direct}/healthz/", web, "gunicorn")
        wait_until_up(f"{site}/nginx-health", nginx, "nginx")
        clerk, elsewhere = session_cookie("clerk"), session_cookie("other_town_clerk")
        path = reverse("intake-attachment", args=[attachment.pk])

        # Static files come from nginx's folder, not from Django.
        status, headers, body = get(f"{site}/static/css/probe.css")
        assert (status, body) == (200, b"body { color: black }\n") and "max-age=3600" in headers["Cache-Control"]

        # A private file: Django checks who asks, nginx sends it.
        status, headers, body = get(f"{site}{path}", clerk)
        assert (status, body) == (200, PDF), (status, body[:200])
        assert headers["Content-Type"] == "application/pdf" and "X-Accel-Redirect" not in headers
        assert "letter.pdf" in headers["Content-Disposition"]
        # Directly from gunicorn the answer is only the redirect header, never the file.
        status, headers, body = get(f"{direct}{path}", clerk)
        assert status == 200 and headers["X-Accel-Redirect"].startswith("/protected-media/attachments/")
        assert body == b""
        # Outside the clerk's county, or without a login: nothing.
        assert get(f"{site}{path}", elsewhere)[0] == 404
        assert get(f"{site}{path}")[0] == 302  # to the login page
        # There is no public path to the file.
        stored = attachment.file.name
        assert get(f"{site}/media/{stored}")[0] == 404
        assert get(f"{site}/protected-media/{stored}")[0] == 404

        # Probes: /healthz/ passes; readiness and metrics only on the internal network.
        assert get(f"{site}/healthz/?phone=13800138000")[0] == 200
        assert get(f"{site}/readyz/")[0] == 404 and get(f"{direct}/readyz/")[0] == 200
        assert get(f"{site}/metrics")[0] == 404 and get(f"{direct}/metrics")[0] == 200

        # The request id nginx makes reaches Django and comes back.
        status, headers, _ = get(f"{site}/accounts/login/")
        assert status == 200 and len(headers["X-Request-ID"]) == 32
        request_id = headers["X-Request-ID"]
    finally:
        stop(nginx)
        stop(web)
    access = [json.loads(line) for line in (tmp_path / "nginx-access.log").read_text().splitlines()]
    assert any(line["request_id"] == request_id and line["path"] == "/accounts/login/" for line in access)
    assert "13800138000" not in (tmp_path / "nginx-access.log").read_text()
