import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.history import track_versions
from petitions.choices import DocumentKind, Service


@track_versions
class DocumentTemplate(models.Model):
    """The wording of one kind of notice, kept by admins; ``{placeholders}`` are
    filled in when a notice is issued (see ``petitions.documents.PLACEHOLDERS``).
    Every version is kept; an issued notice keeps the words it was issued with."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, unique=True)
    title = models.CharField(_("title"), max_length=60)
    body = models.TextField(_("text"), help_text=_(
        "One paragraph per line. Placeholders in braces, e.g. {petitioners}, {received_on}, {organ}; "
        "the list is under the text."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind"]

    def __str__(self):
        return self.title

    def clean(self):
        from petitions.documents import check_template

        check_template(self.body)


class DocumentSequence(models.Model):
    """The last document number an organ gave a kind of notice in a year (one UPSERT each)."""

    organisation = models.ForeignKey("governance.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number sequence")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "year"], name="document_sequence_key")]


# What an issued notice says never changes (a database trigger refuses it): a
# correction is a new version. Only its service is recorded later, once.
CONTENT_FIELDS = ["petition", "kind", "version", "number", "organisation", "organ_name", "title", "addressee",
                  "body", "issued_on", "issued_at", "issued_by", "template_updated_at", "replaces"]


class PetitionDocument(models.Model):
    """A notice issued on a petition (受理告知书, 处理意见书 ...): its words as issued,
    its number, and when and how it was served (送达) — the served date starts the
    petitioner's windows. Versioned: a corrected notice is a new version that
    ``replaces`` the earlier one, which is kept."""

    petition = models.ForeignKey("petitions.Petition", verbose_name=_("petition"), on_delete=models.PROTECT,
                                 related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    number = models.CharField(_("document number"), max_length=40)
    organisation = models.ForeignKey("governance.Organisation", verbose_name=_("issued by (organ)"),
                                     on_delete=models.PROTECT, related_name="+")
    organ_name = models.CharField(_("organ"), max_length=120)
    title = models.CharField(_("title"), max_length=60)
    addressee = models.CharField(_("addressed to"), max_length=200)
    body = models.TextField(_("text"))
    issued_on = models.DateField(_("dated"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
                                  related_name="+")
    template_updated_at = models.DateTimeField(_("template version"), null=True, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    served_on = models.DateField(_("served on"), null=True, blank=True)
    service = models.CharField(_("served"), max_length=12, choices=Service.choices, blank=True)
    served_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("service recorded by"),
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("petition document")
        verbose_name_plural = _("petition documents")
        ordering = ["petition", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind", "version"], name="document_version_unique"),
            models.CheckConstraint(condition=models.Q(served_on__isnull=True, service="")
                                   | models.Q(served_on__isnull=False) & ~models.Q(service=""),
                                   name="document_served_with_manner"),
        ]
        triggers = [
            pgtrigger.ReadOnly(name="document_content_read_only", fields=CONTENT_FIELDS),
            pgtrigger.Protect(name="document_served_once", operation=pgtrigger.Update,
                              condition=pgtrigger.Q(old__served_on__isnull=False,
                                                    new__served_on__df=pgtrigger.F("old__served_on"))
                              | pgtrigger.Q(old__served_on__isnull=False,
                                            new__service__df=pgtrigger.F("old__service"))),
            pgtrigger.Protect(name="document_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def is_current(self):
        return not hasattr(self, "replaced_by")
