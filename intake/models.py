"""What the one door owns: its windows, where each registration came in, the
routing of categories to organisations, attachments and Open311 API keys.
The matter itself is ``governance.Case``, shared by every app."""
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.history import track_changes


class WindowKind(models.TextChoices):
    GENERAL = "general", _("General intake")
    LEGAL_AID = "legal_aid", _("Legal aid")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    LITIGATION_PETITION = "litigation_petition", _("Litigation-related petitions")
    CASE_FILING = "case_filing", _("Case filing")
    JUDICIAL_CONFIRMATION = "judicial_confirmation", _("Judicial confirmation")
    OTHER = "other", _("Other")


class Window(models.Model):
    """An intake window (接待窗口) of a center: 综合受理, 法律援助, 立案登记 ..."""

    center = models.ForeignKey(
        "governance.Organisation", verbose_name=_("center"), on_delete=models.CASCADE, related_name="windows",
        limit_choices_to={"kind": "center"},
    )
    number = models.PositiveSmallIntegerField(_("window number"))
    kind = models.CharField(_("kind"), max_length=24, choices=WindowKind.choices, default=WindowKind.GENERAL)
    name = models.CharField(_("name"), max_length=60)
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("clerks"), blank=True, related_name="windows",
        help_text=_("Who works at this window."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("intake window")
        verbose_name_plural = _("intake windows")
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="window_number_unique")]

    def __str__(self):
        return _("Window %(number)s · %(name)s") % {"number": self.number, "name": self.name}


class Intake(models.Model):
    """How and where one visit came in: a new matter, or a repeat visit linked to one."""

    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.CASCADE,
                             related_name="intakes")
    window = models.ForeignKey(Window, verbose_name=_("window"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="intakes")
    channel = models.CharField(_("channel"), max_length=20)
    is_repeat = models.BooleanField(_("repeat visit"), default=False)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("clerk"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    # Open311 clients may follow a submission by token (GET tokens/{token}).
    token = models.CharField(_("token"), max_length=40, unique=True, null=True, blank=True)
    api_key = models.ForeignKey("intake.ApiKey", verbose_name=_("Open311 client"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    # The public form: the citizen agreed to the personal-information notice of this
    # version (intake.public.notice) when sending; the time it was given.
    consent_notice = models.CharField(_("personal-information notice agreed to"), max_length=20, blank=True,
                                      default="", db_default="")
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        indexes = [models.Index(fields=["window", "at"], name="intake_window_at")]


@track_changes()
class CategoryRoute(models.Model):
    """Admins' routing: matters of this category go to this organisation at dispatch
    (instead of the default: the village center of the place for disputes, the
    stationed department that handles the category for the rest)."""

    category = models.OneToOneField("governance.Category", verbose_name=_("category"), on_delete=models.CASCADE,
                                    related_name="route")
    organisation = models.ForeignKey("governance.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("category routing")
        verbose_name_plural = _("category routing")

    def __str__(self):
        return f"{self.category} → {self.organisation}"


def attachment_path(attachment, filename):
    return f"attachments/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}-{filename[-80:]}"


class Attachment(models.Model):
    """A photo or PDF given with a matter; type and size are checked on upload."""

    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.CASCADE,
                             related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["at", "id"]

    def __str__(self):
        return self.name


def new_api_key():
    return secrets.token_urlsafe(24)


class ApiKey(models.Model):
    """A key an Open311 client (a 12345 hotline system, an app) submits matters with."""

    name = models.CharField(_("client"), max_length=80)
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_api_key)
    channel = models.CharField(_("channel"), max_length=20, default="online",
                               choices=[("online", _("Online")), ("hotline", _("Hotline"))],
                               help_text=_("How this client's citizens reach us: an app or website, or a hotline."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self):
        return self.name


# Triage's models live in their subpackage (intake/triage/models.py).
from intake.triage.models import ModelStatus, Suggestion, TriageModel, TriageSettings  # noqa: E402,F401
