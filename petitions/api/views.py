"""/api/v1/petitions/: register, read (with every statutory deadline), the steps,
the matters a new petition may repeat, the first-visit rate, the backlog, and
reception days and appointments. Thin: a serializer in, a service, a serializer out."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from petitions import selectors, services
from petitions.api import serializers as io
from petitions.models import Petition
from petitions.services.common import REFUSALS, REGISTER

ERRORS = {
    400: OpenApiResponse(description="Bad input: a field and its Chinese error message; nothing was saved."),
    403: OpenApiResponse(io.PetitionErrorSerializer, description="The caller sees the petition but their role or "
                                                         "organisation may not do this."),
    404: OpenApiResponse(io.PetitionErrorSerializer, description="No such petition in the caller's view."),
    409: OpenApiResponse(io.PetitionErrorSerializer, description="The petition's step does not allow this."),
}


def answer(request, write, /, **arguments):
    """Call a write service and answer as the scope rule says: 404 / 403 / 409 / 400,
    else the petition as the caller now sees it."""
    try:
        result = write(actor=request.user, **arguments)
    except services.CaseNotFound:
        raise Http404 from None
    except services.CaseChangeForbidden as error:
        raise PermissionDenied(str(error)) from None
    except services.WindowClosed as error:
        return Response({"detail": str(error), "window_closed_on": error.closed_on}, status=status.HTTP_409_CONFLICT)
    except services.InvalidTransition as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
    return result


def petition_out(request, petition, **extra):
    try:
        fresh = selectors.petition_get(user=request.user, case_id=petition.pk)
    except Petition.DoesNotExist:  # done, and it left the caller's view with it
        return {"id": petition.pk, "detail": _("Done."), **extra}
    return {**io.PetitionSerializer(fresh).data, **extra}


def step(name, serializer_class, service, description):
    """The POST action ``name`` (its URL: the name with hyphens): validate, call the
    service, answer with the petition."""
    def act(self, request, id=None):  # noqa: A002 - the URL's {id}
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        result = answer(request, service, case_id=int(id), **payload.validated_data)
        return result if isinstance(result, Response) else Response(petition_out(request, result))
    act.__name__ = name  # the router calls the action by its function's name
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(act)
    # extend_schema after action: action() replaces the function's kwargs, where the schema is kept.
    return extend_schema(request=serializer_class, responses={200: io.PetitionSerializer, **ERRORS},
                         description=description)(routed)


class PetitionViewSet(viewsets.GenericViewSet):
    """Petitions in the caller's scope. Every deadline is a date with the days left
    (null until its step applies), counted as the law counts days."""

    serializer_class = io.PetitionSerializer
    queryset = Petition.objects.none()  # for the schema; get_queryset scopes to the caller
    lookup_value_regex = r"[0-9]+"
    lookup_url_kwarg = "id"  # a petition's id is its matter's id

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.petition_list(user=self.request.user, step=self.request.query_params.get("status", ""))

    @extend_schema(parameters=[OpenApiParameter("status", str, description="Only petitions at this step.")])
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().prefetch_related("petitioners__party", "documents"))
        return self.get_paginated_response(io.PetitionSerializer(page, many=True).data)

    @extend_schema(responses={200: io.PetitionSerializer, 404: ERRORS[404]})
    def retrieve(self, request, id=None):  # noqa: A002 - the URL's {id}
        try:
            petition = selectors.petition_get(user=request.user, case_id=int(id))
        except Petition.DoesNotExist:
            raise Http404 from None
        return Response(io.PetitionSerializer(petition).data)

    @extend_schema(request=io.PetitionCreateSerializer, responses={
        201: io.RegisteredSerializer, 200: OpenApiResponse(io.RegisteredSerializer, description=(
            "repeat_of named a petition: the visit was counted on it (outcome repeat_visit).")),
        400: ERRORS[400], 403: ERRORS[403]})
    def create(self, request):
        """Register a petition (visit, letter, phone, online) held by the caller's
        organisation: a petition office forwards it (art. 22), another body decides
        on it (art. 23). With ``repeat_of`` it is counted on that matter, or recorded
        as not accepted (final, art. 36; handled below, art. 19)."""
        payload = io.PetitionCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        result = answer(request, services.petition_register, **payload.validated_data)
        if isinstance(result, Response):
            return result
        code = status.HTTP_200_OK if result.outcome == "repeat_visit" else status.HTTP_201_CREATED
        return Response(petition_out(request, result.petition, outcome=result.outcome), status=code)

    @extend_schema(request=io.CandidatesRequestSerializer, responses={200: io.CandidateSerializer(many=True),
                                                                      400: ERRORS[400], 403: ERRORS[403]})
    @action(detail=False, methods=["post"])
    def candidates(self, request):
        """The matters a new petition by these people in this category may be the same as,
        offered as the desk offers a repeat visit: pass one's id as ``repeat_of``.
        POST, so ID numbers and phones stay out of URLs and logs."""
        if not request.user.has_perm(REGISTER):  # it shows matters held below that they may not see (art. 19)
            raise PermissionDenied(str(REFUSALS[REGISTER]))
        payload = io.CandidatesRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        offered = selectors.candidates(user=request.user, **payload.validated_data)
        return Response(io.CandidateSerializer(offered, many=True).data)

    forward = step(
        "forward", io.ForwardSerializer, services.petition_forward,
        "转送/交办 (art. 22): the petition office hands the petition to the responsible body.")
    send_back = step(
        "send_back", io.SendBackSerializer, services.petition_send_back,
        "A wrongly routed item goes back to the petition office within 5 working days (art. 23).")
    accept = step(
        "accept", io.ServedSerializer, services.petition_accept,
        "受理 (art. 23): the acceptance notice is issued and served; the reply is due within 60 days.")
    not_accept = step(
        "not_accept", io.NotAcceptSerializer, services.petition_not_accept,
        "不予受理: the reason and the proper channel, told in a served notice.")
    extend = step(
        "extend", io.ExtendSerializer, services.petition_extend,
        "One extension of the reply, at most 30 days, approved, the petitioner told (art. 34).")
    reply = step(
        "reply", io.OpinionSerializer, services.petition_reply,
        "处理意见书 (art. 34), served: the 30 days to ask for a review count from the served date.")
    request_review = step(
        "request_review", io.RequestSerializer, services.petition_request_review,
        "复查 asked for (art. 35). After its window: 409 with window_closed_on.")
    decide_review = step(
        "decide_review", io.OpinionSerializer, services.petition_decide_review, "复查意见, served (art. 35).")
    request_re_review = step(
        "request_re_review", io.RequestSerializer, services.petition_request_re_review,
        "复核 asked for (art. 35). After its window: 409 with window_closed_on.")
    decide_re_review = step(
        "decide_re_review", io.OpinionSerializer, services.petition_decide_re_review,
        "复核意见, served: the petition is final (art. 36).")
    pause = step(
        "pause", io.PauseSerializer, services.petition_pause,
        "A hearing in the re-review begins: its time is not counted (art. 35).")
    resume = step(
        "resume", io.PauseSerializer, services.petition_resume, "The hearing ended: the re-review period runs again.")

    @extend_schema(parameters=[OpenApiParameter("since", str, description="Received on or after (YYYY-MM-DD)"),
                               OpenApiParameter("until", str, description="Received on or before (YYYY-MM-DD)")],
                   responses={200: io.FirstVisitRateSerializer, 400: ERRORS[400]})
    @action(detail=False, methods=["get"], url_path="first-visit-rate")
    def first_visit_rate(self, request):
        """一次性化解率: first-time petitions settled at the first visit / first-time petitions."""
        period = io.PeriodQuerySerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        return Response(selectors.first_visit_rate(user=request.user, **period.validated_data))

    @extend_schema(responses={200: io.BacklogSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def backlog(self, request):
        """积案: open petitions past an organ's period, or petitioned three or more times."""
        page = self.paginate_queryset(selectors.backlog(user=request.user).prefetch_related("petitioners__party",
                                                                                           "documents"))
        return self.get_paginated_response(io.BacklogSerializer(page, many=True).data)
