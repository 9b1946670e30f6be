"""The mediation agreement (调解协议书): the admin's template, the versions drawn
from it, and the judicial confirmation the parties may apply for."""
import string

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.choices import ConfirmationDecision

# What an admin may write in a template's texts, in braces: {body}.
PLACEHOLDERS = {
    "body": _("the mediation body"),
    "category": _("the kind of dispute"),
    "case_number": _("the matter number"),
    "place": _("the place"),
}


def check_placeholders(text):
    """A ValidationError naming a placeholder that does not exist (or a stray brace)."""
    try:
        names = [name for _literal, name, _spec, _conv in string.Formatter().parse(text or "") if name is not None]
    except ValueError:
        raise ValidationError(_("Unmatched brace: write the placeholders as {body}.")) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(_("Unknown placeholder %(names)s; you can use %(known)s.") % {
            "names": ", ".join("{%s}" % name for name in unknown),
            "known": ", ".join("{%s}" % name for name in PLACEHOLDERS)})


class AgreementTemplate(models.Model):
    """The wording of agreements around what each mediation fills in (the parties,
    facts, terms, deadline, mediators and body come from the mediation). Edited by
    admins; an agreement keeps the wording it was drawn with."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=40, default="人民调解协议书")
    preamble = models.TextField(_("opening"), help_text=_("Before the facts. Placeholders: {body}, {category}, "
                                                          "{case_number}, {place}."))
    closing = models.TextField(_("closing clauses"), help_text=_("After the terms: when it takes effect, copies, "
                                                                 "judicial confirmation."))
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["-is_default", "name"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                               name="one_default_agreement_template")]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for field in ("title", "preamble", "closing"):
            try:
                check_placeholders(getattr(self, field))
            except ValidationError as error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)


class Agreement(models.Model):
    """One version of a mediation's agreement. A draft can be edited; once the
    parties signed it (``signed_on``: it takes effect, 人民调解法 arts. 29-30) the row
    is final: a database trigger refuses to change or delete it. It is then only
    superseded, by a new version that names it and says why.

    ``parties`` keeps the parties as they were drawn (name, role, full ID number,
    address): the print shows the full ID numbers, every other view masks them."""

    mediation = models.ForeignKey("mediation.Mediation", verbose_name=_("mediation"), on_delete=models.PROTECT,
                                  related_name="agreements")
    version = models.PositiveSmallIntegerField(_("version"))
    template = models.ForeignKey(AgreementTemplate, verbose_name=_("template"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=40)
    preamble = models.TextField(_("opening"))
    closing = models.TextField(_("closing clauses"))
    parties = models.JSONField(_("parties"), default=list)
    facts = models.TextField(_("facts of the dispute"))
    terms = models.TextField(_("terms agreed"))
    performance_deadline = models.DateField(_("to be performed by"), null=True, blank=True)
    mediators = models.JSONField(_("mediators"), default=list)
    body_name = models.CharField(_("mediation body"), max_length=120)
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="superseded_by")
    supersede_reason = models.TextField(_("why it supersedes the last version"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("drawn at"), default=timezone.now)
    signed_on = models.DateField(_("signed (takes effect) on"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signature recorded by"),
                                           on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        ordering = ["mediation", "version"]
        constraints = [
            models.UniqueConstraint(fields=["mediation", "version"], name="agreement_version_unique"),
            models.UniqueConstraint(fields=["mediation"], condition=models.Q(signed_on__isnull=True),
                                    name="one_draft_agreement"),
            models.CheckConstraint(condition=models.Q(supersedes__isnull=True) | ~models.Q(supersede_reason=""),
                                   name="superseding_agreement_has_reason"),
        ]
        triggers = [
            pgtrigger.Protect(name="signed_agreement_is_final", operation=pgtrigger.Update | pgtrigger.Delete,
                              condition=pgtrigger.Q(old__signed_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def is_signed(self):
        return self.signed_on is not None


class JudicialConfirmation(models.Model):
    """The parties' joint application to the court to confirm a signed agreement
    (司法确认, 人民调解法 art. 33): applied for within 30 days of it taking effect;
    the court decides within 3 days whether to accept it and within 15 days of
    accepting (+10 with its president's approval) whether to confirm it
    (最高法 2011 规定 arts. 4-5)."""

    agreement = models.OneToOneField(Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT,
                                     related_name="confirmation")
    court = models.CharField(_("court"), max_length=120)
    applied_on = models.DateField(_("applied on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    extended = models.BooleanField(_("decision period extended"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=ConfirmationDecision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("judicial confirmation")
        verbose_name_plural = _("judicial confirmations")
        constraints = [
            models.CheckConstraint(condition=models.Q(decided_on__isnull=True) | ~models.Q(decision=""),
                                   name="decided_confirmation_has_decision"),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.court}"
