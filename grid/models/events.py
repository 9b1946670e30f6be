"""Grid events: the admission list of event types, the event's closed loop (its
own state machine beside the shared matter record), its photos, the bodies of a
joint handling (会办) and the pushes it got (催办 / 督办)."""
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from governance.choices import RegionLevel
from governance.history import track_versions
from governance.timers.models import LimitUnit
from grid.choices import EventStatus, PhotoStep, Rating, UrgeKind
from grid.querysets import GridEventQuerySet

S = EventStatus


@track_versions
class EventType(models.Model):
    """A kind of event a grid worker may be given (人口信息登记, 出租房屋隐患, 消防安全,
    卫生健康, 突发事件, 矛盾纠纷 ...). Only types on the admission list (网格事项准入清单,
    ``is_admitted``) may be reported by grid workers or pushed to them; the others
    are kept so their old events still read right. Each type has a handling limit
    and a limit for each of the center's and the worker's steps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    category = models.ForeignKey("governance.Category", verbose_name=_("category of the matter"),
                                 on_delete=models.PROTECT, related_name="+")
    is_admitted = models.BooleanField(
        _("on the admission list"), default=True,
        help_text=_("Only event types on the admission list (网格事项准入清单) may be given to grid workers."))
    becomes_dispute = models.BooleanField(
        _("becomes a dispute matter"), default=False,
        help_text=_("The event is registered as a dispute handled from the village tier, and escalates as "
                    "disputes do."))
    handle_limit = models.PositiveIntegerField(_("handling limit"), default=3, validators=[MinValueValidator(1)])
    handle_unit = models.CharField(_("handling limit unit"), max_length=16, choices=LimitUnit.choices,
                                   default=LimitUnit.WORKING_DAYS)
    step_limit = models.PositiveIntegerField(
        _("limit of each other step"), default=1, validators=[MinValueValidator(1)],
        help_text=_("For registering, dispatching, verifying, closing and evaluating."))
    step_unit = models.CharField(_("unit of the other steps"), max_length=16, choices=LimitUnit.choices,
                                 default=LimitUnit.WORKING_DAYS)
    remind_at_percent = models.PositiveSmallIntegerField(
        _("remind at (percent of a limit)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(99)])
    description = models.TextField(_("what it covers"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("grid event type")
        verbose_name_plural = _("grid event types (admission list)")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


def _parts_in(event) -> bool:
    return not event.joint_parts.filter(done_at__isnull=True).exists()


class GridEvent(FSMModelMixin, models.Model):
    """A grid event in the closed loop (GB/T 30428): reported by a grid worker,
    registered and dispatched by the center that holds its matter, handled and fed
    back by the handler, verified on the spot, closed and evaluated.

    Every event is a matter (``case``, kind ``grid_event`` or ``dispute``, channel
    ``grid_report``) and shares its id: lists, scope, search, dashboards and the
    tier clock see it, and every step is written on its timeline. The state below
    changes only through ``grid.services.loop``, never by assignment."""

    case = models.OneToOneField("governance.Case", verbose_name=_("matter"), on_delete=models.PROTECT,
                                primary_key=True, related_name="grid_event")
    event_type = models.ForeignKey(EventType, verbose_name=_("event type"), on_delete=models.PROTECT,
                                   related_name="grid_events")
    grid = models.ForeignKey("governance.Region", verbose_name=_("grid"), on_delete=models.PROTECT,
                             related_name="grid_events", limit_choices_to={"level": RegionLevel.GRID})
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                 on_delete=models.PROTECT, related_name="reported_grid_events")
    status = FSMField(_("step"), max_length=16, choices=EventStatus.choices, default=S.REPORTED, protected=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    reported_at = models.DateTimeField(pgettext_lazy("grid", "reported at"), default=timezone.now)
    # Who handles it: the center's own staff or a stationed department (and one of its people).
    handling_org = models.ForeignKey("governance.Organisation", verbose_name=_("handled by"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="assigned_grid_events")
    instruction = models.TextField(_("dispatch instruction"), blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    verification = models.TextField(_("verification"), blank=True)
    # Rounds of handling: a failed verification sends the event back for another.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # The running step clock's due time and whether it ran out (kept here for lists and the grid views).
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    step_overdue_at = models.DateTimeField(_("step overdue since"), null=True, blank=True)
    supervised_at = models.DateTimeField(_("supervised at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    rating_note = models.TextField(_("evaluation"), blank=True)
    registered_at = models.DateTimeField(pgettext_lazy("grid", "registered at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(pgettext_lazy("grid", "dispatched at"), null=True, blank=True)
    fed_back_at = models.DateTimeField(pgettext_lazy("grid", "fed back at"), null=True, blank=True)
    verified_at = models.DateTimeField(pgettext_lazy("grid", "verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("grid", "closed at"), null=True, blank=True)
    evaluated_at = models.DateTimeField(pgettext_lazy("grid", "evaluated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GridEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid event")
        verbose_name_plural = _("grid events")
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["grid", "status"], name="gridevent_grid_status"),
            models.Index(fields=["reporter", "-reported_at"], name="gridevent_reporter"),
            models.Index(fields=["handling_org", "status"], name="gridevent_handling_org"),
            models.Index(fields=["assignee", "status"], name="gridevent_assignee"),
            models.Index(fields=["status", "-reported_at"], name="gridevent_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                                   | models.Q(latitude__isnull=False, longitude__isnull=False),
                                   name="gridevent_both_coordinates_or_none"),
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90)
                                   | models.Q(latitude__isnull=True), name="gridevent_latitude_range"),
            models.CheckConstraint(condition=models.Q(longitude__gte=-180, longitude__lte=180)
                                   | models.Q(longitude__isnull=True), name="gridevent_longitude_range"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5) | models.Q(rating__isnull=True),
                                   name="gridevent_rating_range"),
        ]
        permissions = [
            ("report_gridevent", _("Can report grid events")),
            ("command_gridevent", _("Can register, dispatch, verify, close and evaluate grid events")),
            ("handle_gridevent", _("Can handle grid events and feed back")),
            ("verify_gridevent", _("Can verify one's own reports on the spot")),
            ("urge_gridevent", _("Can urge grid events")),
            ("supervise_gridevent", _("Can supervise grid events")),
            ("oversee_gridevent", _("Can see the grid overview and map")),
        ]

    def __str__(self):
        return self.case.number if "case" in self._state.fields_cache else str(self.pk)

    @property
    def is_open(self):
        from grid.choices import OPEN_EVENT_STATUSES

        return self.status in OPEN_EVENT_STATUSES

    # The loop. Call these only through grid.services.loop, which locks the rows,
    # checks who may, moves the step clocks and writes the timeline.
    @transition(field=status, source=S.REPORTED, target=S.REGISTERED)
    def register(self):
        self.registered_at = timezone.now()

    @transition(field=status, source=S.REPORTED, target=S.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=S.REGISTERED, target=S.DISPATCHED)
    def dispatch(self):
        self.dispatched_at = timezone.now()

    @transition(field=status, source=S.DISPATCHED, target=S.HANDLING)
    def handle(self):
        pass

    @transition(field=status, source=[S.DISPATCHED, S.HANDLING], target=S.REGISTERED)
    def send_back(self):
        self.handling_org = self.assignee = None

    @transition(field=status, source=S.HANDLING, target=S.FED_BACK)
    def feed_back(self):
        self.fed_back_at = timezone.now()

    @transition(field=status, source=S.FED_BACK, target=S.VERIFIED)
    def verify(self):
        self.verified_at = timezone.now()

    @transition(field=status, source=S.FED_BACK, target=S.HANDLING)
    def fail_verification(self):
        self.round += 1

    @transition(field=status, source=S.VERIFIED, target=S.CLOSED, conditions=[_parts_in])
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=status, source=S.CLOSED, target=S.EVALUATED)
    def evaluate(self):
        self.evaluated_at = timezone.now()


def photo_path(photo, filename):
    return f"grid/{timezone.localdate():%Y/%m}/{secrets.token_hex(8)}-{filename[-60:]}"


class GridPhoto(models.Model):
    """A photo of an event: taken when reporting, with the handler's feedback, at the
    verification on the spot, or with a body's part of a joint handling. Its type is
    checked from its content, not its name (grid.photos)."""

    event = models.ForeignKey(GridEvent, verbose_name=_("grid event"), on_delete=models.CASCADE,
                              related_name="photos")
    step = models.CharField(_("taken at"), max_length=12, choices=PhotoStep.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    name = models.CharField(_("name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("grid event photo")
        verbose_name_plural = _("grid event photos")
        ordering = ["at", "id"]

    def __str__(self):
        return self.name


class JointPart(models.Model):
    """One body's part of a joint handling (会办): the event closes only when every
    part is in."""

    event = models.ForeignKey(GridEvent, verbose_name=_("grid event"), on_delete=models.CASCADE,
                              related_name="joint_parts")
    organisation = models.ForeignKey("governance.Organisation", verbose_name=_("body"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    note = models.TextField(_("what it did"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("joint handling part")
        verbose_name_plural = _("joint handling parts")
        ordering = ["event", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="joint_part_once_per_body"),
            models.CheckConstraint(condition=models.Q(done_at__isnull=True) | ~models.Q(note=""),
                                   name="joint_part_done_with_a_note"),
        ]
        indexes = [models.Index(fields=["organisation"], condition=models.Q(done_at__isnull=True),
                                name="joint_part_pending")]

    def __str__(self):
        return f"{self.event_id} · {self.organisation}"


class Urge(models.Model):
    """A push on an event's current step: urged automatically when the step's clock
    ran out, urged by hand (催办), or supervised by a leader with an instruction (督办)."""

    event = models.ForeignKey(GridEvent, verbose_name=_("grid event"), on_delete=models.CASCADE,
                              related_name="urges")
    kind = models.CharField(_("kind"), max_length=12, choices=UrgeKind.choices)
    status = models.CharField(_("at the step"), max_length=16, choices=EventStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL,
                           null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("urge or supervision")
        verbose_name_plural = _("urges and supervision")
        ordering = ["event", "at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.event_id}"
