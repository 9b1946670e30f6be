"""A mediation on a matter, its team, and the admin's time limits."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from mediation.choices import (
    ACTIVE_STATUSES,
    CONCLUDED_STATUSES,
    RUNNING_STATUSES,
    MediationStatus,
    Outcome,
    Route,
    TeamRole,
)

S = MediationStatus


def _days(label, default, help_text=""):
    return models.PositiveSmallIntegerField(label, default=default, help_text=help_text,
                                            validators=[MinValueValidator(1), MaxValueValidator(366)])


class MediationRules(models.Model):
    """The time limits of mediation, one row for the county; the defaults are the
    law's and the local rules' (DOMAIN.md). Days are counted as the law counts them
    (民法典 arts. 200-203) unless said otherwise. A change applies to clocks started
    afterwards."""

    mediation_days = _days(_("mediation limit (days)"), 30,
                           _("Local rules: people's mediation is generally settled within a month."))
    extension_days = _days(_("one extension, by agreement (days)"), 30)
    mediation_remind_before = _days(_("remind this many days before the mediation limit"), 5)
    court_referred_days = _days(_("court-referred mediation before filing (days)"), 30,
                                _("诉前委派: 30 days before the court files the case."))
    confirmation_days = _days(_("judicial confirmation: apply within (days of the agreement taking effect)"), 30,
                              _("人民调解法 art. 33."))
    confirmation_remind_day = _days(_("judicial confirmation: remind on day"), 20)
    court_acceptance_days = _days(_("court decides whether to accept within (days)"), 3,
                                  _("最高法 2011 规定 art. 4."))
    court_decision_days = _days(_("court decides within (days of acceptance)"), 15, _("Art. 5."))
    court_decision_extension_days = _days(_("court's extension (days)"), 10)
    follow_up_working_days = _days(_("follow-up visit within (working days of the outcome)"), 10)

    class Meta:
        verbose_name = _("mediation time limits")
        verbose_name_plural = _("mediation time limits")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="mediation_rules_single_row")]

    def __str__(self):
        return str(_("Mediation time limits"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "MediationRules":
        return cls.objects.get_or_create(pk=1)[0]


class MediationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def of(self, user):
        """Mediations ``user`` leads or takes part in."""
        return self.filter(models.Q(lead=user) | models.Q(pk__in=TeamMember.objects.filter(user=user)
                                                         .values("mediation_id")))


class Mediation(FSMModelMixin, models.Model):
    """A mediation of a dispute by a body, led by one mediator, with a team. Its
    status moves only through ``mediation.services`` (django-fsm-2 guards each
    step; the service locks the matter, then this row, and writes the timeline
    event in the same transaction). At most one mediation per matter is active."""

    case = models.ForeignKey("governance.Case", verbose_name=_("matter"), on_delete=models.PROTECT,
                             related_name="mediations")
    body = models.ForeignKey("governance.Organisation", verbose_name=_("mediation body"),
                             on_delete=models.PROTECT, related_name="mediations")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lead mediator"), on_delete=models.PROTECT,
                             related_name="led_mediations")
    status = FSMField(_("status"), max_length=16, choices=MediationStatus.choices, default=S.PROPOSED,
                      protected=True)
    is_joint = models.BooleanField(_("joint mediation (1131)"), default=False)
    court_referred = models.BooleanField(_("court-referred (诉前委派)"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    suggestion = models.TextField(_("why this lead was suggested"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_reason = models.TextField(_("reason for declining"), blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_note = models.TextField(_("extension agreed"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    routes = ArrayField(models.CharField(max_length=16, choices=Route.choices), verbose_name=_("routes offered"),
                        default=list, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "status"], name="mediation_lead_status"),
            models.Index(fields=["lead", "outcome_at"], name="mediation_lead_outcome"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status__in=ACTIVE_STATUSES),
                                    name="one_active_mediation_per_case"),
        ]
        permissions = [
            ("conduct_mediation", _("Can conduct mediations (accept, sessions, minutes, outcome)")),
            ("follow_up_mediation", _("Can follow up, reopen and close mediations")),
            ("view_mediation_report", _("Can see every mediator's monthly report and subsidy")),
        ]

    def __str__(self):
        return f"{self.case} · {self.lead}"

    @property
    def is_running(self):
        return self.status in RUNNING_STATUSES

    @property
    def is_concluded(self):
        return self.status in CONCLUDED_STATUSES

    # The steps. Call them only through mediation.services.
    @transition(field=status, source=S.PROPOSED, target=S.ACCEPTED)
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(field=status, source=S.PROPOSED, target=S.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=S.ACCEPTED, target=S.SCHEDULED)
    def schedule(self):
        pass

    @transition(field=status, source=S.SCHEDULED, target=S.ACCEPTED)
    def unschedule(self):
        pass

    @transition(field=status, source=S.SCHEDULED, target=S.IN_MEDIATION)
    def begin(self):
        pass

    @transition(field=status, source=S.IN_MEDIATION, target=S.SUCCEEDED)
    def succeed(self):
        self.outcome, self.outcome_at = Outcome.SUCCESS, timezone.now()

    @transition(field=status, source=S.IN_MEDIATION, target=S.FAILED)
    def fail(self):
        self.outcome, self.outcome_at = Outcome.FAILURE, timezone.now()

    @transition(field=status, source=RUNNING_STATUSES, target=S.TERMINATED)
    def terminate(self):
        self.outcome, self.outcome_at = Outcome.TERMINATED, timezone.now()

    @transition(field=status, source=[*CONCLUDED_STATUSES, S.FOLLOWED_UP], target=S.FOLLOWED_UP)
    def follow_up(self):
        pass

    @transition(field=status, source=S.FOLLOWED_UP, target=S.CLOSED)
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=status, source=S.FOLLOWED_UP, target=S.ACCEPTED)
    def reopen(self):
        self.outcome, self.outcome_at, self.outcome_note, self.routes = "", None, "", []
        self.extended_at, self.extension_note = None, ""
        self.reopened_count += 1
        self.accepted_at = timezone.now()


class TeamMember(models.Model):
    """Someone beside the lead: another mediator, or one of the "1131" places of a
    joint mediation (each one person)."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("mediation"), on_delete=models.CASCADE,
                                  related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="mediation_roles")
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.MEDIATOR)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["mediation", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mediation", "user", "role"], name="team_member_unique"),
            # Each "1131" place is one person; there may be several other mediators.
            models.UniqueConstraint(fields=["mediation", "role"], condition=~models.Q(role=TeamRole.MEDIATOR),
                                    name="one_person_per_joint_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.user}"


class AccessGrant(models.Model):
    """A right on the matter this mediation gave someone who did not have it (the
    lead or a member from another body): withdrawn when it ends (declined: every
    right; closed: the right to change, so the team can still read what it did)."""

    mediation = models.ForeignKey(Mediation, verbose_name=_("mediation"), on_delete=models.CASCADE,
                                  related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="+")
    codename = models.CharField(_("permission"), max_length=40)

    class Meta:
        verbose_name = _("access given by a mediation")
        verbose_name_plural = _("access given by mediations")
        constraints = [models.UniqueConstraint(fields=["mediation", "user", "codename"],
                                               name="mediation_grant_unique")]
