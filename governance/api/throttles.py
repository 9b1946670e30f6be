"""The API's throttles, counted by governance.ratelimit (Redis, PostgreSQL while Redis is away)."""
from rest_framework.throttling import SimpleRateThrottle

from governance import ratelimit


class _HoldingThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.limit, self.period = ratelimit.parse_rate(self.rate)
        return not ratelimit.is_limited(f"api-{self.scope}", key, self.rate)

    def wait(self):
        return getattr(self, "period", None)


class UserThrottle(_HoldingThrottle):
    """Per signed-in person (or token)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return str(request.user.pk)
        return None


class AnonThrottle(_HoldingThrottle):
    """Per address, for callers without credentials."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.get_ident(request)


__all__ = ["AnonThrottle", "UserThrottle"]
