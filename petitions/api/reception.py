"""/api/v1/petitions/reception-days/ and /appointments/: leaders' reception days
with their slots, and booking a petitioner (409 naming the clash when the leader
is booked at that time)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from governance.cases.models import Case
from governance.choices import Role
from governance.models import User
from petitions import selectors
from petitions.api.views import ERRORS
from petitions.choices import AppointmentStatus
from petitions.models import Appointment, ReceptionDay
from petitions.services import CaseChangeForbidden, CaseNotFound, InvalidTransition
from petitions.services.reception import SlotTaken, appointment_book


class AppointmentSerializer(serializers.ModelSerializer):
    leader = serializers.CharField(source="leader.username", read_only=True)
    starts = serializers.DateTimeField(read_only=True)
    ends = serializers.DateTimeField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = ["id", "leader", "day", "starts", "ends", "case", "name", "topic", "status"]


class BookSerializer(serializers.Serializer):
    leader = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(
        role=Role.LEADER, is_active=True))
    starts = serializers.DateTimeField()
    minutes = serializers.IntegerField(min_value=10, max_value=240, required=False, default=None)
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False, allow_null=True,
                                              default=None)
    day = serializers.PrimaryKeyRelatedField(queryset=ReceptionDay.objects.all(), required=False, allow_null=True,
                                             default=None)


@extend_schema_serializer(component_name="PetitionClash")  # mediation has a Clash too
class ClashSerializer(serializers.Serializer):
    detail = serializers.CharField()
    clash = AppointmentSerializer()


class SlotSerializer(serializers.Serializer):
    starts = serializers.DateTimeField()
    ends = serializers.DateTimeField()
    booked = serializers.BooleanField()


class ReceptionDaySerializer(serializers.ModelSerializer):
    leader = serializers.CharField(source="leader.username")
    leader_name = serializers.CharField(source="leader.display_name")
    slots = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = ["id", "leader", "leader_name", "date", "starts", "ends", "place", "slots"]

    @extend_schema_field(SlotSerializer(many=True))
    def get_slots(self, day):
        return [{"starts": s["starts"], "ends": s["ends"], "booked": s["appointment"] is not None}
                for s in selectors.free_slots(day)]


class ReceptionDayViewSet(viewsets.ReadOnlyModelViewSet):
    """Leaders' reception days from today, with their slots (booked or free)."""

    serializer_class = ReceptionDaySerializer
    queryset = ReceptionDay.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.reception_calendar()[0]


class AppointmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Booked appointments from today; POST books one."""

    serializer_class = AppointmentSerializer
    queryset = Appointment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return (Appointment.objects.filter(period__endswith__gte=start).exclude(status=AppointmentStatus.CANCELLED)
                .select_related("leader").order_by("period"))

    @extend_schema(request=BookSerializer, responses={
        201: AppointmentSerializer, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404],
        409: OpenApiResponse(ClashSerializer, description="The leader is booked at that time: the clashing booking.")})
    def create(self, request):
        payload = BookSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            appointment = appointment_book(actor=request.user, **payload.validated_data)
        except SlotTaken as error:
            return Response({"detail": str(error), "clash": AppointmentSerializer(error.clash).data},
                            status=status.HTTP_409_CONFLICT)
        except CaseNotFound:
            raise serializers.ValidationError({"case": [_("There is no such matter.")]}) from None
        except CaseChangeForbidden as error:
            raise PermissionDenied(str(error)) from None
        except InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)
