"""The production shape: the compose file valid and complete, every variable documented,
`check --deploy` clean."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "governance.example.gov.cn",
    "POSTGRES_PASSWORD": "secret",
}


def compose_config(env=None):
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose (Debian package) is installed by make test"
    # Only what an operator's .env would hold: this process's own variables (the test settings'
    # CACHE_KEY_PREFIX...) must not leak into the interpolation.
    result = subprocess.run([compose, "-f", "docker-compose.yml", "config"], cwd=ROOT,
                            env={"PATH": os.environ["PATH"], **PRODUCTION_ENV, **(env or {})},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_file_is_valid():
    services = compose_config()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "collectstatic", "web", "nginx", "worker-timers",
                             "worker-notifications", "worker-reports", "worker-training", "beat", "prometheus"}
    # Every long-running service says whether it is healthy; the one-offs and the optional Prometheus need not.
    for name, service in services.items():
        if name not in {"migrate", "collectstatic", "prometheus"}:
            assert "healthcheck" in service, name


def test_each_queue_has_its_own_worker_and_there_is_one_beat():
    from django.conf import settings

    services = compose_config()["services"]
    consumed = {}
    for name, service in services.items():
        command = service.get("command") or []
        if command[:4] == ["celery", "-A", "governance", "worker"]:
            queues = command[command.index("--queues") + 1].split(",")
            for queue in queues:
                assert queue not in consumed, f"{queue} consumed by {consumed.get(queue)} and {name}"
                consumed[queue] = name
            assert service["environment"]["WORKER_NAME"] in command[command.index("--hostname") + 1]
    assert set(consumed) == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert consumed["timers"] == "worker-timers" and consumed["reports"] == "worker-reports"
    beats = [name for name, service in services.items() if (service.get("command") or [])[3:4] == ["beat"]]
    assert beats == ["beat"]
    assert "replicas" not in services["beat"].get("deploy", {})


def test_nginx_serves_static_and_private_files_and_proxies_to_gunicorn():
    services = compose_config()["services"]
    nginx, web = services["nginx"], services["web"]
    assert {"static:/srv/static:ro", "media:/srv/media:ro"} <= set(nginx["volumes"])
    assert web["command"][:4] == ["gunicorn", "governance.wsgi", "--config", "deploy/gunicorn.conf.py"]
    assert web["environment"]["MEDIA_ACCEL_REDIRECT"] == "/protected-media/"
    assert web["environment"]["WEB_CONCURRENCY"] == "4"
    assert "ports" not in web  # only through nginx
    conf = (ROOT / "deploy/nginx/default.conf").read_text()
    assert "server web:8000;" in conf and "alias /srv/static/;" in conf and "internal;" in conf


def test_every_variable_is_documented_in_env_example():
    """Each variable the settings, gunicorn's config or the compose file read appears in .env.example."""
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    documented |= set(re.findall(r"\b([A-Z][A-Z0-9_]{2,})=", (ROOT / ".env.example").read_text()))
    read = set()
    for path in (ROOT / "governance/settings").glob("*.py"):
        read |= set(re.findall(r'env\.(?:get|flag|required|list_of)\("([A-Z0-9_]+)"', path.read_text()))
    for path in [ROOT / "deploy/gunicorn.conf.py", ROOT / "governance/metrics.py"]:
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z0-9_]+)"', path.read_text()))
    read |= set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    read |= set(compose_config()["services"]["web"]["environment"])
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    assert read - documented - test_only == set()


def test_compose_settings_load_with_every_optional_value_left_empty():
    """docker-compose passes each optional variable as an empty string when .env leaves it out:
    the production settings must then take the defaults (HTTPS redirect on, and so on)."""
    environment = {k: str(v) for k, v in compose_config()["services"]["web"]["environment"].items()}
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.CACHES['default']['KEY_PREFIX'], "
              "s.NOTIFICATION_BACKEND.rsplit('.', 1)[-1], s.CELERY_BEAT_SCHEDULE['sweep-clocks']['schedule'], "
              "s.LOG_FORMAT, s.MEDIA_ACCEL_REDIRECT, 'replica' in s.DATABASES)")
    env = {"PATH": os.environ["PATH"], **environment}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "gov", "LoggingBackend", "60.0", "json",
                                     "/protected-media/", "False"]


def test_compose_refuses_to_start_without_a_secret_key():
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}}
    result = subprocess.run(["docker-compose", "-f", "docker-compose.yml", "config", "-q"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


# Explained in the README: HSTS preload is off because a county intranet host
# name cannot be on the browsers' public preload list.
EXPLAINED_WARNINGS = {"security.W021"}


def test_check_deploy_with_production_settings_is_clean():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # a test-only setting
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="governance.settings.production")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    reported = set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", result.stdout + result.stderr))
    assert reported <= EXPLAINED_WARNINGS, result.stdout + result.stderr


def test_production_settings_need_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "governance.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
