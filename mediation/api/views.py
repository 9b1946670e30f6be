"""/api/v1/mediation/: thin views over the selectors and the services. Refusals:
404 outside the caller's view, 403 with the reason, 409 in the wrong state (a
taken slot names the session that holds it), 400 for bad input."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.cases import selectors as case_selectors
from governance.models import Case
from mediation import reports, selectors, services
from mediation.api import serializers as s
from mediation.filtersets import MediationFilter
from mediation.models import Mediation, MediatorProfile, Room, Session
from mediation.suggest import suggest_leads

# 400 is documented by the core (governance.api.schema): field errors, not only a detail.
REFUSALS = {403: s.ErrorSerializer, 404: s.ErrorSerializer, 409: s.ErrorSerializer}


def refusals(ok):
    """The documented answers: ``ok`` and every refusal."""
    return {**REFUSALS, **ok}


def answer(call, serialize, *, created=False):
    """Run a service and answer as the scope rule says."""
    try:
        result = call()
    except services.CaseNotFound:
        raise Http404 from None
    except services.CaseChangeForbidden as error:
        raise PermissionDenied(str(error)) from None
    except services.SessionClash as error:
        return Response({"detail": str(error), "clashing_session": s.ClashingSessionSerializer(error.session).data},
                        status=status.HTTP_409_CONFLICT)
    except services.InvalidTransition as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return Response(serialize(result), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _valid(serializer_class, request):
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return payload.validated_data


@extend_schema_view(list=extend_schema(responses=s.MediationListSerializer(many=True)),
                    retrieve=extend_schema(responses=refusals({200: s.MediationSerializer})))
class MediationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Mediations on matters the caller sees; filters: status, outcome, lead, body, case, number, mine."""

    filterset_class = MediationFilter
    queryset = Mediation.objects.none()  # for the schema
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.visible_mediations(user=self.request.user).prefetch_related(
            "members__user", "follow_ups__by", "referrals__court_station").order_by("-opened_at", "-id")

    def get_serializer_class(self):
        return s.MediationListSerializer if self.action == "list" else s.MediationSerializer

    def _detail(self, mediation):
        try:
            found = selectors.mediation_get(user=self.request.user, mediation_id=mediation.pk)
        except Mediation.DoesNotExist:  # done, and it left the caller's view with it (a lead from elsewhere declined)
            return {"id": mediation.pk, "detail": _("Done.")}
        return s.MediationSerializer(found).data

    def _detail_of_this(self, _result):
        """The mediation of the URL, whatever the service returned (a follow-up, an agreement...)."""
        return self._detail(Mediation(pk=int(self.kwargs["pk"])))

    @extend_schema(request=s.MediationCreateSerializer, responses=refusals({201: s.MediationSerializer}))
    def create(self, request):
        """Open a mediation on a dispute: case, lead (username), body, members, the "1131" team."""
        data = _valid(s.MediationCreateSerializer, request)
        return answer(lambda: services.mediation_open(
            case_id=data["case"], actor=request.user, lead=data["lead"], body=data["body"], members=data["members"],
            joint=data["joint"], is_joint=data["is_joint"], note=data["note"],
            suggestion=_suggested_reason(data["case"], request.user, data["lead"])), self._detail, created=True)

    def _step(self, request, serializer_class, service, **renames):
        data = _valid(serializer_class, request) if serializer_class else {}
        arguments = {renames.get(k, k): v for k, v in data.items()}
        return answer(lambda: service(mediation_id=int(self.kwargs["pk"]), actor=request.user, **arguments),
                      self._detail_of_this)

    @extend_schema(request=s.MediationNoteSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The lead mediator accepts; the mediation limit starts."""
        return self._step(request, s.MediationNoteSerializer, services.mediation_accept)

    @extend_schema(request=s.MediationReasonSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The lead mediator declines, with the reason."""
        return self._step(request, s.MediationReasonSerializer, services.mediation_decline)

    @extend_schema(request=s.OutcomeSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """success (the agreement is drawn), failure (routes, optional court referral) or terminated."""
        data = _valid(s.OutcomeSerializer, request)
        mediation_id, actor = int(pk), request.user
        calls = {
            "success": lambda: services.mediation_succeed(
                mediation_id=mediation_id, actor=actor, facts=data["facts"], terms=data["terms"],
                performance_deadline=data["performance_deadline"], note=data["note"]),
            "failure": lambda: services.mediation_fail(
                mediation_id=mediation_id, actor=actor, reason=data["reason"], routes=data["routes"],
                court_station=data["court_station"], referral_note=data["referral_note"]),
            "terminated": lambda: services.mediation_terminate(mediation_id=mediation_id, actor=actor,
                                                               reason=data["reason"]),
        }
        return answer(calls[data["outcome"]], self._detail_of_this)

    @extend_schema(request=s.MediationNoteSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the mediation limit once, as the parties agreed (the note says so)."""
        return self._step(request, s.MediationNoteSerializer, services.mediation_extend)

    @extend_schema(request=s.FollowUpInputSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """The follow-up visit; satisfied and performed closes the mediation and the matter."""
        return self._step(request, s.FollowUpInputSerializer, services.mediation_follow_up)

    @extend_schema(request=s.MediationNoteSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Mediate again after a dissatisfied or not-performed follow-up (a fresh limit)."""
        return self._step(request, s.MediationNoteSerializer, services.mediation_reopen)

    @extend_schema(request=s.MediationNoteSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close after the follow-up."""
        return self._step(request, s.MediationNoteSerializer, services.mediation_close)

    @extend_schema(request=s.AgreementInputSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """edit the draft, sign it (signed_on), or supersede the signed version (reason)."""
        data = _valid(s.AgreementInputSerializer, request)
        common = {"mediation_id": int(pk), "actor": request.user}
        texts = {key: data[key] for key in ("facts", "terms", "performance_deadline")}
        calls = {
            "edit": lambda: services.agreement_update_draft(**common, **texts),
            "sign": lambda: services.agreement_sign(**common, signed_on=data["signed_on"]),
            "supersede": lambda: services.agreement_supersede(**common, reason=data["reason"], **texts),
        }
        return answer(calls[data["action"]], self._detail_of_this)

    @extend_schema(request=s.ConfirmationInputSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"], url_path="judicial-confirmation")
    def judicial_confirmation(self, request, pk=None):
        """The parties applied (court, on), the court accepted (on), extended (note) or decided
        (decision, on, note)."""
        data = _valid(s.ConfirmationInputSerializer, request)
        common = {"mediation_id": int(pk), "actor": request.user}
        calls = {
            "apply": lambda: services.confirmation_apply(**common, court=data["court"], applied_on=data["on"]),
            "accept": lambda: services.confirmation_accept(**common, accepted_on=data["on"]),
            "extend": lambda: services.confirmation_extend(**common, note=data["note"]),
            "decide": lambda: services.confirmation_decide(**common, decision=data["decision"],
                                                           decided_on=data["on"], note=data["note"]),
        }
        return answer(calls[data["step"]], self._detail_of_this)

    @extend_schema(request=s.ReferralOutcomeSerializer, responses=refusals({200: s.MediationSerializer}))
    @action(detail=True, methods=["post"], url_path="referral-outcome")
    def referral_outcome(self, request, pk=None):
        """What the court station did with the referred matter (诉调对接)."""
        return answer(lambda: services.referral_record_outcome(
            mediation_id=int(pk), actor=request.user, **_valid(s.ReferralOutcomeSerializer, request)),
            self._detail_of_this)

    @extend_schema(parameters=[OpenApiParameter("case", OpenApiTypes.INT, required=True),
                               OpenApiParameter("language", OpenApiTypes.STR)],
                   responses=refusals({200: s.SuggestionSerializer(many=True)}))
    @action(detail=False, methods=["get"])
    def suggest(self, request):
        """The suggested leads for a matter, best first, with the reason."""
        case = _visible_case(request)
        return Response(s.SuggestionSerializer(
            suggest_leads(case=case, language=request.query_params.get("language", "")), many=True).data)


def _visible_case(request) -> Case:
    value = request.query_params.get("case", "")
    try:
        return case_selectors.case_get(user=request.user, case_id=int(value))
    except (ValueError, Case.DoesNotExist):
        raise Http404 from None


def _suggested_reason(case_id, user, lead) -> str:
    case = Case.objects.restrict(user, "view").filter(pk=case_id).select_related("category", "region").first()
    if case is None:
        return ""
    return next((sg.reason for sg in suggest_leads(case=case, limit=50) if sg.profile.user_id == lead.pk), "")


@extend_schema_view(list=extend_schema(
    parameters=[OpenApiParameter("room", OpenApiTypes.INT), OpenApiParameter("person", OpenApiTypes.STR),
                OpenApiParameter("mediation", OpenApiTypes.INT), OpenApiParameter("week", OpenApiTypes.STR,
                                                                                  description="2026-W49")]),
                    retrieve=extend_schema(responses=refusals({200: s.SessionSerializer})))
class SessionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Sessions of the mediations the caller sees; ?room=, ?person=username, ?mediation=, ?week=."""

    serializer_class = s.SessionSerializer
    queryset = Session.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        visible = selectors.visible_mediations(user=self.request.user).values("pk")
        sessions = Session.objects.filter(mediation__in=visible).select_related("room__center", "minutes") \
            .prefetch_related("staff", "parties").order_by("starts_at", "id")
        params = self.request.query_params
        if params.get("room", "").isdigit():
            sessions = sessions.filter(room_id=int(params["room"]))
        if params.get("person"):
            sessions = sessions.filter(seats__user__username=params["person"], seats__is_active=True)
        if params.get("mediation", "").isdigit():
            sessions = sessions.filter(mediation_id=int(params["mediation"]))
        if params.get("week"):
            _monday, start, end = selectors.week_of(selectors.parse_week(params["week"]))
            sessions = sessions.filter(starts_at__lt=end, ends_at__gt=start)
        return sessions

    def _detail(self, session):
        return s.SessionSerializer(Session.objects.select_related("room__center").get(pk=session.pk)).data

    @extend_schema(request=s.SessionCreateSerializer,
                   responses=refusals({201: s.SessionSerializer, 409: s.ClashSerializer}))
    def create(self, request):
        """Book a session: 201, or 409 naming the session that holds the room or a person."""
        data = _valid(s.SessionCreateSerializer, request)
        return answer(lambda: services.session_book(
            mediation_id=data["mediation"], actor=request.user, starts_at=data["starts_at"], ends_at=data["ends_at"],
            room=data["room"], on_site_address=data["on_site_address"], participants=data.get("participants"),
            parties=data.get("parties")), self._detail, created=True)

    @extend_schema(request=s.MinutesInputSerializer, responses=refusals({200: s.SessionSerializer}))
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """The session's minutes (调解笔录)."""
        data = _valid(s.MinutesInputSerializer, request)
        return answer(lambda: services.minutes_record(session_id=int(pk), actor=request.user, **data),
                      lambda minutes: self._detail(minutes.session))

    @extend_schema(request=s.MediationReasonSerializer, responses=refusals({200: s.SessionSerializer}))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a session to come; its room and people are free again."""
        data = _valid(s.MediationReasonSerializer, request)
        return answer(lambda: services.session_cancel(session_id=int(pk), actor=request.user, **data), self._detail)


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    """The active mediation rooms of the caller's county."""

    serializer_class = s.RoomSerializer
    pagination_class = None
    queryset = Room.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.rooms_in_county(user=self.request.user).order_by("center__region__path", "name")


class MediatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The active mediators of the caller's county (specialties, languages, quota)."""

    serializer_class = s.MediatorSerializer
    pagination_class = None
    queryset = MediatorProfile.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.mediators_in_county(user=self.request.user).order_by("body__region__path", "user__username")


class MonthlyReportView(APIView):
    """Each mediator's month: concluded, settled, success rate and subsidy (a leader sees
    every mediator of the county, others their own row). ?month=2026-11."""

    @extend_schema(parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM")],
                   responses=s.ReportRowSerializer(many=True))
    def get(self, request):
        month = reports.parse_month(request.query_params.get("month"))
        return Response(s.ReportRowSerializer(reports.monthly_report(user=request.user, month=month), many=True).data)
