"""Ending what a person holds open: their sessions and API tokens."""
from django.contrib.sessions.models import Session
from django.utils import timezone
from importlib import import_module

from django.conf import settings

from governance.accounts.models import ApiToken


def end_sessions_and_tokens(user) -> tuple[int, int]:
    """Sign ``user`` out everywhere and revoke their API tokens, at once (a departed
    clerk, a suspected leak). Returns (sessions ended, tokens revoked)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session_key=session.session_key).delete()  # the cached copy too
            ended += 1
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return ended, revoked
