"""/api/v1/grid/: grids, the admission list, events and their loop, patrols and
the reward ledger. Thin views over the same services as the pages: 400 for bad
input (a type not admitted, a grid not the worker's, a bad photo), 403 for the
wrong role or person, 404 outside the caller's view, 409 out of order."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.db.models.functions import Length, Substr
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from governance.choices import RegionLevel
from governance.models import Region
from grid import ledger, selectors
from grid.forms import parse_day
from grid.api import serializers as s
from grid.models import BuildingHead, EventType, GridAssignment, GridEvent, GridProfile, JointPart, Patrol
from grid.services import CaseChangeForbidden, CaseNotFound, InvalidTransition
from grid.services import loop, patrols, pushes, reporting, rewards

ERRORS = {
    400: OpenApiResponse(description="Bad input: {field: [messages]} (e.g. a type not on the admission list, "
                                     "a grid not the worker's, a photo that is not a JPEG or PNG)."),
    403: OpenApiResponse(s.GridErrorSerializer, description="Seen, but the caller's role or person may not."),
    404: OpenApiResponse(s.GridErrorSerializer, description="No such event in the caller's view."),
    409: OpenApiResponse(s.GridErrorSerializer, description="Not possible in the event's current step."),
}
STEP_RESPONSES = {200: s.GridEventSerializer, **ERRORS}
MULTIPART = [MultiPartParser, FormParser, JSONParser]


def answer_refusals(call):
    """Run a service: its refusals as the API answers them."""
    try:
        return call()
    except CaseNotFound:
        raise Http404 from None
    except (CaseChangeForbidden, DjangoPermissionDenied) as error:
        raise PermissionDenied(str(error)) from None
    except InvalidTransition as error:
        raise Conflict(str(error)) from None
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from None


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("mine", bool, description="Only the grids the caller looks after.")]))
class GridViewSet(viewsets.GenericViewSet):
    """Grids in the caller's places (a grid worker: the grids of their village), with
    the current worker, households and micro-grids with their building heads."""

    serializer_class = s.GridSerializer
    queryset = Region.objects.none()
    pagination_class = None

    def list(self, request):
        user = request.user
        mine = {grid.pk for grid in selectors.current_grids(worker=user)}
        root = selectors.scope_root(user)
        if root is None and user.organisation_id:
            root = user.organisation.region
        grids = Region.objects.filter(level=RegionLevel.GRID)
        if request.query_params.get("mine") == "true":
            grids = grids.filter(pk__in=mine)
        elif root is not None:
            grids = grids.filter(path__startswith=root.path)
        else:
            grids = grids.filter(pk__in=mine)
        grids = list(grids.order_by("path"))
        return Response(s.GridSerializer(self._rows(grids, mine), many=True).data)

    @staticmethod
    def _rows(grids, mine):
        ids = [g.pk for g in grids]
        workers = {a.grid_id: a.worker for a in GridAssignment.objects.filter(
            grid_id__in=ids, ended_at__isnull=True).select_related("worker")}
        paths = [g.path for g in grids]
        micro = list(Region.objects.annotate(parent_path=Substr("path", 1, Length("path") - Region.steplen))
                     .filter(level=RegionLevel.MICRO_GRID, parent_path__in=paths).order_by("path"))
        villages = dict(Region.objects.filter(path__in={p[: Region.steplen * 3] for p in paths})
                        .values_list("path", "name"))
        households = dict(GridProfile.objects.filter(region_id__in=[*ids, *[m.pk for m in micro]])
                          .values_list("region_id", "households"))
        heads = {}
        for head in BuildingHead.objects.filter(micro_grid__in=micro, is_active=True):
            heads.setdefault(head.micro_grid_id, []).append(head.name)
        rows = []
        for grid in grids:
            worker = workers.get(grid.pk)
            rows.append({
                "code": grid.code, "name": grid.name, "village": villages.get(grid.path[: Region.steplen * 3], ""),
                "worker": worker.username if worker else None, "worker_name": worker.display_name if worker else None,
                "households": households.get(grid.pk), "is_mine": grid.pk in mine,
                "micro_grids": [{"code": m.code, "name": m.name, "households": households.get(m.pk),
                                 "building_heads": heads.get(m.pk, [])}
                                for m in micro if m.path.startswith(grid.path)],
            })
        return rows


class EventTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The grid event types, each with whether it is on the admission list
    (网格事项准入清单): only admitted types may be reported or given to grid workers."""

    serializer_class = s.EventTypeSerializer
    queryset = EventType.objects.select_related("category")
    lookup_field = "code"
    pagination_class = None
    filterset_fields = ["is_admitted"]


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("status", str, description="A step (reported, registered, ...) or `open`."),
        OpenApiParameter("type", str, description="An event type code."),
        OpenApiParameter("grid", str, description="A grid code."),
        OpenApiParameter("overdue", bool, description="Only events whose step is overdue.")]),
    retrieve=extend_schema(responses={200: s.GridEventSerializer, 404: ERRORS[404]}),
)
class GridEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Grid events in the caller's view, and the closed loop's steps on them. The id
    is the matter's id (/api/v1/cases/{id}/ is the same matter)."""

    serializer_class = s.GridEventSerializer
    queryset = GridEvent.objects.none()
    parser_classes = MULTIPART
    lookup_url_kwarg = "id"  # the matter's id
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = self.request.query_params
        return selectors.event_list(
            user=self.request.user, status=params.get("status", ""), overdue=params.get("overdue") == "true",
            event_type=params.get("type", ""), grid=params.get("grid", ""),
        ).select_related("case__region").prefetch_related(
            "photos", Prefetch("joint_parts", JointPart.objects.select_related("organisation")))

    def _answer(self, request, event, code=status.HTTP_200_OK):
        try:
            found = self.get_queryset().get(pk=event.pk)
        except GridEvent.DoesNotExist:  # done, and out of the caller's view with it
            return Response({"id": event.pk, "status": event.status}, status=code)
        return Response(s.GridEventSerializer(found).data, status=code)

    def _step(self, request, pk, payload_class, service, **fixed):
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        event = answer_refusals(lambda: service(event_id=int(pk), actor=request.user,
                                                **{**payload.validated_data, **fixed}))
        return self._answer(request, event)

    @extend_schema(request={"multipart/form-data": s.ReportSerializer},
                   responses={201: s.GridEventSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    def create(self, request):
        """A grid worker reports an event (multipart: event_type code, grid code, description,
        photos, latitude, longitude). 201 with the matter number; 400 for a type not on the
        admission list, a grid not the worker's, or a photo refused (nothing is saved then:
        report without photos and add them with /photos/ to keep the report whatever
        happens to the upload)."""
        if not request.user.has_perm("grid.report_gridevent"):
            raise PermissionDenied(str(reporting.REPORT_REFUSAL))
        payload = s.ReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            event = answer_refusals(lambda: reporting.event_report(
                actor=request.user, event_type=data["event_type"], place=data["grid"],
                description=data["description"], address=data["address"], latitude=data["latitude"],
                longitude=data["longitude"], photos=data["photos"]))
        except serializers.ValidationError as error:  # the service names the place "place"; here it is "grid"
            if isinstance(error.detail, dict) and "place" in error.detail:
                error.detail["grid"] = error.detail.pop("place")
            raise
        return self._answer(request, event, status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": s.GridPhotosSerializer}, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def photos(self, request, id=None):  # noqa: A002
        """Add the report's photos (the reporting worker), e.g. after a failed upload."""
        payload = s.GridPhotosSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answer_refusals(lambda: reporting.event_add_photos(event_id=int(id), actor=request.user,
                                                           photos=payload.validated_data["photos"]))
        return self._answer(request, GridEvent(pk=int(id)))

    @extend_schema(request=s.StepNoteSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def register(self, request, id=None):  # noqa: A002
        """立案 (the center holding the event)."""
        return self._step(request, id, s.StepNoteSerializer, loop.event_register)

    @extend_schema(request=s.GridDeclineSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def decline(self, request, id=None):  # noqa: A002
        """不予立案, with the reason (the center)."""
        return self._step(request, id, s.GridDeclineSerializer, loop.event_decline)

    @extend_schema(request=s.GridDispatchSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_event(self, request, id=None):  # noqa: A002
        """派遣 to the center's own staff or a body serving the place, optionally jointly (the center)."""
        return self._step(request, id, s.GridDispatchSerializer, loop.event_dispatch)

    @extend_schema(request=s.GridDeclineSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, id=None):  # noqa: A002
        """退回: the handler returns an event that is not theirs to handle, with the reason."""
        return self._step(request, id, s.GridDeclineSerializer, loop.event_send_back)

    @extend_schema(request=s.StepNoteSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def handle(self, request, id=None):  # noqa: A002
        """处置: the handler starts handling."""
        return self._step(request, id, s.StepNoteSerializer, loop.event_handle)

    @extend_schema(request={"multipart/form-data": s.GridFeedbackSerializer}, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def feedback(self, request, id=None):  # noqa: A002
        """反馈 with photos (the handler)."""
        return self._step(request, id, s.GridFeedbackSerializer, loop.event_feedback)

    @extend_schema(request={"multipart/form-data": s.GridVerifySerializer}, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def verify(self, request, id=None):  # noqa: A002
        """核查: the reporting worker on the spot (a photo required), or the center; failed: back to the handler."""
        return self._step(request, id, s.GridVerifySerializer, loop.event_verify)

    @extend_schema(request=s.StepNoteSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def close(self, request, id=None):  # noqa: A002
        """结案 (the center; a joint handling only when every part is in)."""
        return self._step(request, id, s.StepNoteSerializer, loop.event_close)

    @extend_schema(request=s.GridEvaluateSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, id=None):  # noqa: A002
        """评价, 1 to 5 (the center)."""
        return self._step(request, id, s.GridEvaluateSerializer, loop.event_evaluate)

    @extend_schema(request=s.StepNoteSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def urge(self, request, id=None):  # noqa: A002
        """催办 by hand: whoever the current step waits on is told."""
        return self._step(request, id, s.StepNoteSerializer, pushes.event_urge)

    @extend_schema(request=s.GridSuperviseSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def supervise(self, request, id=None):  # noqa: A002
        """督办 with an instruction (a leader)."""
        return self._step(request, id, s.GridSuperviseSerializer, pushes.event_supervise)

    @extend_schema(request=s.GridJointSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def joint(self, request, id=None):  # noqa: A002
        """会办: ask more bodies to take part (the center)."""
        return self._step(request, id, s.GridJointSerializer, pushes.event_add_joint)

    @extend_schema(request={"multipart/form-data": s.JointPartInputSerializer}, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def part(self, request, id=None):  # noqa: A002
        """A body of the joint handling records its part."""
        return self._step(request, id, s.JointPartInputSerializer, pushes.event_record_part)

    @extend_schema(request=s.RewardInputSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"])
    def reward(self, request, id=None):  # noqa: A002
        """一事一奖: reward the reporting worker at an admin-set rate (the center)."""
        payload = s.RewardInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answer_refusals(lambda: rewards.reward_give(event_id=int(id), actor=request.user,
                                                    **payload.validated_data))
        return self._answer(request, GridEvent(pk=int(id)))


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("date", str, description="YYYY-MM-DD: the patrols started that day.")]))
class PatrolViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Patrol logs: a grid worker logs a patrol (start, end, route, findings); the
    list is the caller's own, or for centers and leaders their places' workers'."""

    serializer_class = s.PatrolSerializer
    queryset = Patrol.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        patrols_seen = Patrol.objects.select_related("worker", "grid")
        if user.has_perm("grid.add_patrol") and not user.is_superuser:
            patrols_seen = patrols_seen.filter(worker=user)
        elif not user.is_superuser:
            root = selectors.scope_root(user) if user.has_perm("grid.view_patrol") else None
            patrols_seen = patrols_seen.filter(grid__path__startswith=root.path) if root else patrols_seen.none()
        day = self.request.query_params.get("date")
        if day:
            parsed = parse_day(day)
            patrols_seen = patrols_seen.filter(started_at__date=parsed) if parsed else patrols_seen.none()
        return patrols_seen.order_by("-started_at")

    @extend_schema(responses={201: s.PatrolSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    def create(self, request):
        """Log a whole patrol (a grid worker, on one of their grids)."""
        payload = s.PatrolSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        patrol = answer_refusals(lambda: patrols.patrol_log(actor=request.user, **payload.validated_data))
        return Response(s.PatrolSerializer(patrol).data, status=status.HTTP_201_CREATED)


class RewardLedgerViewSet(viewsets.GenericViewSet):
    """一事一奖: the month's rewards per grid worker (centers and leaders: their places'
    workers; a grid worker: their own)."""

    serializer_class = s.LedgerSerializer
    queryset = GridEvent.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("month", str, description="YYYY-MM (default: this month).")],
                   responses={200: s.LedgerSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    def list(self, request):
        if not request.user.has_perm("grid.view_reward"):
            raise PermissionDenied(str(ledger.REFUSAL))
        asked = request.query_params.get("month")
        month = ledger.parse_month(asked) if asked else ledger.this_month()
        if month is None:
            raise serializers.ValidationError({"month": [str(ledger.BAD_MONTH)]})
        lines = ledger.reward_ledger(user=request.user, month=month)
        return Response(s.LedgerSerializer({
            "month": f"{month:%Y-%m}", "count": sum(line.count for line in lines),
            "total": ledger.ledger_total(lines), "workers": lines}).data)
