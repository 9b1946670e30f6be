"""What the leaders' dashboards read: a daily summary of the matters, early
warnings and the bulletins generated for them."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Dimension(models.TextChoices):
    """What a summary row is broken down by, besides its day and place."""

    ALL = "all", _("All")
    CATEGORY = "category", _("Category")
    CHANNEL = "channel", _("Channel")
    KIND = "kind", _("Kind")


class MatterDay(models.Model):
    """The matters registered on one day at one place (its village, for grids and
    micro-grids; else its town or the county), counted once in total and once per
    category, channel and kind. Rebuilt for every day whose matters changed since the
    last refresh (``dashboards.rollup``), so a county's year is a few thousand rows.

    Every count is of the matters *registered* that day: a figure for a period says
    what became of the matters taken in during it."""

    day = models.DateField()
    place = models.ForeignKey("governance.Region", on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    value = models.CharField(max_length=40, blank=True)  # the category id, channel or kind; "" for all
    registered = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    settled_village = models.IntegerField(default=0)
    settled_town = models.IntegerField(default=0)
    settled_county = models.IntegerField(default=0)
    settled_first_visit = models.IntegerField(default=0)
    escalated_village = models.IntegerField(default=0)  # moved up from the village at least once
    escalated_town = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)  # went overdue at the county
    repeat = models.IntegerField(default=0)  # more than one visit
    open = models.IntegerField(default=0)  # still open at the refresh

    class Meta:
        verbose_name = _("daily matter summary")
        # The dashboards' right (roles table: leaders and admins), hung on the summary model.
        permissions = [("view_dashboard", _("Can see the dashboards"))]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "day", "place", "value"], name="matter_day_unique"),
        ]


class RollupState(models.Model):
    """When the summary was last brought up to date (one row)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    # The changes already counted: the refresh looks at matters updated after this.
    counted_until = models.DateTimeField(null=True, blank=True)


class WarningKind(models.TextChoices):
    SPIKE = "spike", _("Many matters of one category in one village")
    SURGE = "surge", _("A week above its four-week average")
    REPEAT_PETITIONER = "repeat_petitioner", _("Repeat petitioner")
    POLICE_REFERRALS = "police_referrals", _("Repeated police referrals")
    GROUP_PETITION = "group_petition", _("Group petition")


class WarningRule(models.Model):
    """A threshold an admin sets for one kind of early warning (研判预警)."""

    kind = models.CharField(_("kind"), max_length=20, choices=WarningKind.choices, unique=True)
    threshold = models.PositiveIntegerField(
        _("threshold"), help_text=_("Spike: matters in 7 days; repeat petitioner: petitions in 90 days; "
                                    "police referrals: referrals; group petition: people."))
    factor = models.DecimalField(_("factor"), max_digits=4, decimal_places=2, null=True, blank=True,
                                 help_text=_("Surge: how many times the four-week average a week must reach."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")

    def __str__(self):
        return self.get_kind_display()


class EarlyWarning(models.Model):
    """A warning raised by a rule: what, where, the matters behind it, and whether a
    leader has acknowledged it. ``key`` makes the same warning be raised once."""

    kind = models.CharField(_("kind"), max_length=20, choices=WarningKind.choices)
    key = models.CharField(max_length=120, unique=True)
    region = models.ForeignKey("governance.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("warning"), max_length=200)
    cases = models.ManyToManyField("governance.Case", verbose_name=_("matters"), related_name="+")
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"),
                                        on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["acknowledged_at", "-raised_at"], name="warning_open")]

    def __str__(self):
        return self.title


class BulletinKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly bulletin")
    MONTHLY = "monthly", pgettext_lazy("dashboard", "Monthly report")


class BulletinStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Bulletin(models.Model):
    """A weekly bulletin (周周通报) or monthly report for a place and period, written by
    a Celery task on the reports queue: a printable page and an Excel file."""

    kind = models.CharField(_("kind"), max_length=10, choices=BulletinKind.choices)
    region = models.ForeignKey("governance.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="+")
    period_from = models.DateField(pgettext_lazy("dashboard", "from"))
    period_to = models.DateField(pgettext_lazy("dashboard", "to"))
    status = models.CharField(_("status"), max_length=10, choices=BulletinStatus.choices,
                              default=BulletinStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    html = models.TextField(blank=True)
    workbook = models.FileField(upload_to="bulletins/%Y/", blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "period_from", "period_to"], name="bulletin_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_from}–{self.period_to}"
