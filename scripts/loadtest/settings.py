"""`make loadtest`'s settings: the production settings, served over plain HTTP on loopback.

Plain HTTP here stands for TLS terminated at the county's proxy; the one difference it
forces is that cookies cannot carry the Secure flag, or the load generator's HTTP client
(like a browser) would never send them back over http://127.0.0.1."""
from governance.settings.production import *  # noqa: F401,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
