"""Tests run against the machine's real PostgreSQL and Redis (see Makefile)."""
import os
import tempfile
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/governance")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CACHE_KEY_PREFIX", "govtest")
# Playwright's event loop and the live server share this process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from . import env  # noqa: E402
from .base import *  # noqa: E402,F401,F403

# Unit tests run tasks in-process; the worker tests start real processes with this off.
CELERY_TASK_ALWAYS_EAGER = env.flag("CELERY_TASK_ALWAYS_EAGER", True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "governance.uploads.CleanFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads made by tests go to a scratch folder, not the checkout's .local/media.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "governance-test-media"
# Figures computed afresh on every request: tests change matters and look again at once
# (tests/deploy/test_dashboard_cache.py turns the cache on).
DASHBOARD_CACHE_SECONDS = 0

# Tests travel in time (time-machine) with clients signed in: idle sign-out is
# tested on its own (tests/governance/test_accounts.py overrides this).
SESSION_IDLE_SECONDS = 365 * 24 * 3600
