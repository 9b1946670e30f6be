from rest_framework import serializers

from governance.cases.masking import mask_id_number, mask_phone
from governance.extensions import clock_handler
from governance.timers.calendar import deadline_is_provisional
from governance.timers.models import Clock
from governance.cases.models import Case, CaseEvent, Category, Party
from governance.notifications.models import Notification
from governance.organisations.models import Organisation
from governance.places.models import Region
from governance.notifications.text import notification_text


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name"]


class PartySerializer(serializers.ModelSerializer):
    """Parties with ID numbers and phones masked."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["role", "name", "id_number", "phone"]

    def get_id_number(self, party) -> str:
        return mask_id_number(party.id_number)

    def get_phone(self, party) -> str:
        return mask_phone(party.phone)


class ClockSerializer(serializers.ModelSerializer):
    """A time limit running (or run) on the matter: the tier's, a statutory step's..."""

    label = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=["running", "paused", "met", "missed", "cancelled"], read_only=True)
    provisional = serializers.SerializerMethodField(
        help_text="The due date's year has no official holiday schedule yet: the days counted may change.")

    class Meta:
        model = Clock
        fields = ["kind", "label", "unit", "limit", "started_at", "due_at", "remind_at", "paused_at", "stopped_at",
                  "state", "provisional"]

    def get_label(self, clock) -> str:
        handler = clock_handler(clock.kind)
        return str(handler.label) if handler else clock.kind

    def get_provisional(self, clock) -> bool:
        return deadline_is_provisional(clock.due_at)


class CaseSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    holder = OrganisationRefSerializer(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    clocks = ClockSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "kind", "channel", "category", "status", "tier", "holder", "region",
            "region_name", "address", "narrative", "deadline", "overdue", "overdue_at", "supervised_at",
            "visit_count", "is_anonymous", "resolved_at", "resolved_tier", "resolved_on_time",
            "settled_at_first_visit", "created_at", "updated_at", "parties", "clocks",
        ]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    from_holder = OrganisationRefSerializer(read_only=True, allow_null=True)
    to_holder = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id", "type", "at", "actor", "from_status", "to_status", "from_tier", "to_tier",
            "from_holder", "to_holder", "note", "is_public",
        ]

    def get_actor(self, event) -> str | None:
        return event.actor.username if event.actor_id else None


class StatusChangeSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MoveSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="center", is_active=True))
    reason = serializers.CharField()


class RiskFlagSerializer(serializers.Serializer):
    note = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "at", "case", "case_number", "text", "note", "read_at"]

    def get_text(self, notification) -> str:
        return notification_text(notification)


class RevealSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=200, help_text="Why the full numbers are needed (the access log keeps it).")
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=["id_number", "phone"]), required=False, allow_empty=False, min_length=1,
        help_text="Which numbers to reveal; both when left out.")


class RevealedPartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Party._meta.get_field("role").choices)
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="In full if asked for, else masked.")
    phone = serializers.CharField(help_text="In full if asked for, else masked.")


class RevealResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    parties = RevealedPartySerializer(many=True)
