"""What triage keeps: each county's settings, its trained models (every version,
one in use), and every suggestion offered with what the clerk then chose."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TriageSettings(models.Model):
    """How much history a county needs before it gets suggestions, set by an admin."""

    county = models.OneToOneField("governance.Region", verbose_name=_("county"), on_delete=models.CASCADE,
                                  related_name="+", limit_choices_to={"depth": 1})
    min_matters = models.PositiveIntegerField(
        _("closed matters needed"), default=300,
        help_text=_("With fewer closed matters than this, no model is trained and no category is suggested."))
    min_per_category = models.PositiveIntegerField(
        _("closed matters needed per category"), default=20,
        help_text=_("A category with fewer closed matters is left out of the model and never suggested."))
    max_matters = models.PositiveIntegerField(
        _("matters to learn from"), default=50000,
        help_text=_("The newest closed matters up to this number; older ones are left out."))
    nightly = models.BooleanField(_("train every night"), default=True)

    class Meta:
        verbose_name = _("triage settings")
        verbose_name_plural = _("triage settings")

    def __str__(self):
        return str(self.county)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from intake.triage.suggestions import forget

        forget()  # this process at once; other workers within a minute (MEMO_SECONDS)

    @classmethod
    def for_county(cls, county) -> "TriageSettings":
        found = cls.objects.filter(county=county).first()
        return found if found is not None else cls.objects.get_or_create(county=county)[0]


class ModelStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Too little history")


RUNNING_STATUSES = (ModelStatus.QUEUED, ModelStatus.TRAINING)


class TriageModel(models.Model):
    """One training of a county's model: requested, run (with its progress), and
    if it succeeded, the fitted model with its training date, the number of matters
    it learnt from and its accuracy on matters held out of its training. Every
    version is kept; exactly one ready version per county is in use, and an admin
    can go back to an earlier one. A failed training leaves the one in use alone."""

    county = models.ForeignKey("governance.Region", verbose_name=_("county"), on_delete=models.CASCADE,
                               related_name="+")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.QUEUED)
    is_active = models.BooleanField(_("in use"), default=False)
    algorithm = models.CharField(_("algorithm"), max_length=40, blank=True)
    trigger = models.CharField(_("started by"), max_length=10,
                               choices=[("nightly", _("Nightly")), ("admin", _("Administrator")),
                                        ("demo", _("Demo"))], default="admin")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    trained_at = models.DateTimeField(_("trained at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    matters = models.PositiveIntegerField(_("matters"), default=0)
    categories = models.PositiveSmallIntegerField(_("categories"), default=0)
    heldout_top1 = models.FloatField(_("held-out accuracy"), null=True, blank=True)
    heldout_top3 = models.FloatField(_("held-out top-3 accuracy"), null=True, blank=True)
    seconds = models.FloatField(_("training time (s)"), null=True, blank=True)
    # What the data looked like (count, newest change, categories): the nightly run
    # skips a county whose data has not changed since the model in use.
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    # How often each organisation resolved each category here: {category code: {organisation id: count}}.
    holders = models.JSONField(_("resolving organisations"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    blob = models.BinaryField(_("fitted model"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["county", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "version"], name="triage_model_version_unique"),
            models.UniqueConstraint(fields=["county"], condition=Q(is_active=True), name="triage_model_one_active"),
            # One training at a time per county: a second request while one is
            # queued or running is refused by the database, not by luck.
            models.UniqueConstraint(fields=["county"], condition=Q(status__in=RUNNING_STATUSES),
                                    name="triage_model_one_running"),
        ]

    def __str__(self):
        return _("%(county)s model v%(version)s") % {"county": self.county, "version": self.version}


class Door(models.TextChoices):
    DESK = "desk", _("Window desk")
    TRIAGE = "triage", _("Triage page")
    API = "api", _("API")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted the first suggestion")
    ALTERNATIVE = "alternative", _("Chose the second or third suggestion")
    OVERRIDDEN = "overridden", _("Chose another category")


class Suggestion(models.Model):
    """A suggestion offered to a person (updated while they type) and, once the
    matter is registered or its category confirmed, what they chose: the
    acceptance rate per suggested category comes from these rows."""

    model = models.ForeignKey(TriageModel, verbose_name=_("model"), on_delete=models.SET_NULL, null=True,
                              related_name="suggestions")
    door = models.CharField(_("door"), max_length=8, choices=Door.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("offered to"), on_delete=models.SET_NULL,
                             null=True, related_name="+")
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    suggested = models.ForeignKey("governance.Category", verbose_name=_("suggested category"),
                                  on_delete=models.CASCADE, related_name="+", db_index=False)  # see Meta
    # The top three as offered last: [{"category": code, "score": 0.81}, ...]
    offered = models.JSONField(_("offered"), default=list)
    holder = models.ForeignKey("governance.Organisation", verbose_name=_("suggested holder"),
                               on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")
    chosen = models.ForeignKey("governance.Category", verbose_name=_("chosen category"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    clicked = models.BooleanField(_("chip clicked"), default=False)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("triage suggestion")
        verbose_name_plural = _("triage suggestions")
        ordering = ["-offered_at"]
        indexes = [models.Index(fields=["suggested", "outcome"], name="triage_suggestion_outcome")]

    def __str__(self):
        return f"{self.suggested} → {self.chosen or '…'}"
