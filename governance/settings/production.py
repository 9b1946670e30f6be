"""A county's servers: everything from the environment, secure by default."""
from governance import logs

from . import env
from .base import *  # noqa: F401,F403

SECRET_KEY = env.required("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list_of("ALLOWED_HOSTS")

# TLS is normally terminated at the county's reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.flag("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list_of("CSRF_TRUSTED_ORIGINS")

# --- Production shape (issue 25): logs ------------------------------------------------------
# One JSON object a line (request_id, user_id; ID numbers and phones redacted), one line per
# request; Celery workers log through the same configuration instead of their own.
LOG_FORMAT = env.get("LOG_FORMAT") or "json"
LOGGING = logs.config(fmt=LOG_FORMAT, level=env.get("LOG_LEVEL", "INFO"), requests=env.flag("LOG_REQUESTS", True))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
