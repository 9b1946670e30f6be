"""The intake API: register a matter (the hotline system's door) and the triage
actions. Same validators and services as the window's form."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from governance.api.serializers import CaseSerializer
from governance.choices import PLACE_LEVELS, CaseKind, Channel, PartyRole
from governance.models import Category, Organisation, Region, User
from governance.people.roles import REGISTER
from intake import selectors, services
from intake.triage.suggestions import settle
from intake.validators import clean_phone, clean_resident_id, resident_id_warning


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT)
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_id_number(self, value):
        return clean_resident_id(value) if value.strip() else ""

    def validate_phone(self, value):
        return clean_phone(value) if value.strip() else ""


class CaseRegistrationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices, default=CaseKind.DISPUTE)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True),
        error_messages={"does_not_exist": gettext_lazy("Unknown category code “{value}”; "
                                                       "the codes are listed at /api/v1/categories/.")})
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level__in=PLACE_LEVELS),
        error_messages={"does_not_exist": gettext_lazy("Unknown place code “{value}”; "
                                                       "the codes are listed at /api/v1/regions/.")})
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    narrative = serializers.CharField(max_length=5000)
    parties = PartyInputSerializer(many=True)
    suggestion = serializers.IntegerField(required=False, write_only=True, help_text=(
        "the id POST /api/v1/intake/suggest/ answered with: what was chosen is recorded against it"))

    def validate_region(self, region):
        """Staff register places of their own county only."""
        user = self.context["request"].user
        if not user.is_superuser and user.organisation_id is not None:
            if not region.path.startswith(user.organisation.region.county_path):
                raise serializers.ValidationError(_("This place is not in your county."))
        return region

    def validate_parties(self, parties):
        if not any(p["role"] == PartyRole.APPLICANT for p in parties):
            raise serializers.ValidationError(_("At least one applicant is needed."))
        if not any(p["phone"] for p in parties if p["role"] == PartyRole.APPLICANT):
            raise serializers.ValidationError(_("The applicant's phone is needed to reach them."))
        return parties


class RegisteredCaseSerializer(CaseSerializer):
    """The answer to a registration: the matter, and what to check with the citizen."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "warnings"]


class DispatchSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField()


class JointMediationSerializer(serializers.Serializer):
    organisations = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True),
                                                       many=True, allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LeaderOwnershipSerializer(serializers.Serializer):
    leader = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RepeatVisitSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IntakeActions:
    """Mixed into the case viewset: POST /cases/ and the triage actions. ``_write``
    maps the services' refusals to 404 / 403 / 409 and answers with the case."""

    @extend_schema(request=CaseRegistrationSerializer, responses={201: RegisteredCaseSerializer})
    def create(self, request):
        """Register a matter (hotline system, apps). It is dispatched at once by the routing
        rules: a dispute placed in a village goes to that village's center. ``warnings``
        lists what the caller should check with the citizen: an ID number registered
        before under another name, a place code that is in no national list."""
        if not request.user.has_perm(REGISTER.permission):
            raise PermissionDenied(str(REGISTER.refusal))
        payload = CaseRegistrationSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        parties = payload.validated_data["parties"]
        # Worked out before saving: the new party must not match itself, and nothing
        # that runs after the registration may fail it.
        warnings = [
            *selectors.id_number_name_conflicts(user=request.user, parties=parties),
            *filter(None, (resident_id_warning(p["id_number"]) for p in parties if p["id_number"])),
        ]
        suggestion = payload.validated_data.pop("suggestion", None)
        try:
            case = services.intake_register(actor=request.user, dispatch=True, **payload.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        if suggestion:
            settle(suggestion_id=suggestion, user=request.user, case=case, chosen=case.category)
        return Response({**CaseSerializer(case).data, "warnings": warnings}, status=status.HTTP_201_CREATED)

    def _triage(self, request, pk, serializer_class, service, **renames):
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = {renames.get(k, k): v for k, v in payload.validated_data.items()}
        return self._write(request, service, case_id=pk, **arguments)

    @extend_schema(request=DispatchSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_to(self, request, pk=None):
        """交办: hand over to an organisation at or above the place; tier and deadline follow its rule."""
        return self._triage(request, pk, DispatchSerializer, services.case_dispatch)

    @extend_schema(request=NoteSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="resolve-on-spot")
    def resolve_on_spot(self, request, pk=None):
        """当场化解, with how it was resolved."""
        return self._triage(request, pk, NoteSerializer, services.case_resolve_on_spot)

    @extend_schema(request=JointMediationSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="joint-mediation")
    def joint_mediation(self, request, pk=None):
        """联合调, led by the county center with the given organisations."""
        return self._triage(request, pk, JointMediationSerializer, services.case_joint_mediation)

    @extend_schema(request=LeaderOwnershipSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="leader-ownership")
    def leader_ownership(self, request, pk=None):
        """包案 by a named leader (username)."""
        return self._triage(request, pk, LeaderOwnershipSerializer, services.case_leader_ownership)

    @extend_schema(request=RepeatVisitSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"], url_path="repeat-visit")
    def repeat_visit(self, request, pk=None):
        """Count a repeat visit (or a repeated police referral) on the matter."""
        return self._triage(request, pk, RepeatVisitSerializer, services.case_link_repeat_visit)
