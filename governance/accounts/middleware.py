import time

from django.conf import settings
from django.contrib.auth import logout


class IdleSessionMiddleware:
    """Sign out a person idle for longer than SESSION_IDLE_SECONDS; otherwise move
    the session's expiry on (saving it at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            last = session.get("_last_seen")
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif last is None or now - last >= 60:
                session["_last_seen"] = now
        return self.get_response(request)
