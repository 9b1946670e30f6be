"""What the mediation API shows (ID numbers and phones masked) and what it takes."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from governance.api.serializers import ClockSerializer, OrganisationRefSerializer
from governance.cases.masking import mask_id_number
from governance.models import Organisation, Party, User
from mediation.choices import (
    ConfirmationDecision,
    FollowUpMethod,
    Outcome,
    Performance,
    ReferralOutcome,
    Route,
    Satisfaction,
    TeamRole,
)
from mediation.models import (
    Agreement,
    CourtReferral,
    FollowUp,
    JudicialConfirmation,
    Mediation,
    MediatorProfile,
    Minutes,
    Room,
    Session,
    TeamMember,
)
from mediation.selectors import mediation_clocks
from mediation.services import application_last_day, current_agreement


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class ClashingSessionSerializer(serializers.ModelSerializer):
    room = serializers.CharField(source="room.name", default=None, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "room"]


class ClashSerializer(serializers.Serializer):
    """409 on a taken slot: the reason, and the session that holds it."""

    detail = serializers.CharField()
    clashing_session = ClashingSessionSerializer()


class RoomSerializer(serializers.ModelSerializer):
    center = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Room
        fields = ["id", "name", "center", "capacity", "location", "is_active"]


class MediatorSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    body = OrganisationRefSerializer(read_only=True)
    specialties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = MediatorProfile
        fields = ["id", "user", "body", "kind", "specialties", "languages", "monthly_quota", "is_active"]


class TeamMemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = TeamMember
        fields = ["role", "user"]


class MinutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Minutes
        fields = ["attendees", "statements", "agreed", "recorded_at"]


class SessionSerializer(serializers.ModelSerializer):
    room = RoomSerializer(read_only=True)
    participants = PersonSerializer(source="staff", many=True, read_only=True)
    parties = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    minutes = MinutesSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Session
        fields = ["id", "mediation", "starts_at", "ends_at", "room", "on_site_address", "status", "participants",
                  "parties", "minutes", "cancelled_reason"]


class ConfirmationSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudicialConfirmation
        fields = ["court", "applied_on", "accepted_on", "extended", "decided_on", "decision", "note"]


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement version; parties' ID numbers masked (the print shows them in full)."""

    state = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    supersedes = serializers.IntegerField(source="supersedes.version", default=None, read_only=True)
    confirmation_last_day = serializers.SerializerMethodField(
        help_text="The last day to apply jointly for judicial confirmation (signed agreements).")
    confirmation = ConfirmationSerializer(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Agreement
        fields = ["id", "version", "state", "title", "parties", "facts", "terms", "performance_deadline",
                  "mediators", "body_name", "signed_on", "supersedes", "supersede_reason", "created_at",
                  "confirmation_last_day", "confirmation"]

    def get_state(self, agreement) -> str:
        return "signed" if agreement.is_signed else "draft"

    def get_parties(self, agreement) -> list[dict]:
        return [{"role": p["role"], "name": p["name"], "id_number": mask_id_number(p.get("id_number", ""))}
                for p in agreement.parties]

    def get_confirmation_last_day(self, agreement) -> str | None:
        return f"{application_last_day(agreement):%Y-%m-%d}" if agreement.is_signed else None


class FollowUpSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["method", "performance", "satisfaction", "note", "by", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    court_station = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = CourtReferral
        fields = ["court_station", "referred_at", "note", "outcome", "outcome_on", "outcome_note"]


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()


OUTCOME_HELP = "success, failure, terminated; empty before the outcome."


class MediationSerializer(serializers.ModelSerializer):
    """A mediation with its status, its clocks and its agreement (with the
    judicial-confirmation due date)."""

    # A plain string here: the outcome's values are the enum of the outcome step's input.
    outcome = serializers.CharField(read_only=True, help_text=OUTCOME_HELP)

    case = CaseRefSerializer(read_only=True)
    body = OrganisationRefSerializer(read_only=True)
    lead = PersonSerializer(read_only=True)
    members = TeamMemberSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)

    class Meta:
        model = Mediation
        fields = ["id", "case", "status", "body", "lead", "members", "is_joint", "court_referred", "suggestion",
                  "opened_at", "accepted_at", "declined_reason", "extended_at", "outcome", "outcome_at",
                  "outcome_note", "routes", "reopened_count", "closed_at", "clocks", "agreement", "follow_ups",
                  "referrals"]

    def get_clocks(self, mediation) -> list[dict]:
        return ClockSerializer(mediation_clocks(mediation), many=True).data

    def get_agreement(self, mediation) -> dict | None:
        agreement = current_agreement(mediation)
        return AgreementSerializer(agreement).data if agreement else None


class MediationListSerializer(serializers.ModelSerializer):
    """One row of the list; ``status`` and ``outcome`` take the values of the detail's."""

    status = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True, help_text=OUTCOME_HELP)
    case = CaseRefSerializer(read_only=True)
    body = OrganisationRefSerializer(read_only=True)
    lead = PersonSerializer(read_only=True)

    class Meta:
        model = Mediation
        fields = ["id", "case", "status", "body", "lead", "is_joint", "opened_at", "outcome", "outcome_at"]


# -- input ----------------------------------------------------------------------------

def _staff():
    return User.objects.filter(is_active=True).select_related("organisation__region")


class MediationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    lead = serializers.SlugRelatedField(slug_field="username", queryset=_staff())
    body = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.select_related("region"), required=False,
                                              allow_null=True, default=None)
    members = serializers.SlugRelatedField(slug_field="username", queryset=_staff(), many=True, required=False,
                                           default=list)
    is_joint = serializers.BooleanField(required=False, default=False)
    joint = serializers.DictField(child=serializers.SlugRelatedField(slug_field="username", queryset=_staff()),
                                  required=False, default=dict,
                                  help_text="The \"1131\" places: {coordinator, host, pro_mediator, lawyer, "
                                            "psychologist, tracker: username}.")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_joint(self, joint):
        unknown = sorted(set(joint) - {role for role in TeamRole.values if role != TeamRole.MEDIATOR})
        if unknown:
            raise serializers.ValidationError(_("Unknown place %(places)s.") % {"places": ", ".join(unknown)})
        return joint


class SessionCreateSerializer(serializers.Serializer):
    mediation = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.select_related("center__region"), required=False,
                                              allow_null=True, default=None)
    on_site_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    participants = serializers.SlugRelatedField(slug_field="username", queryset=_staff(), many=True,
                                                required=False, help_text="Default: the team's mediators.")
    parties = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), many=True, required=False,
                                                 help_text="Default: every party of the matter.")


class MediationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MediationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeSerializer(serializers.Serializer):
    """success: facts, terms (+ performance_deadline, note); failure: reason, routes
    (+ court_station, referral_note); terminated: reason."""

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    terms = serializers.CharField(required=False, allow_blank=True, default="")
    performance_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    routes = serializers.ListField(child=serializers.ChoiceField(choices=Route.choices), required=False, default=list)
    court_station = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.select_related("region"),
                                                       required=False, allow_null=True, default=None)
    referral_note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=FollowUpMethod.choices)
    performance = serializers.ChoiceField(choices=Performance.choices, required=False,
                                          default=Performance.NOT_APPLICABLE)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementInputSerializer(serializers.Serializer):
    """edit (the draft), sign (signed_on), supersede (reason, facts, terms)."""

    action = serializers.ChoiceField(choices=["edit", "sign", "supersede"])
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    terms = serializers.CharField(required=False, allow_blank=True, default="")
    performance_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmationInputSerializer(serializers.Serializer):
    """apply (court, on), accept (on), extend (note), decide (decision, on, note)."""

    step = serializers.ChoiceField(choices=["apply", "accept", "extend", "decide"])
    court = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    decision = serializers.ChoiceField(choices=ConfirmationDecision.choices, required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in ReferralOutcome.choices if c[0] != "pending"])
    outcome_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MinutesInputSerializer(serializers.Serializer):
    attendees = serializers.CharField()
    statements = serializers.CharField()
    agreed = serializers.CharField(required=False, allow_blank=True, default="")


class SuggestionSerializer(serializers.Serializer):
    lead = PersonSerializer(source="profile.user")
    body = OrganisationRefSerializer(source="profile.body")
    score = serializers.IntegerField()
    workload = serializers.IntegerField()
    reason = serializers.CharField()


class ReportRowSerializer(serializers.Serializer):
    mediator = PersonSerializer(source="profile.user")
    body = OrganisationRefSerializer(source="profile.body")
    monthly_quota = serializers.IntegerField(source="profile.monthly_quota")
    handled = serializers.IntegerField()
    settled = serializers.IntegerField()
    success_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    base = serializers.DecimalField(source="rate.base", max_digits=9, decimal_places=2)
    above_quota = serializers.IntegerField()
    case_amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    subsidy = serializers.DecimalField(max_digits=9, decimal_places=2)

