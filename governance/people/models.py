from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import Role


class User(AbstractUser):
    """A member of staff: belongs to one organisation and has one role there.

    The organisation's region decides which matters the person sees (see
    ``CaseQuerySet.restrict``); grants on single matters add to that.
    """

    organisation = models.ForeignKey(
        "governance.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="staff",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @property
    def display_name(self):
        return str(self)
