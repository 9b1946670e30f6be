"""A county's servers: everything from the environment, secure by default."""
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
