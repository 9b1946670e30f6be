"""Thin API views: a queryset from the selectors, a serializer, a filterset."""
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle
from rest_framework.response import Response

from governance.api.pagination import CaseCursorPagination, CasePagination
from governance.cases import selectors
from governance.api.serializers import (
    CaseEventSerializer,
    CaseSerializer,
    CategorySerializer,
    MoveSerializer,
    NotificationSerializer,
    RegionSerializer,
    RevealResultSerializer,
    RevealSerializer,
    RiskFlagSerializer,
    StatusChangeSerializer,
)
from governance.cases.filtersets import CaseFilter
from governance.cases.models import Case, Category
from governance.notifications.models import Notification
from governance.places.models import Region
from governance.cases import services as case_services
from governance.notifications import selectors as notification_selectors
from governance.notifications import services as notification_services
from governance.privacy import services as privacy_services
from governance.supervision.moves import case_move
from governance.supervision.signals import case_flag_risk


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Matters in the caller's scope, and the core's actions on them. The apps'
    actions are mixed in when the router is built (``register_case_api``)."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    pagination_class = CaseCursorPagination
    lookup_value_regex = r"[0-9]+"  # /cases/null/... is a 404, not a 500

    def get_queryset(self):
        return selectors.case_queryset(user=self.request.user).prefetch_related("parties", "clocks")

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=CasePagination)
    def events(self, request, pk=None):
        """The matter's timeline, oldest first, in numbered pages. The case list's filters
        do not apply here (neither to the timeline nor to finding its matter)."""
        case = self.get_object()
        page = self.paginate_queryset(selectors.case_timeline(case=case))  # a timeline is short: page numbers
        return self.get_paginated_response(CaseEventSerializer(page, many=True).data)

    @extend_schema(request=StatusChangeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """Apply a status transition: accept, resolve, mark_unresolved, terminate, reopen, close."""
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._write(request, case_services.case_change_status, case_id=pk, **payload.validated_data)

    @extend_schema(request=MoveSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """A leader escalates a matter or assigns it down to another center above its place, with a reason."""
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._write(request, case_move, case_id=pk, **payload.validated_data)

    @extend_schema(request=RiskFlagSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="flag-risk")
    def flag_risk(self, request, pk=None):
        """Flag a risk of extreme action; the matter escalates at once if a signal rule says so."""
        payload = RiskFlagSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._write(request, case_flag_risk, case_id=pk, **payload.validated_data)

    @extend_schema(request=RevealSerializer, responses=RevealResultSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The parties' ID numbers and/or phones in full, for the holding organisation's
        staff, whoever registered the matter and admins; the purpose goes to the access log."""
        payload = RevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            parties = privacy_services.personal_data_reveal(
                case_id=pk, actor=request.user, address=privacy_services.client_address(request),
                **payload.validated_data)
        except case_services.CaseNotFound:
            raise Http404 from None
        except case_services.CaseChangeForbidden as error:
            raise PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        case = Case.objects.only("number").get(pk=pk)
        response = Response(RevealResultSerializer({"id": case.pk, "number": case.number, "parties": parties}).data)
        response["Cache-Control"] = "no-store"
        return response

    def _write(self, request, service, **arguments):
        """Call a write service and answer as the scope rule says: 404 / 403 / 409 / the case."""
        try:
            case = service(actor=request.user, **arguments)
        except case_services.CaseNotFound:
            raise Http404 from None
        except case_services.CaseChangeForbidden as error:
            raise PermissionDenied(str(error)) from None
        except case_services.InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        try:
            return Response(CaseSerializer(selectors.case_get(user=request.user, case_id=case.pk)).data)
        except Case.DoesNotExist:  # done, and the matter has left the caller's view with it
            return Response({"id": case.pk, "number": case.number, "detail": _("Done.")})


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Places and their codes. Public: statistical division codes are published data,
    and Open311 clients need them to fill in the required ``region`` attribute."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    serializer_class = RegionSerializer
    filterset_fields = ["level", "code"]
    pagination_class = None

    def get_queryset(self):
        parent = Region.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Region.steplen))
        return Region.objects.annotate(parent_id=Subquery(parent.values("id")[:1])).order_by("path")


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Categories and their codes (public, like the Open311 service list)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    serializer_class = CategorySerializer
    queryset = Category.objects.filter(is_active=True)
    lookup_field = "code"
    pagination_class = None


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's inbox (their own entries and their organisation's); ``?unread=true``."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the caller

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        entries = notification_selectors.inbox(user=self.request.user)
        if self.request.query_params.get("unread") == "true":
            entries = entries.filter(read_at__isnull=True)
        return entries

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        entry = self.get_object()
        notification_services.mark_read(user=request.user, notification_id=entry.pk)
        entry.refresh_from_db()
        return Response(NotificationSerializer(entry).data)
