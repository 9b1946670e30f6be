from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.history import track_changes
from governance.choices import TIER_OF_LEVEL, OrganisationKind, StationMode


@track_changes()
class Organisation(models.Model):
    """A body that holds matters: a center at some tier, a stationed department,
    a mediation organisation, a court station... It sits at a region, and its
    staff see the matters of that region's subtree."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "governance.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    station_mode = models.CharField(
        _("stationed as"), max_length=12, choices=StationMode.choices, blank=True,
        help_text=_("For departments stationed at the county center."),
    )
    categories = models.ManyToManyField(
        "governance.Category", verbose_name=_("categories handled"), blank=True, related_name="organisations"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            # One center per region: escalation moves a matter to "the" center above.
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(kind="center"), name="one_center_per_region"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tier(self):
        return TIER_OF_LEVEL[self.region.level]
