"""Input and output of the petitions API. ID numbers and phones are masked in
every answer; only the printed notices show them whole."""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from governance.cases.masking import mask_id_number, mask_phone
from governance.choices import PLACE_LEVELS
from governance.models import Category, Organisation, Region, User
from intake.validators import clean_phone, clean_resident_id
from petitions import clocks
from petitions.choices import PETITION_CHANNELS, Service


@extend_schema_serializer(component_name="PetitionPerson")  # mediation's components are Person, Error
class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_id_number(self, value):
        return clean_resident_id(value) if value.strip() else ""

    def validate_phone(self, value):
        return clean_phone(value) if value.strip() else ""


class PetitionCreateSerializer(serializers.Serializer):
    received_on = serializers.DateField(help_text="The day the petition was received: its periods count from it.")
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in PETITION_CHANNELS])
    petitioners = PersonSerializer(many=True, required=False, default=list)
    group_size = serializers.IntegerField(min_value=1, default=1, help_text="How many people petition together.")
    representatives = PersonSerializer(many=True, required=False, default=list,
                                       help_text="A group's representatives: at most 5 (art. 20).")
    addressed_to = serializers.CharField(max_length=120)
    narrative = serializers.CharField(max_length=5000)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True),
        error_messages={"does_not_exist": gettext_lazy("Unknown category code “{value}”; "
                                                       "the codes are listed at /api/v1/categories/.")})
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level__in=PLACE_LEVELS),
        error_messages={"does_not_exist": gettext_lazy("Unknown place code “{value}”; "
                                                       "the codes are listed at /api/v1/regions/.")})
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    repeat_of = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="The id of a matter offered by /candidates/: the petition becomes a repeat visit on it, or is "
                  "recorded as not accepted (the matter is final, art. 36, or handled below, art. 19).")

    def validate_region(self, region):
        user = self.context["request"].user
        if not user.is_superuser and user.organisation_id is not None:
            if not region.path.startswith(user.organisation.region.county_path):
                raise serializers.ValidationError(_("This place is not in your county."))
        return region


class CandidatesRequestSerializer(serializers.Serializer):
    id_numbers = serializers.ListField(child=serializers.CharField(max_length=24), required=False, default=list)
    phones = serializers.ListField(child=serializers.CharField(max_length=24), required=False, default=list)
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.filter(is_active=True))


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    number = serializers.CharField(source="case.number")
    status = serializers.CharField(source="case.status")
    petition_status = serializers.CharField(source="petition.step", allow_null=True, default=None)
    holder = serializers.CharField(source="case.holder.name")
    created_at = serializers.DateTimeField(source="case.created_at")
    link = serializers.ChoiceField(choices=["repeat_visit", "final", "handled_below"],
                                   help_text="What registering with repeat_of set to this id does.")


class DueSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The last day of the period (it ends at 24:00).")
    days_left = serializers.IntegerField(allow_null=True, help_text="Days from today to the last day; negative "
                                         "when past; null once the step was taken; frozen while paused.")
    state = serializers.ChoiceField(choices=["running", "paused", "met", "missed", "cancelled"])
    provisional = serializers.BooleanField(help_text="Counted with holidays by rule: the date may still change.")


class PersonOutSerializer(serializers.Serializer):
    name = serializers.CharField(source="party.name")
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    representative = serializers.BooleanField(source="is_representative")

    def get_id_number(self, petitioner) -> str:
        return mask_id_number(petitioner.party.id_number)

    def get_phone(self, petitioner) -> str:
        return mask_phone(petitioner.party.phone)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    version = serializers.IntegerField()
    issued_on = serializers.DateField()
    served_on = serializers.DateField(allow_null=True)
    service = serializers.CharField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    print_url = serializers.SerializerMethodField()

    def get_print_url(self, document) -> str:
        return reverse("petitions-document", args=[document.pk])


class PetitionOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(DueSerializer(allow_null=True))
class DueField(serializers.Field):
    """One statutory deadline of the petition: its last day with the days left, null until it applies."""

    def __init__(self, field, **kwargs):
        self.deadline_field = field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, petition):
        if not hasattr(petition, "_deadlines"):
            petition._deadlines = clocks.deadlines(petition.case)
        summary = petition._deadlines[self.deadline_field]
        return DueSerializer(summary).data if summary else None


class PetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField(source="case.number")
    status = serializers.CharField(source="step", help_text="The statutory step.")
    status_label = serializers.CharField(source="get_step_display")
    case_status = serializers.CharField(source="case.status")
    channel = serializers.CharField(source="case.channel")
    category = serializers.CharField(source="case.category.code")
    region = serializers.CharField(source="case.region.code")
    holder = PetitionOrganisationSerializer(source="case.holder")
    received_on = serializers.DateField()
    group_size = serializers.IntegerField()
    addressed_to = serializers.CharField()
    narrative = serializers.CharField(source="case.narrative")
    petitioners = PersonOutSerializer(many=True, help_text="ID numbers and phones masked.")
    visit_count = serializers.IntegerField(source="case.visit_count")
    link = serializers.CharField(help_text="How it is tied to the earlier matter: final (art. 36), "
                                           "handled_below (art. 19), or empty.")
    original = serializers.IntegerField(source="original_id", allow_null=True)
    forwarded_on = serializers.DateField(allow_null=True)
    forwarded_to = PetitionOrganisationSerializer(allow_null=True)
    send_back_until = serializers.DateField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    not_accepted_on = serializers.DateField(allow_null=True)
    ground = serializers.CharField()
    reason = serializers.CharField()
    proper_channel = serializers.CharField()
    extension_days = serializers.IntegerField(allow_null=True)
    extension_reason = serializers.CharField()
    replied_on = serializers.DateField(allow_null=True)
    review_requested_on = serializers.DateField(allow_null=True)
    review_organ = serializers.CharField()
    reviewed_on = serializers.DateField(allow_null=True)
    re_review_requested_on = serializers.DateField(allow_null=True)
    re_review_organ = serializers.CharField()
    re_reviewed_on = serializers.DateField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True)
    overdue_since = serializers.DateTimeField(allow_null=True)
    forward_due = DueField("forward_due", help_text="Forward within 15 days of receipt (art. 22).")
    acceptance_due = DueField("acceptance_due", help_text="Decide and tell within 15 days (art. 23).")
    reply_due = DueField("reply_due", help_text="Reply within 60 days of acceptance (art. 34).")
    review_request_due = DueField("review_request_due", help_text="Ask for a review within 30 days of the reply.")
    review_due = DueField("review_due", help_text="Decide the review within 30 days (art. 35).")
    re_review_request_due = DueField("re_review_request_due", help_text="Ask for a re-review within 30 days.")
    re_review_due = DueField("re_review_due", help_text="Decide the re-review within 30 days, hearings not "
                                                        "counted (art. 35).")
    documents = DocumentSerializer(many=True)


class RegisteredSerializer(PetitionSerializer):
    outcome = serializers.ChoiceField(choices=["registered", "not_accepted", "repeat_visit"], read_only=True)


@extend_schema_serializer(component_name="PetitionError")
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class WindowClosedSerializer(ErrorSerializer):
    window_closed_on = serializers.DateField()


# -- actions ------------------------------------------------------------------------------

class ServedSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    served_on = serializers.DateField(help_text="When the notice reached the petitioner: their windows count "
                                                "from it.")
    service = serializers.ChoiceField(choices=Service.choices)


class ForwardSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    forwarded_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SendBackSerializer(serializers.Serializer):
    sent_on = serializers.DateField()
    reason = serializers.CharField()


class NotAcceptSerializer(ServedSerializer):
    reason = serializers.CharField()
    proper_channel = serializers.CharField(help_text="Where the petitioner should turn instead.")


class ExtendSerializer(ServedSerializer):
    days = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()
    approver = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))


class OpinionSerializer(ServedSerializer):
    opinion = serializers.CharField()


class RequestSerializer(serializers.Serializer):
    requested_on = serializers.DateField(help_text="The day the request was received.")
    organ = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="The organ deciding it; default: the caller's organisation.")


class PauseSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The hearing's first day (pause) or the day it ended (resume).")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodQuerySerializer(serializers.Serializer):
    since = serializers.DateField(required=False, default=None)
    until = serializers.DateField(required=False, default=None)


class FirstVisitRateSerializer(serializers.Serializer):
    first = serializers.IntegerField(help_text="First-time petitions (not tied to an earlier matter).")
    settled = serializers.IntegerField(help_text="Of those, answered with no repeat visit and no review asked.")
    rate = serializers.FloatField(allow_null=True, help_text="settled / first, in percent (2 decimals).")


class BacklogSerializer(PetitionSerializer):
    past_limit = serializers.BooleanField(help_text="Open past an organ's period.")
    owner = serializers.SerializerMethodField()

    def get_owner(self, petition) -> str | None:
        owners = getattr(petition, "active_ownerships", None) or []
        return owners[0].leader.display_name if owners else None
