"""Token authentication with expiry and revocation (DRF's keyword ``Token``)."""
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from governance.accounts.models import ApiToken, token_digest


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        # From the primary always (a revocation counts at once, whatever a replica lags), with the
        # person's organisation and place: nearly every request needs them (the scope rule).
        token = (ApiToken.objects.using(DEFAULT_DB_ALIAS).select_related("user__organisation__region")
                 .filter(digest=token_digest(key)).first())
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if token.expires_at <= now:
            raise AuthenticationFailed(_("This token has expired; ask for a new one."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("This account is disabled."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.using(DEFAULT_DB_ALIAS).filter(pk=token.pk).update(last_used_at=now)  # every 5 min at most
        return token.user, token
