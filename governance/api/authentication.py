"""DRF's token authentication (same answers, in DRF's words and translations), with the person's organisation and its place read in the
same query: nearly every API request needs them (the scope rule, the county check of a
registration), and they were two more round trips each (measured by `make loadtest`)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.authtoken.models import Token


class TokenAuthentication(DRFTokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__organisation__region").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
