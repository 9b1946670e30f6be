"""The grid API's shapes: small input serializers per step, one output per model."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from governance.choices import RegionLevel
from governance.models import Organisation, Region, User
from grid.models import EventType, GridEvent, GridPhoto, JointPart, Patrol, RewardRate


class GridErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in the caller's language (Chinese by default).")


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class EventTypeSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    handle_unit = serializers.CharField(read_only=True, help_text="working_days, calendar_days or hours")
    step_unit = serializers.CharField(read_only=True, help_text="working_days, calendar_days or hours")

    class Meta:
        model = EventType
        fields = ["code", "name", "category", "is_admitted", "becomes_dispute", "handle_limit", "handle_unit",
                  "step_limit", "step_unit", "description"]


class MicroGridSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    households = serializers.IntegerField(allow_null=True)
    building_heads = serializers.ListField(child=serializers.CharField())


class GridSerializer(serializers.Serializer):
    """A grid with its current worker, households and micro-grids."""

    code = serializers.CharField()
    name = serializers.CharField()
    village = serializers.CharField()
    worker = serializers.CharField(allow_null=True, help_text="Username of the grid's worker now.")
    worker_name = serializers.CharField(allow_null=True)
    households = serializers.IntegerField(allow_null=True)
    is_mine = serializers.BooleanField()
    micro_grids = MicroGridSerializer(many=True)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = GridPhoto
        fields = ["id", "step", "round", "name", "content_type", "size", "at", "url"]

    def get_url(self, photo) -> str:
        return reverse("grid-photo", args=[photo.pk])


class JointPartSerializer(serializers.ModelSerializer):
    organisation = BodySerializer(read_only=True)

    class Meta:
        model = JointPart
        fields = ["organisation", "requested_at", "done_at", "note"]


class GridEventSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    number = serializers.CharField(source="case.number", read_only=True)
    kind = serializers.CharField(source="case.kind", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    event_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    event_type_name = serializers.CharField(source="event_type.name", read_only=True)
    grid = serializers.SlugRelatedField(slug_field="code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    place = serializers.CharField(source="case.region.code", read_only=True)
    description = serializers.CharField(source="case.narrative", read_only=True)
    address = serializers.CharField(source="case.address", read_only=True)
    holder = BodySerializer(source="case.holder", read_only=True)
    tier = serializers.CharField(source="case.tier", read_only=True)
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True)
    handling_org = BodySerializer(read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    step_overdue = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)
    joint_parts = JointPartSerializer(many=True, read_only=True)

    class Meta:
        model = GridEvent
        fields = [
            "id", "number", "kind", "status", "status_label", "event_type", "event_type_name", "grid", "grid_name",
            "place", "description", "address", "latitude", "longitude", "holder", "tier", "reporter", "reported_at",
            "handling_org", "assignee", "instruction", "feedback", "verification", "round", "step_due_at",
            "step_overdue", "step_overdue_at", "supervised_at", "rating", "rating_note", "registered_at",
            "dispatched_at", "fed_back_at", "verified_at", "closed_at", "evaluated_at", "photos", "joint_parts",
        ]

    def get_step_overdue(self, event) -> bool:
        return event.step_overdue_at is not None


class ReportSerializer(serializers.Serializer):
    """POST /events/ (multipart): what a grid worker found."""

    event_type = serializers.SlugRelatedField(
        slug_field="code", queryset=EventType.objects.select_related("category"),
        error_messages={"does_not_exist": _("Unknown event type “{value}”; the types are listed at "
                                            "/api/v1/grid/event-types/.")})
    grid = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level__in=[RegionLevel.GRID, RegionLevel.MICRO_GRID]),
        help_text="The code of one of the worker's grids, or of a micro-grid in one.",
        error_messages={"does_not_exist": _("Unknown grid code “{value}”; your grids are listed at "
                                            "/api/v1/grid/grids/?mine=true.")})
    description = serializers.CharField(max_length=2000)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180, default=None)
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list,
                                   help_text="JPEG or PNG, checked by content; see the size limits in the README.")


class GridPhotosSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), allow_empty=False)


class StepNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GridDeclineSerializer(serializers.Serializer):
    """A step that needs its reason (not registering; sending back)."""

    reason = serializers.CharField()


class GridDispatchSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True, default=None,
        help_text="The body that handles it (the center itself for its own staff, or a body serving the place).")
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), required=False, allow_null=True,
        default=None, help_text="One person of that body (optional).")
    joint = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True), many=True,
                                               required=False, default=list,
                                               help_text="Other bodies handling it jointly (会办).")
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


class GridFeedbackSerializer(serializers.Serializer):
    note = serializers.CharField()
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), allow_empty=False)


class GridVerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list,
                                   help_text="Required when the reporting worker verifies on the spot.")


class GridEvaluateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GridSuperviseSerializer(serializers.Serializer):
    instruction = serializers.CharField()


class GridJointSerializer(serializers.Serializer):
    organisations = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True),
                                                       many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class JointPartInputSerializer(serializers.Serializer):
    note = serializers.CharField()
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)


class RewardInputSerializer(serializers.Serializer):
    rate = serializers.PrimaryKeyRelatedField(queryset=RewardRate.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PatrolSerializer(serializers.ModelSerializer):
    grid = serializers.SlugRelatedField(slug_field="code",
                                        queryset=Region.objects.filter(level=RegionLevel.GRID))
    worker = serializers.SlugRelatedField(slug_field="username", read_only=True)
    minutes = serializers.IntegerField(read_only=True, allow_null=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()

    class Meta:
        model = Patrol
        fields = ["id", "worker", "grid", "started_at", "ended_at", "minutes", "route", "findings"]


class LedgerRewardSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event_id")
    number = serializers.CharField(source="event.case.number")
    event_type = serializers.CharField(source="event.event_type.name")
    rate = serializers.CharField(source="rate.name")
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    awarded_at = serializers.DateTimeField()


class LedgerLineSerializer(serializers.Serializer):
    worker = serializers.CharField(source="worker.username")
    name = serializers.CharField(source="worker.display_name")
    organisation = serializers.CharField(source="worker.organisation.name", default="")
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    rewards = LedgerRewardSerializer(many=True)


@extend_schema_serializer(many=False)  # the month's ledger: one object, though served by a list action
class LedgerSerializer(serializers.Serializer):
    month = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    workers = LedgerLineSerializer(many=True)
