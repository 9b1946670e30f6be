from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Ownership(models.Model):
    """A county leader owns a hard or long-standing petition (包案): a plan, a target
    date, milestones and progress notes, until the ownership ends."""

    petition = models.ForeignKey("petitions.Petition", verbose_name=_("petition"), on_delete=models.PROTECT,
                                 related_name="ownerships")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="owned_petitions")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    plan = models.TextField(_("plan"))
    target_on = models.DateField(_("to be settled by"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_note = models.TextField(_("how it ended"), blank=True)

    class Meta:
        verbose_name = _("leader ownership")
        verbose_name_plural = _("leader ownerships")
        ordering = ["-assigned_at"]
        constraints = [models.UniqueConstraint(fields=["petition"], condition=models.Q(ended_at__isnull=True),
                                               name="one_owner_per_petition")]
        indexes = [models.Index(fields=["leader"], condition=models.Q(ended_at__isnull=True),
                                name="ownership_active_leader")]

    def __str__(self):
        return f"{self.leader} · {self.petition_id}"


class Milestone(models.Model):
    """A step of the owner's plan, with the date it is due and the date it was done."""

    ownership = models.ForeignKey(Ownership, verbose_name=_("ownership"), on_delete=models.CASCADE,
                                  related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class ProgressNote(models.Model):
    """What was done on an owned petition, by whom and when."""

    ownership = models.ForeignKey(Ownership, verbose_name=_("ownership"), on_delete=models.CASCADE,
                                  related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.text[:40]
