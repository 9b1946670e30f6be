"""The production shape: compose file valid, `check --deploy` clean."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "governance.example.gov.cn",
    "POSTGRES_PASSWORD": "secret",
}


def test_docker_compose_file_is_valid():
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose (Debian package) is installed by make test"
    env = {**os.environ, **PRODUCTION_ENV}
    result = subprocess.run([compose, "-f", "docker-compose.yml", "config"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for service in ["postgres:", "redis:", "web:", "worker:", "beat:"]:
        assert service in result.stdout
    assert result.stdout.count("healthcheck:") >= 5


def test_compose_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
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
