"""A grid worker's day: patrol logs (巡查日志), and the rewards for valuable reports
(一事一奖) at the rates admins set."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.choices import RegionLevel
from governance.history import track_versions


class Patrol(models.Model):
    """One patrol of a grid: when it started and ended, the route, and what was
    found (the events reported meanwhile are counted from the events). A patrol
    without an end is under way; a worker has at most one under way."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT,
                               related_name="patrols")
    grid = models.ForeignKey("governance.Region", verbose_name=_("grid"), on_delete=models.PROTECT,
                             related_name="patrols", limit_choices_to={"level": RegionLevel.GRID})
    started_at = models.DateTimeField(pgettext_lazy("patrol", "started at"), default=timezone.now)
    ended_at = models.DateTimeField(pgettext_lazy("patrol", "ended at"), null=True, blank=True)
    route = models.TextField(_("route"), blank=True)
    findings = models.TextField(_("what was found"), blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrol logs")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["worker"], condition=models.Q(ended_at__isnull=True),
                                    name="patrol_one_under_way"),
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True)
                                   | models.Q(ended_at__gt=models.F("started_at")),
                                   name="patrol_ends_after_start"),
        ]
        indexes = [models.Index(fields=["worker", "-started_at"], name="patrol_worker_started"),
                   models.Index(fields=["grid", "-started_at"], name="patrol_grid_started")]

    def __str__(self):
        return f"{self.worker} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def minutes(self):
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


@track_versions
class RewardRate(models.Model):
    """An amount a valuable report earns (一事一奖), set by admins, e.g. 一般线索 20 元,
    重大隐患 100 元. A reward copies the amount, so changing a rate never changes
    rewards already given."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    description = models.CharField(_("when it applies"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("reward rate")
        verbose_name_plural = _("reward rates")
        ordering = ["sort_order", "amount"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="reward_rate_not_negative")]

    def __str__(self):
        return f"{self.name}（{self.amount}）"


class Reward(models.Model):
    """A reward for one valuable report (一事一奖: at most one per event), to its
    reporting worker, counted in the ledger of the month it was given."""

    event = models.OneToOneField("grid.GridEvent", verbose_name=_("grid event"), on_delete=models.PROTECT,
                                 related_name="reward")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT,
                               related_name="grid_rewards")
    rate = models.ForeignKey(RewardRate, verbose_name=_("rate"), on_delete=models.PROTECT, related_name="rewards")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)
    # The first day of the month the reward counts in (the ledger's key).
    month = models.DateField(_("month"))
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT,
                                   related_name="+")
    awarded_at = models.DateTimeField(_("given at"), default=timezone.now)
    note = models.CharField(_("why"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-awarded_at"]
        indexes = [models.Index(fields=["month", "worker"], name="reward_month_worker")]
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1), name="reward_month_first_day")]

    def __str__(self):
        return f"{self.worker} {self.amount}"
