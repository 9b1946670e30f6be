"""The API's token endpoint: a new expiring token for a username and password
(counted by django-axes like the login page), and revoking the one in use."""
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.accounts.models import ApiToken


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, keep it secret.")
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """POST: a new token (expires after API_TOKEN_DAYS). DELETE: revoke the token
    this request is made with."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(request=CredentialsSerializer, responses={200: IssuedTokenSerializer}, auth=[])
    def post(self, request):
        payload = CredentialsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(request=request._request, username=payload.validated_data["username"],
                            password=payload.validated_data["password"])
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [_("Unable to log in with provided credentials.")]})
        token, key = ApiToken.issue(user=user, name=payload.validated_data["name"])
        return Response(IssuedTokenSerializer({"token": key, "expires_at": token.expires_at}).data)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Revoked.")})
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            ApiToken.objects.filter(pk=request.auth.pk).update(revoked_at=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
