import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from governance.history import track_versions
from governance.timers.models import LimitUnit
from petitions.choices import Ground, Link, Period, Step

S = Step

# Every allowed change of ``Petition.step``: the django-fsm transitions below, and
# a database trigger that refuses any other (also for set-based updates, e.g. the
# sweep concluding petitions whose review window lapsed).
TRANSITIONS = [
    (S.REGISTERED, S.FORWARDED), (S.FORWARDED, S.REGISTERED),
    (S.REGISTERED, S.ACCEPTED), (S.FORWARDED, S.ACCEPTED),
    (S.REGISTERED, S.NOT_ACCEPTED), (S.FORWARDED, S.NOT_ACCEPTED),
    (S.ACCEPTED, S.REPLIED),
    (S.REPLIED, S.REVIEW_REQUESTED), (S.REVIEW_REQUESTED, S.REVIEWED),
    (S.REVIEWED, S.RE_REVIEW_REQUESTED), (S.RE_REVIEW_REQUESTED, S.FINAL),
    (S.REPLIED, S.CONCLUDED), (S.REVIEWED, S.CONCLUDED),
    # A request received in time but registered after the sweep concluded the petition.
    (S.CONCLUDED, S.REVIEW_REQUESTED), (S.CONCLUDED, S.RE_REVIEW_REQUESTED),
]


class PetitionOffice(models.Model):
    """An organisation that is a petition office (信访部门, e.g. 县信访局): what it
    registers it must forward or assign within the forward period (art. 22).
    A petition registered by any other body is decided on by that body (art. 23)."""

    organisation = models.OneToOneField("governance.Organisation", verbose_name=_("organisation"),
                                        on_delete=models.CASCADE, related_name="petition_office")

    class Meta:
        verbose_name = _("petition office")
        verbose_name_plural = _("petition offices")

    def __str__(self):
        return str(self.organisation)


@track_versions
class StatutoryPeriod(models.Model):
    """One statutory period as an admin set it (defaults in ``petitions.periods``):
    how long, counted how, and how long before its end to remind. Changes apply to
    clocks started afterwards; every version is kept."""

    period = models.CharField(_("period"), max_length=20, choices=Period.choices, unique=True)
    limit = models.PositiveSmallIntegerField(_("time limit"), validators=[MinValueValidator(1),
                                                                          MaxValueValidator(366)])
    unit = models.CharField(_("unit"), max_length=16, default=LimitUnit.CALENDAR_DAYS, choices=[
        (LimitUnit.CALENDAR_DAYS, LimitUnit.CALENDAR_DAYS.label), (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_DAYS.label)])
    remind_before = models.PositiveSmallIntegerField(
        _("remind this long before the end"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("In the period's unit; empty: no reminder."))

    class Meta:
        verbose_name = _("statutory period")
        verbose_name_plural = _("statutory periods")
        ordering = ["id"]

    def __str__(self):
        return self.get_period_display()

    def clean(self):
        if self.remind_before and self.limit and self.remind_before >= self.limit:
            raise ValidationError({"remind_before": _("The reminder must come before the end of the period.")})


class Petition(FSMModelMixin, models.Model):
    """A petition (信访事项): the statutory record beside its matter (``case``, which
    shares its id). ``step`` changes only through ``petitions.services`` (guarded by
    django-fsm and by a database trigger); each step's period runs as a clock of the
    core's clock table (``petitions.clocks``), counted from the dates recorded here:
    receipt, forwarding, acceptance, and the dates documents were served."""

    case = models.OneToOneField("governance.Case", verbose_name=_("matter"), on_delete=models.PROTECT,
                                primary_key=True, related_name="petition")
    step = FSMField(_("step"), max_length=24, choices=Step.choices, default=S.REGISTERED, protected=True)
    received_on = models.DateField(_("received on"), help_text=_("The periods count from receipt, not registration."))
    group_size = models.PositiveIntegerField(_("number of petitioners"), default=1)
    addressed_to = models.CharField(_("addressed to"), max_length=120)
    office = models.ForeignKey("governance.Organisation", verbose_name=_("petition office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("The petition office that registered it and must forward it."))
    original = models.ForeignKey("governance.Case", verbose_name=_("earlier matter"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="later_petitions")
    link = models.CharField(_("link to the earlier matter"), max_length=16, choices=Link.choices, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    forwarded_to = models.ForeignKey("governance.Organisation", verbose_name=_("forwarded to"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    send_back_until = models.DateField(_("may be sent back until"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    not_accepted_on = models.DateField(_("not accepted on"), null=True, blank=True)
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices, blank=True)
    reason = models.TextField(_("reason not accepted"), blank=True)
    proper_channel = models.TextField(_("proper channel"), blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("extension approved by"),
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_on = models.DateField(_("reply served on"), null=True, blank=True)
    review_requested_on = models.DateField(_("review asked on"), null=True, blank=True)
    review_organ = models.CharField(_("reviewing organ"), max_length=120, blank=True)
    reviewed_on = models.DateField(_("review opinion served on"), null=True, blank=True)
    re_review_requested_on = models.DateField(_("re-review asked on"), null=True, blank=True)
    re_review_organ = models.CharField(_("re-reviewing organ"), max_length=120, blank=True)
    re_reviewed_on = models.DateField(_("re-review opinion served on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    # Set by the sweep when an organ's period ran out; cleared when the step moves on.
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-case"]
        indexes = [
            models.Index(fields=["step", "received_on"], name="petition_step_received"),
            models.Index(fields=["received_on"], name="petition_received"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(group_size__gte=1), name="petition_group_size_positive"),
            models.CheckConstraint(condition=models.Q(original__isnull=True, link="")
                                   | models.Q(original__isnull=False) & ~models.Q(link=""),
                                   name="petition_link_names_original"),
            models.CheckConstraint(condition=models.Q(extension_days__isnull=True)
                                   | models.Q(extension_days__gte=1, extension_days__lte=366),
                                   name="petition_extension_days"),
        ]
        triggers = [pgtrigger.FSM(name="petition_step_fsm", field="step",
                                  transitions=[(a.value, b.value) for a, b in TRANSITIONS])]
        permissions = [
            ("register_petition", _("Can register petitions")),
            ("forward_petition", _("Can forward petitions to the responsible body")),
            ("handle_petition", _("Can decide on petitions (accept, reply, review)")),
            ("approve_extension", _("Can approve extending a petition's reply")),
            ("own_petition", _("Can assign and own hard petitions (包案)")),
            ("book_reception", _("Can book and record leaders' receptions")),
        ]

    def __str__(self):
        return str(self.case)

    @property
    def is_group(self):
        return self.group_size > 1

    @property
    def is_open(self):
        from petitions.choices import OPEN_STEPS

        return self.step in OPEN_STEPS

    # The steps. Call them only through petitions.services (row locked, dates set,
    # clocks and timeline written in the same transaction).
    @transition(field=step, source=S.REGISTERED, target=S.FORWARDED)
    def forward(self):
        pass

    @transition(field=step, source=S.FORWARDED, target=S.REGISTERED)
    def send_back(self):
        pass

    @transition(field=step, source=[S.REGISTERED, S.FORWARDED], target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=step, source=[S.REGISTERED, S.FORWARDED], target=S.NOT_ACCEPTED)
    def not_accept(self):
        pass

    @transition(field=step, source=S.ACCEPTED, target=S.ACCEPTED)
    def extend(self):
        pass

    @transition(field=step, source=S.ACCEPTED, target=S.REPLIED)
    def reply(self):
        pass

    @transition(field=step, source=[S.REPLIED, S.CONCLUDED], target=S.REVIEW_REQUESTED,
                conditions=[lambda p: p.reviewed_on is None])
    def request_review(self):
        pass

    @transition(field=step, source=S.REVIEW_REQUESTED, target=S.REVIEWED)
    def decide_review(self):
        pass

    @transition(field=step, source=[S.REVIEWED, S.CONCLUDED], target=S.RE_REVIEW_REQUESTED,
                conditions=[lambda p: p.reviewed_on is not None])
    def request_re_review(self):
        pass

    @transition(field=step, source=S.RE_REVIEW_REQUESTED, target=S.RE_REVIEW_REQUESTED)
    def pause(self):
        pass

    @transition(field=step, source=S.RE_REVIEW_REQUESTED, target=S.RE_REVIEW_REQUESTED)
    def resume(self):
        pass

    @transition(field=step, source=S.RE_REVIEW_REQUESTED, target=S.FINAL)
    def decide_re_review(self):
        pass


class Petitioner(models.Model):
    """A person petitioning (one of the matter's applicants); in a group petition
    the representatives chosen (at most 5, art. 20) are marked."""

    petition = models.ForeignKey(Petition, verbose_name=_("petition"), on_delete=models.CASCADE,
                                 related_name="petitioners")
    party = models.OneToOneField("governance.Party", verbose_name=_("party"), on_delete=models.CASCADE,
                                 related_name="petitioner")
    is_representative = models.BooleanField(_("representative"), default=False)

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["petition", "-is_representative", "id"]

    def __str__(self):
        return str(self.party)
