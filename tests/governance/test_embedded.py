"""`make run`'s default: embedded PostgreSQL and Redis from PyPI wheels, from nothing."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.deploy.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_for(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"run_center exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} never answered")


@pytest.mark.slow
def test_embedded_servers_from_nothing_serve_the_center():
    data = Path(tempfile.mkdtemp(prefix="govembedded-"))
    data.chmod(0o755)  # the embedded PostgreSQL runs as its own system user
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(EMBEDDED_DATA_DIR=str(data / "local"), STATIC_ROOT=str(data / "static"))
    manage = [sys.executable, str(ROOT / "manage.py")]
    center = subprocess.Popen(
        [*manage, "run_center", "--port", str(port), "--cases", "20"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        login_page = wait_for(f"http://127.0.0.1:{port}/accounts/login/", center)
        assert "登录" in login_page
        # Logging in works end to end: users in PostgreSQL, sessions cached in Redis.
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"http://127.0.0.1:{port}/accounts/login/")
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": "clerk", "password": "demo12345", "csrfmiddlewaretoken": csrf}
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/", data=form,
            headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"},
        )
        with opener.open(request) as response:
            assert response.url.endswith(f":{port}/")
            assert "退出" in response.read().decode()
        assert (data / "local" / "pgdata" / "PG_VERSION").exists()
        # Another manage.py command in the checkout finds the same servers and data.
        shell = subprocess.run(
            [*manage, "shell", "-c", "from governance.models import Case; print('cases', Case.objects.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
        assert "cases 20" in shell.stdout, shell.stdout + shell.stderr
        # ...and leaves them running for the center.
        assert "登录" in wait_for(f"http://127.0.0.1:{port}/accounts/login/", center)
    finally:
        if center.poll() is None:
            os.killpg(center.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        output = center.communicate(timeout=120)[0]
    assert "http://127.0.0.1:" in output and "demo12345" in output
    # Ctrl-C stopped everything, the embedded servers included, and kept the data.
    assert not (data / "local" / "pgdata" / "postmaster.pid").exists()
    assert (data / "local" / "pgdata" / "PG_VERSION").exists()
