from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from governance.choices import (
    OPEN_STATUSES,
    CaseKind,
    CaseStatus,
    Channel,
    EventType,
    GrantPurpose,
    PartyRole,
    Tier,
)
from governance.history import track_changes
from governance.cases.querysets import CaseQuerySet, search_bigrams

S = CaseStatus


@track_changes()
class Category(models.Model):
    """A class of matter (婚姻家庭, 邻里, 劳资 ...); admins keep the list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class CaseNumberSequence(models.Model):
    """The last number handed out per year; one UPSERT allocates without races."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")


@track_changes(ignore=["updated_at"])
class Case(FSMModelMixin, models.Model):
    """A matter (事项): one record per complaint, dispute, petition or grid event,
    whatever the channel, shared by every app. Its history is the append-only
    timeline of ``CaseEvent`` rows; status changes go through the services in
    ``governance.cases.services``, never by assigning ``status``."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # category, region and holder are indexed by the composite indexes in Meta, which
    # start with them; a second index each would only slow every escalation's update.
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, db_index=False)
    region = models.ForeignKey(
        "governance.Region", verbose_name=_("place"), on_delete=models.PROTECT, related_name="cases",
        db_index=False,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    narrative = models.TextField(_("narrative"))
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices)
    holder = models.ForeignKey(
        "governance.Organisation", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="held_cases",
        db_index=False,
    )
    status = FSMField(_("status"), max_length=16, choices=CaseStatus.choices, default=S.REGISTERED, protected=True)
    # The running tier clock's due time (governance.timers), kept here for lists and filters.
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # Set when the tier clock ran out at the county (no tier above): the matter is
    # on the supervision list until it is resolved or moved.
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("last supervised at"), null=True, blank=True)
    visit_count = models.PositiveIntegerField(_("visits"), default=1)
    # Reported with no personal details (a hotline's anonymous report): no applicant to call back.
    is_anonymous = models.BooleanField(_("anonymous"), default=False, db_default=False)
    # Signals that escalate at once (see SignalRule): referrals counted, risk flagged.
    police_referrals = models.PositiveSmallIntegerField(_("police referrals"), default=0, db_default=0)
    risk_flagged_at = models.DateTimeField(_("risk of extreme action flagged at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # What the dashboards measure, kept as it was at the moment of resolution, so
    # nothing later (a repeat visit linked afterwards, a move after reopening) can
    # change it: the tier and holder that resolved it, whether within the limit then
    # in force, and whether the first visit settled it (最多访一次). Cleared on reopen.
    # db_default: the demo generator writes matters with COPY, which leaves out this column.
    resolved_tier = models.CharField(_("tier at resolution"), max_length=8, choices=Tier.choices, blank=True,
                                     default="", db_default="")
    resolved_holder = models.ForeignKey(
        "governance.Organisation", verbose_name=_("holder at resolution"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    resolved_on_time = models.BooleanField(_("resolved within its limit"), null=True, blank=True)
    settled_at_first_visit = models.BooleanField(_("settled at the first visit"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The lists' order and their keyset pages: newest first, id breaking ties.
            models.Index(fields=["-created_at", "-id"], name="case_created_id"),
            models.Index(fields=["status", "tier"], name="case_status_tier"),
            # The dashboards' summary is rebuilt for the days of the matters changed since its last refresh.
            models.Index(fields=["updated_at"], name="case_updated"),
            models.Index(fields=["region", "-created_at"], name="case_region_created"),
            models.Index(fields=["holder", "status"], name="case_holder_status"),
            models.Index(fields=["category", "-created_at"], name="case_category_created"),
            models.Index(
                fields=["deadline"], name="case_open_deadline",
                condition=models.Q(status__in=OPEN_STATUSES, deadline__isnull=False),
            ),
            models.Index(
                fields=["overdue_at"], name="case_supervision",
                condition=models.Q(status__in=OPEN_STATUSES, overdue_at__isnull=False),
            ),
        ]
        # The actions of the role table (governance.people.roles) beyond add/change/view.
        permissions = [
            ("supervise_case", _("Can supervise matters")),
            ("triage_case", _("Can triage matters")),
            ("move_case", _("Can move matters between tiers")),
            ("flag_risk_case", _("Can flag a risk of extreme action")),
            ("reveal_personal_data", _("Can reveal personal data with a purpose")),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def clock(self, kind="tier"):
        """The running clock of ``kind`` (default: the tier's limit), or None."""
        return self.clocks.filter(kind=kind, stopped_at__isnull=True).first()

    @property
    def is_overdue(self):
        return self.is_open and self.deadline is not None and self.deadline < timezone.now()

    # Allowed status changes. Call them only through governance.cases.services,
    # which locks the row and writes the timeline event in the same transaction.
    @transition(field=status, source=S.REGISTERED, target=S.IN_PROGRESS)
    def accept(self):
        pass

    @transition(field=status, source=[S.REGISTERED, S.IN_PROGRESS], target=S.RESOLVED)
    def resolve(self):
        self.resolved_at = timezone.now()
        self.resolved_tier, self.resolved_holder_id = self.tier, self.holder_id
        # Against the deadline in force at this moment: the one place that says what
        # "within its limit" means (the clock table will answer it when it lands).
        self.resolved_on_time = None if self.deadline is None else self.resolved_at <= self.deadline
        self.settled_at_first_visit = self.visit_count == 1

    @transition(field=status, source=S.IN_PROGRESS, target=S.UNRESOLVED)
    def mark_unresolved(self):
        pass

    @transition(field=status, source=[S.REGISTERED, S.IN_PROGRESS], target=S.TERMINATED)
    def terminate(self):
        pass

    @transition(field=status, source=[S.RESOLVED, S.UNRESOLVED], target=S.IN_PROGRESS)
    def reopen(self):
        self.resolved_at = None
        self.resolved_tier, self.resolved_holder_id = "", None
        self.resolved_on_time = self.settled_at_first_visit = None

    @transition(field=status, source=[S.RESOLVED, S.UNRESOLVED, S.TERMINATED], target=S.CLOSED)
    def close(self):
        self.closed_at = timezone.now()


class CaseText(models.Model):
    """What the one search box and the similar-matter lookup read: the matter's
    narrative, and its number, address, narrative and parties' names, phones and
    addresses in one column (``search_text``), written once at registration
    (``governance.cases.texts``), when none of them changes any more.

    A table apart from the matter's row so that its text indexes (trigrams and
    character pairs; intake adds one on the narrative) are written once: every
    change of a matter's tier, holder or deadline writes the matter's row again, with
    an entry in each of its indexes, and these three cost more than all the others
    together (the sweep's 10,000 escalations: 5.7 s with them on the matter, 1.8 s without, see
    scripts/bench.py). The narrative is kept on the matter too, where every page reads it.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="text",
                                verbose_name=_("matter"))
    narrative = models.TextField(_("narrative"))
    search_text = models.TextField(editable=False)

    class Meta:
        verbose_name = _("matter text")
        indexes = [
            GinIndex(fields=["search_text"], name="case_search_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(search_bigrams(), name="case_search_bigrams"),
        ]

    def __str__(self):
        return str(self.case_id)


# The fields a status change may set (Case.resolve and Case.reopen keep the resolution facts).
STATUS_FIELDS = ["status", "resolved_at", "resolved_tier", "resolved_holder", "resolved_on_time",
                 "settled_at_first_visit", "closed_at", "updated_at"]


@track_changes()
class Party(models.Model):
    """A person or body in a matter: the applicant, the respondent, others."""

    case = models.ForeignKey(Case, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    name = models.CharField(_("name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "role", "id"]

    def __str__(self):
        return self.name


class CaseEvent(models.Model):
    """One entry of a matter's timeline: who did what, when, from what to what.

    Append-only: a database trigger refuses UPDATE and DELETE (see migration 0002).
    ``is_public`` marks what the citizen may see on the public status page.
    """

    case = models.ForeignKey(Case, verbose_name=_("matter"), on_delete=models.PROTECT, related_name="events",
                             db_index=False)  # indexed by caseevent_case_at
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices, blank=True)
    from_tier = models.CharField(_("from tier"), max_length=8, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("to tier"), max_length=8, choices=Tier.choices, blank=True)
    from_holder = models.ForeignKey(
        "governance.Organisation", verbose_name=_("from holder"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    to_holder = models.ForeignKey(
        "governance.Organisation", verbose_name=_("to holder"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self):
        return f"{self.get_type_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A grant of one matter to one person (django-guardian, direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")
    purpose = models.CharField(_("purpose"), max_length=20, choices=GrantPurpose.choices, blank=True,
                               default=GrantPurpose.STANDING)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("matter grant (person)")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A grant of one matter to a group of people."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("matter grant (group)")
