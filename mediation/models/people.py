"""Who mediates and where: the mediators' profiles and the mediation rooms."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import Role
from mediation.choices import MEDIATION_BODY_KINDS, MediatorKind


class MediatorProfile(models.Model):
    """A mediator (调解员): a member of staff with the mediator role, the body they
    mediate for (a people's mediation committee, an industry committee, a studio,
    a court station, or the village station where its committee sits), their
    specialties, languages or dialects, and how many matters a month their base
    subsidy covers (the quota; each successful mediation above it earns the
    per-case amount, see ``SubsidyRate``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.CASCADE,
                                related_name="mediator_profile", limit_choices_to={"role": Role.MEDIATOR})
    body = models.ForeignKey("governance.Organisation", verbose_name=_("mediation body"), on_delete=models.PROTECT,
                             related_name="mediators", limit_choices_to={"kind__in": MEDIATION_BODY_KINDS})
    kind = models.CharField(_("kind of mediation"), max_length=16, choices=MediatorKind.choices,
                            default=MediatorKind.PEOPLES)
    specialties = models.ManyToManyField("governance.Category", verbose_name=_("specialties"), blank=True,
                                         related_name="mediators")
    languages = ArrayField(models.CharField(max_length=20), verbose_name=_("languages and dialects"),
                           default=list, blank=True, help_text=_("Separated by commas, e.g. 普通话,客家话"))
    monthly_quota = models.PositiveSmallIntegerField(
        _("monthly quota"), default=5,
        help_text=_("Successful mediations a month that the base subsidy covers."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediator profile")
        verbose_name_plural = _("mediator profiles")
        ordering = ["body__region__path", "body__name", "user__username"]

    def __str__(self):
        return str(self.user)

    def clean(self):
        if self.user_id and self.user.role != Role.MEDIATOR:
            raise ValidationError({"user": _("Only a member of staff with the mediator role can have a "
                                             "mediator profile.")})
        if self.body_id and self.body.kind not in MEDIATION_BODY_KINDS:
            raise ValidationError({"body": _("Choose a mediation body: a mediation committee, an industry "
                                             "committee, a studio, a court station or a center.")})


class Room(models.Model):
    """A mediation room (调解室) of a center, with the number of people it seats.
    Sessions book it; the database refuses two sessions in it at once."""

    center = models.ForeignKey("governance.Organisation", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="mediation_rooms", limit_choices_to={"kind": "center"})
    name = models.CharField(_("name"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=8)
    location = models.CharField(_("location"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediation room")
        verbose_name_plural = _("mediation rooms")
        ordering = ["center__region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="mediation_room_name_unique"),
            models.CheckConstraint(condition=models.Q(capacity__gte=2), name="mediation_room_capacity"),
        ]

    def __str__(self):
        return f"{self.center.short_name or self.center.name} · {self.name}"

    def clean(self):
        if self.center_id and self.center.kind != "center":
            raise ValidationError({"center": _("Rooms belong to a center.")})
