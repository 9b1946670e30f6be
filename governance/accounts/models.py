import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A key for the API (``Authorization: Token <key>``). Only its SHA-256 is kept:
    the key is shown once, when issued. It expires (``API_TOKEN_DAYS`` by default)
    and can be revoked; disabling the person revokes all of theirs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("What the token is for, e.g. the hotline system."))
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active

    @classmethod
    def issue(cls, *, user, name="", expires_at=None) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key is known)."""
        from datetime import timedelta

        key = secrets.token_hex(20)
        now = timezone.now()
        token = cls.objects.create(
            user=user, name=name, digest=token_digest(key), prefix=key[:8], created_at=now,
            expires_at=expires_at or now + timedelta(days=settings.API_TOKEN_DAYS))
        return token, key


class RateCount(models.Model):
    """A rate limit's counter while Redis is away (governance.ratelimit): one row per
    key and window, incremented with an UPSERT. Rows of past windows are dropped."""

    key = models.CharField(max_length=200)
    slot = models.BigIntegerField()  # the window's number: seconds since the epoch // period
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "slot"], name="ratecount_key_slot")]
